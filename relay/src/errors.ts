/**
 * Every failure the relay reports is a RelayError: an HTTP status, a stable machine code for the
 * apps (eSignet's own code where the failure comes from eSignet) and a human message. Messages
 * describe the failed check and never echo codes, tokens or assertions.
 */
export class RelayError extends Error {
    readonly status: number
    readonly code: string

    constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
        super(message, options)
        this.name = 'RelayError'
        this.status = status
        this.code = code
    }
}

/** Failures of the relay's own checks, by code. eSignet codes pass through as they come. */
export const RelayErrorCode = {
    invalidRequest: 'invalid_request',
    redirectUriNotAllowed: 'redirect_uri_not_allowed',
    missingRouteSecret: 'missing_route_secret',
    invalidRouteSecret: 'invalid_route_secret',
    esignetUnreachable: 'esignet_unreachable',
    esignetTimeout: 'esignet_timeout',
    esignetBadResponse: 'esignet_bad_response',
    invalidIdToken: 'invalid_id_token',
    nonceMismatch: 'nonce_mismatch',
    insufficientAcr: 'insufficient_acr',
    esignetMisconfigured: 'esignet_misconfigured',
    invalidUserinfo: 'invalid_userinfo',
    subjectMismatch: 'subject_mismatch',
    fhirUnavailable: 'fhir_unavailable',
    noLinkedRecord: 'no_linked_record',
    ambiguousRecord: 'ambiguous_record',
    unauthenticated: 'unauthenticated',
    notFound: 'not_found',
    payloadTooLarge: 'payload_too_large',
    unsupportedMediaType: 'unsupported_media_type',
    rateLimited: 'rate_limited',
    internal: 'internal_error',
} as const

/**
 * eSignet token-endpoint codes caused by the user's login attempt (a stale, reused or foreign code,
 * a verifier that does not match): the browser should start a new login, so they are 400s. Codes
 * not listed here mean the relay or eSignet is misconfigured or failing (e.g. `invalid_assertion`,
 * `invalid_client`, KYC failures), which the caller cannot fix: 502.
 */
const ESIGNET_CLIENT_SIDE_CODES = new Set([
    'invalid_transaction',
    'invalid_auth_code',
    'invalid_grant',
    'invalid_redirect_uri',
    'invalid_pkce_code_verifier',
    'pkce_failed',
    'transaction_timeout',
    'invalid_request',
])

/** eSignet error codes are short snake_case words (or e.g. `mock-ida-007`); anything else is noise. */
const ESIGNET_CODE_PATTERN = /^[a-z][a-z0-9_-]{1,63}$/

/**
 * From 1.7 eSignet answers token errors with the OAuth codes only (invalid_client, invalid_grant,
 * invalid_request, ...) and its own code's English message as `error_description`
 * (ExceptionHandlerAdvice + messages.properties, mosip/esignet v1.7.1, v1.8.0). The message tells
 * the cases apart, so the browser can still say "start again" for a spent code or PKCE failure
 * and "set-up problem" for a misconfiguration.
 */
const ESIGNET_17_MESSAGES: Readonly<Record<string, string>> = {
    'Invalid transaction or transaction expired.': 'invalid_transaction',
    'Invalid authorization code provided.': 'invalid_auth_code',
    'Invalid redirect URL.': 'invalid_redirect_uri',
    'Invalid Client identifier.': 'invalid_client_id',
    'Invalid Client assertion.': 'invalid_assertion',
    'Invalid/Unsupported client assertion type.': 'invalid_assertion_type',
    'Invalid proof key code verifier.': 'invalid_pkce_code_verifier',
    'Proof key challenge exchange failed.': 'pkce_failed',
    'Unsupported proof key challenge exchange method.': 'unsupported_pkce_challenge_method',
    'KYC data exchange failed.': 'data_exchange_failed',
}

export function esignetTokenError(code: unknown, description?: unknown): RelayError {
    if (typeof code !== 'string' || !ESIGNET_CODE_PATTERN.test(code)) {
        return new RelayError(
            502,
            RelayErrorCode.esignetBadResponse,
            'eSignet refused the token request without a recognisable error code'
        )
    }
    const specific =
        typeof description === 'string' ? ESIGNET_17_MESSAGES[description.trim()] : undefined
    const effective = specific ?? code
    const status = ESIGNET_CLIENT_SIDE_CODES.has(effective) ? 400 : 502
    return new RelayError(status, effective, `eSignet refused the token request: ${effective}`)
}
