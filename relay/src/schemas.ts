/**
 * Route schemas: they validate input, shape output, and are the source of relay/openapi.json.
 * Limits follow the protocols: RFC 7636 verifiers are 43-128 unreserved characters; eSignet codes
 * are 43-character base64url strings (other providers' are longer, so some room is left).
 */

import { COMPARTMENT_TYPES } from './patient/compartment'

export const errorBody = {
    $id: 'RelayError',
    type: 'object',
    description: "Every error. `error` is eSignet's own code when the failure comes from eSignet.",
    required: ['error', 'message'],
    properties: {
        error: { type: 'string', examples: ['invalid_transaction', 'no_linked_record'] },
        message: { type: 'string', description: 'Human-readable explanation, safe to show.' },
    },
} as const

const errorRef = { $ref: 'RelayError#' } as const

export const codeExchangeBody = {
    type: 'object',
    required: ['code', 'codeVerifier', 'redirectUri', 'nonce'],
    additionalProperties: false,
    properties: {
        code: {
            type: 'string',
            minLength: 1,
            maxLength: 512,
            pattern: '^[A-Za-z0-9._~+/=-]+$',
            description: 'The authorization code from the eSignet redirect.',
        },
        codeVerifier: {
            type: 'string',
            minLength: 43,
            maxLength: 128,
            pattern: '^[A-Za-z0-9._~-]+$',
            description: 'The PKCE code_verifier whose S256 challenge went to /authorize.',
        },
        redirectUri: {
            type: 'string',
            minLength: 1,
            maxLength: 2048,
            description: 'Exactly the redirect_uri sent to /authorize; must be on the allow-list.',
        },
        nonce: {
            type: 'string',
            minLength: 1,
            maxLength: 512,
            description: 'The nonce sent to /authorize; the id_token must carry it.',
        },
    },
} as const

const verifiedLogin = {
    type: 'object',
    required: ['sub', 'claims', 'acr', 'authTime'],
    properties: {
        sub: { type: 'string', description: "eSignet's pairwise subject for the relay's client." },
        claims: {
            type: 'object',
            additionalProperties: true,
            description:
                'Verified userinfo claims, as eSignet sent them (keys may carry #lang suffixes).',
        },
        acr: {
            type: ['string', 'null'],
            description: 'Authentication context reached (id_token acr).',
        },
        authTime: {
            type: ['integer', 'null'],
            description: 'Authentication time, seconds since the epoch.',
        },
    },
} as const

export const configRoute = {
    summary: 'Public eSignet parameters the browser needs for /authorize',
    tags: ['public'],
    response: {
        200: {
            type: 'object',
            required: [
                'authorizationEndpoint',
                'clientId',
                'scope',
                'acrValues',
                'claims',
                'claimsLocales',
                'uiLocalesSupported',
                'issuer',
            ],
            properties: {
                authorizationEndpoint: { type: 'string' },
                clientId: { type: 'string' },
                scope: { type: 'string', description: 'Space-separated scopes.' },
                acrValues: { type: 'array', items: { type: 'string' } },
                claims: {
                    type: 'object',
                    description:
                        'The OIDC claims request (JSON) to send as the `claims` parameter.',
                    additionalProperties: true,
                },
                claimsLocales: { type: 'array', items: { type: 'string' } },
                uiLocalesSupported: { type: 'array', items: { type: 'string' } },
                issuer: {
                    type: 'string',
                    description: "eSignet's discovery issuer (informational).",
                },
            },
        },
        502: errorRef,
        504: errorRef,
    },
} as const

export const staffExchangeRoute = {
    summary: 'Staff login: exchange an eSignet code for verified claims (DHIS2 route only)',
    tags: ['staff'],
    security: [{ routeSecret: [] }],
    body: codeExchangeBody,
    response: {
        200: verifiedLogin,
        400: errorRef,
        401: errorRef,
        403: errorRef,
        413: errorRef,
        429: errorRef,
        502: errorRef,
        504: errorRef,
    },
} as const

export const patientSessionRoute = {
    summary: 'Patient login: exchange an eSignet code and open a session cookie',
    tags: ['patient'],
    body: codeExchangeBody,
    response: {
        200: {
            type: 'object',
            required: ['linked'],
            properties: { linked: { type: 'boolean', const: true } },
            description: 'A session cookie (HttpOnly, SameSite=Strict) is set.',
        },
        400: errorRef,
        401: errorRef,
        404: errorRef,
        409: errorRef,
        413: errorRef,
        429: errorRef,
        502: errorRef,
        504: errorRef,
    },
} as const

export const patientRecordRoute = {
    summary:
        "The session patient's record: Patient, EpisodeOfCare, Condition, Encounter, Observation, Appointment",
    tags: ['patient'],
    security: [{ patientSession: [] }],
    querystring: { type: 'object', additionalProperties: false, properties: {} },
    response: {
        200: {
            type: 'object',
            description: 'A FHIR R4 Bundle of type collection.',
            additionalProperties: true,
        },
        400: errorRef,
        401: errorRef,
        404: errorRef,
        502: errorRef,
        504: errorRef,
    },
} as const

export const patientResourceRoute = {
    summary: "One resource of the session patient's record (404 for anything outside it)",
    tags: ['patient'],
    security: [{ patientSession: [] }],
    params: {
        type: 'object',
        required: ['type', 'id'],
        properties: {
            type: { type: 'string', enum: COMPARTMENT_TYPES },
            id: { type: 'string', pattern: '^[A-Za-z0-9.-]{1,64}$' },
        },
    },
    querystring: { type: 'object', additionalProperties: false, properties: {} },
    response: {
        200: { type: 'object', description: 'A FHIR R4 resource.', additionalProperties: true },
        400: errorRef,
        401: errorRef,
        404: errorRef,
        502: errorRef,
        504: errorRef,
    },
} as const

export const patientLogoutRoute = {
    summary: 'End the patient session (clears the cookie)',
    tags: ['patient'],
    response: {
        200: {
            type: 'object',
            required: ['loggedOut'],
            properties: { loggedOut: { type: 'boolean' } },
        },
    },
} as const

export const healthRoute = {
    summary: 'Liveness for load balancers (does not call eSignet or FHIR)',
    tags: ['public'],
    response: { 200: { type: 'object', properties: { status: { type: 'string' } } } },
} as const
