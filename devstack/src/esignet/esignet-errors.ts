/**
 * oidc-provider answers with OAuth's error codes; eSignet 1.6 has its own. These functions map
 * one to the other so a client of the stand-in meets the codes and statuses it will meet in
 * production (mosip/esignet v1.6.2: esignet-core ErrorConstants.java, oidc-service-impl
 * TokenServiceImpl.java, esignet-service ExceptionHandlerAdvice.java).
 */

export interface EsignetError {
    status: number
    error: string
}

const ASSERTION_TYPE_JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

type Fields = Record<string, unknown>

const text = (value: unknown): string => (typeof value === 'string' ? value : '')

/**
 * eSignet validates the token request's fields before anything else (TokenRequest bean
 * validation): @OIDCGrantType, @NotBlank code, @RedirectURL, @OIDCClientAssertionType, @NotBlank
 * client_assertion.
 */
function tokenFieldError(body: Fields): EsignetError | undefined {
    if (text(body.grant_type) !== 'authorization_code') {
        return { status: 400, error: 'invalid_grant_type' }
    }
    if (text(body.code).trim() === '') {
        return { status: 400, error: 'invalid_auth_code' }
    }
    if (!URL.canParse(text(body.redirect_uri))) {
        return { status: 400, error: 'invalid_redirect_uri' }
    }
    if (text(body.client_assertion_type) !== ASSERTION_TYPE_JWT_BEARER) {
        return { status: 400, error: 'invalid_assertion_type' }
    }
    if (text(body.client_assertion).trim() === '') {
        return { status: 400, error: 'invalid_assertion' }
    }
    return undefined
}

interface ProviderError {
    name?: string
    error?: string
    error_detail?: string
    error_description?: string
    message?: string
}

/** Maps an oidc-provider error raised at the token endpoint to eSignet 1.6's code and status. */
export function tokenError(body: Fields, err: ProviderError | undefined): EsignetError {
    const fieldError = tokenFieldError(body)
    if (fieldError) {
        return fieldError
    }
    const detail = `${err?.error_detail ?? ''} ${err?.error_description ?? ''}`
    switch (err?.error) {
        case 'invalid_client':
            return detail.includes('client not found')
                ? { status: 400, error: 'invalid_client_id' }
                : { status: 400, error: 'invalid_assertion' }
        case 'invalid_grant':
            if (detail.includes('code_verifier must be provided')) {
                return { status: 500, error: 'invalid_pkce_code_verifier' }
            }
            if (detail.includes('code_verifier')) {
                return { status: 500, error: 'pkce_failed' }
            }
            if (detail.includes('redirect_uri')) {
                return { status: 400, error: 'invalid_redirect_uri' }
            }
            if (detail.includes('client mismatch')) {
                return { status: 400, error: 'invalid_client_id' }
            }
            // not found, already consumed, expired: the code names no live transaction
            return { status: 400, error: 'invalid_transaction' }
        case 'invalid_request':
            // a malformed code_verifier never matches the stored challenge in eSignet
            if (detail.includes('code_verifier')) {
                return { status: 500, error: 'pkce_failed' }
            }
            // e.g. an assertion whose sub is not the client_id, or an unparsable assertion
            if (detail.includes('client_assertion') || detail.includes('client_id')) {
                return { status: 400, error: 'invalid_assertion' }
            }
            return { status: 400, error: 'invalid_request' }
        case 'unsupported_grant_type':
            return { status: 400, error: 'invalid_grant_type' }
        default:
            return { status: 500, error: 'unknown_error' }
    }
}

/**
 * Maps an error of the authorization request (before any transaction exists) to eSignet's
 * code. eSignet shows these on its own error page instead of redirecting.
 */
export function authorizeError(err: ProviderError): string {
    const detail = `${err.error_detail ?? ''} ${err.error_description ?? ''}`
    switch (err.error) {
        case 'invalid_client':
            return 'invalid_client_id'
        case 'invalid_redirect_uri':
            return 'invalid_redirect_uri'
        case 'unsupported_response_type':
            return 'invalid_response_type'
        case 'invalid_scope':
            return 'invalid_scope'
        case 'invalid_request':
            if (detail.includes('code_challenge_method')) {
                return 'unsupported_pkce_challenge_method'
            }
            if (detail.includes('PKCE') || detail.includes('code_challenge')) {
                return 'invalid_pkce_challenge'
            }
            if (detail.includes('claims')) {
                return 'invalid_claim'
            }
            if (detail.includes('prompt')) {
                return 'invalid_prompt'
            }
            if (detail.includes('display')) {
                return 'invalid_display'
            }
            if (detail.includes('response_type')) {
                return 'invalid_response_type'
            }
            if (detail.includes('redirect_uri')) {
                return 'invalid_redirect_uri'
            }
            if (detail.includes('client_id')) {
                return 'invalid_client_id'
            }
            return 'invalid_request'
        default:
            return err.error ?? 'unknown_error'
    }
}

/**
 * eSignet 1.7+ answers token errors with OAuth codes: its own code when it is one of
 * invalid_client, unsupported_grant_type, invalid_scope, invalid_grant, else invalid_request;
 * the description is its English message for the internal code (ExceptionHandlerAdvice
 * .handleOpenIdConnectControllerExceptions, messages.properties, mosip/esignet v1.7.1). Client
 * assertion failures are invalid_client and unknown codes invalid_grant from 1.7
 * (TokenServiceImpl, OAuthServiceImpl.validateRequestParametersWithTransaction).
 */
const MESSAGES: Record<string, string> = {
    invalid_transaction: 'Invalid transaction or transaction expired.',
    invalid_auth_code: 'Invalid authorization code provided.',
    invalid_redirect_uri: 'Invalid redirect URL.',
    invalid_client_id: 'Invalid Client identifier.',
    invalid_assertion: 'Invalid Client assertion.',
    invalid_assertion_type: 'Invalid/Unsupported client assertion type.',
    invalid_pkce_code_verifier: 'Invalid proof key code verifier.',
    pkce_failed: 'Proof key challenge exchange failed.',
    invalid_grant_type: 'Invalid/Unsupported grant type.',
    invalid_request: 'Invalid Request.',
    unknown_error: 'Unknown error.',
}

export function oauthTokenError(mapped: EsignetError): { error: string; description: string } {
    const internal =
        mapped.error === 'invalid_assertion'
            ? 'invalid_client'
            : mapped.error === 'invalid_transaction'
              ? 'invalid_grant'
              : mapped.error
    const oauthCodes = [
        'invalid_client',
        'unsupported_grant_type',
        'invalid_scope',
        'invalid_grant',
    ]
    return {
        error: oauthCodes.includes(internal) ? internal : 'invalid_request',
        description: MESSAGES[mapped.error] ?? MESSAGES.unknown_error ?? '',
    }
}
