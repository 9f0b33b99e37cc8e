import { useEffect, useState } from 'react'

export type Route = { page: 'find' } | { page: 'patient'; phn: string }

/** `#/find` and `#/patient/<PHN>` (the d2.config.js shortcut opens `#/find`). */
export function parseRoute(hash: string): Route {
    const m = /^#\/patient\/([0-9]{1,32})$/.exec(hash)
    if (m) return { page: 'patient', phn: m[1]! }
    return { page: 'find' }
}

export function routeHash(route: Route): string {
    return route.page === 'patient' ? `#/patient/${route.phn}` : '#/find'
}

export function useHashRoute(): [Route, (route: Route) => void] {
    const [route, setRoute] = useState(() => parseRoute(window.location.hash))
    useEffect(() => {
        const onChange = () => setRoute(parseRoute(window.location.hash))
        window.addEventListener('hashchange', onChange)
        return () => window.removeEventListener('hashchange', onChange)
    }, [])
    return [
        route,
        (next) => {
            window.location.hash = routeHash(next)
        },
    ]
}
