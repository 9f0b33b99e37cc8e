/**
 * The apps keep their page in the URL hash (`#/find`, `#/record/<uid>`): DHIS2 serves an app at
 * one path, its shortcuts (d2.config.js) open a hash, and a reload or a copied link comes back
 * to the same page. Each app says how its routes read and write; this keeps the page in step
 * with the hash, in one way for every app.
 */
import { useEffect, useState } from 'react'

export interface HashRouter<R> {
    /** The link to a route (`href` of an anchor). */
    hrefOf: (route: R) => string
    /** Goes to a route: a new history entry, so Back returns. */
    navigate: (route: R) => void
    /** The route of the current hash; the component re-renders when the hash changes. */
    useRoute: () => R
}

/** `parse` must accept any hash (unknown ones map to a default page); `format` is its inverse. */
export function createHashRouter<R>(
    parse: (hash: string) => R,
    format: (route: R) => string
): HashRouter<R> {
    return {
        hrefOf: format,
        navigate: (route) => {
            window.location.hash = format(route)
        },
        useRoute: () => {
            const [route, setRoute] = useState(() => parse(window.location.hash))
            useEffect(() => {
                const onChange = () => setRoute(parse(window.location.hash))
                window.addEventListener('hashchange', onChange)
                return () => window.removeEventListener('hashchange', onChange)
            }, [])
            return route
        },
    }
}
