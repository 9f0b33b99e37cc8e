import { createHashRouter } from '@anc/shared/routing'

export type Route = { page: 'find' } | { page: 'patient'; phn: string }

/** `#/find` and `#/patient/<PHN>` (the d2.config.js shortcut opens `#/find`). */
export function parseRoute(hash: string): Route {
    const m = /^#\/patient\/([0-9]{1,32})$/.exec(hash)
    if (m) return { page: 'patient', phn: m[1]! }
    return { page: 'find' }
}

function formatRoute(route: Route): string {
    return route.page === 'patient' ? `#/patient/${route.phn}` : '#/find'
}

export const { navigate, useRoute } = createHashRouter(parseRoute, formatRoute)
