import { createHashRouter } from '@anc/shared/routing'

/** The app's pages: `#/find`, `#/register`, `#/record/<tracked entity UID>`. */
export type Route =
    { page: 'find' } | { page: 'register' } | { page: 'record'; trackedEntity: string }

const UID = /^[A-Za-z][A-Za-z0-9]{10}$/

export function parseRoute(hash: string): Route {
    const parts = hash.replace(/^#\/?/, '').split('?')[0]?.split('/') ?? []
    if (parts[0] === 'register') return { page: 'register' }
    if (parts[0] === 'record' && parts[1] && UID.test(parts[1])) {
        return { page: 'record', trackedEntity: parts[1] }
    }
    return { page: 'find' }
}

function formatRoute(route: Route): string {
    if (route.page === 'record') return `#/record/${route.trackedEntity}`
    return `#/${route.page}`
}

export const { hrefOf, navigate, useRoute } = createHashRouter(parseRoute, formatRoute)
