/**
 * DEVELOPMENT-ONLY shared secrets of the local stack. They protect nothing: they exist so the
 * local stack exercises the same checks as production (the relay's route-secret header, the
 * FHIR server's basic credentials). Production values come from the environment (deploy/).
 */
export const DEV_SECRETS = {
    /** Header the anc-relay route adds (auth type api-headers); the relay requires it. */
    relayRouteSecret: 'dev-only-route-secret-0123456789abcdef0123456789',
    relaySessionSecret: 'dev-only-session-secret-0123456789abcdef012345678',
    fhirUsername: 'anc-dev',
    fhirPassword: 'dev-only-fhir-password',
} as const

export const ROUTE_SECRET_HEADER = 'X-ANC-Route-Secret'
