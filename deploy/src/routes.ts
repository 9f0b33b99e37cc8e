/**
 * The two DHIS2 routes the staff apps use, as code: `anc-relay` (the eSignet relying party,
 * secret header via `api-headers`) and `anc-fhir` (the FHIR server, HTTP Basic). Secrets and
 * upstream URLs are deployment settings; everything else is fixed here.
 */
import { AUTHORITIES, ROUTE_CODES } from '@anc/shared/metadata'

/** Header the relay requires on every staff call (relay/README.md); the route adds it. */
export const ROUTE_SECRET_HEADER = 'X-ANC-Route-Secret'

/** Shortest relay route secret accepted: it is the only thing between the internet and the relay's staff API. */
export const MIN_ROUTE_SECRET_LENGTH = 32

export type RouteAuth =
    | { type: 'api-headers'; headers: Record<string, string> }
    | { type: 'http-basic'; username: string; password: string }

export interface RouteDefinition {
    code: string
    name: string
    url: string
    auth: RouteAuth
    authorities: string[]
    responseTimeoutSeconds: number
    /** No public or user sharing: only holders of `authorities` (and superusers) may run it. */
    sharing: {
        public: string
        external: boolean
        users: Record<string, never>
        userGroups: Record<string, never>
    }
}

export interface RouteSettings {
    /** Relay base URL as DHIS2 reaches it, e.g. http://anc-relay:8095 (no trailing path needed). */
    relayUrl: string
    relaySecret: string
    /** FHIR base URL, e.g. https://nehr.example.org/fhir */
    fhirUrl: string
    fhirUsername: string
    fhirPassword: string
}

const PRIVATE = { public: '--------', external: false, users: {}, userGroups: {} }

/** `https://x/fhir/` and `https://x/fhir` give the same `https://x/fhir/**`. */
export function wildcardUrl(base: string): string {
    return `${base.replace(/\/+$/, '')}/**`
}

export function buildRoutes(settings: RouteSettings): RouteDefinition[] {
    return [
        {
            code: ROUTE_CODES.relay,
            name: 'ANC eSignet relay',
            url: wildcardUrl(settings.relayUrl),
            auth: { type: 'api-headers', headers: { [ROUTE_SECRET_HEADER]: settings.relaySecret } },
            authorities: [AUTHORITIES.useRelay],
            // eSignet token + userinfo round trips; DHIS2's default of 5 s is too short on a slow link.
            responseTimeoutSeconds: 20,
            sharing: PRIVATE,
        },
        {
            code: ROUTE_CODES.fhir,
            name: 'ANC FHIR record',
            url: wildcardUrl(settings.fhirUrl),
            auth: {
                type: 'http-basic',
                username: settings.fhirUsername,
                password: settings.fhirPassword,
            },
            authorities: [AUTHORITIES.useFhir],
            responseTimeoutSeconds: 20,
            sharing: PRIVATE,
        },
    ]
}

/** What `route.remote_servers_allowed` must contain: bare origins, no path, not even a trailing `/`. */
export function remoteServersAllowed(routes: RouteDefinition[]): string {
    return [...new Set(routes.map((r) => new URL(r.url.replace(/\/\*\*$/, '/')).origin))].join(',')
}
