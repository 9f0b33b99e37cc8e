import i18n from '@dhis2/d2-i18n'
import { cancelled, timedOut, type SigninFailure } from './outcomes'

/**
 * eSignet's error codes (from its redirect `error=` parameter or relayed from its token
 * endpoint) turned into an outcome a person can act on. A declined consent is told apart from a
 * failure (mosip/esignet #2556 reports a declined essential claim as a system error).
 */
const CONSENT_DECLINED = new Set([
    // 1.8 consent page; 1.4-1.7 consent page; 1.6+ claim details page (oidc-ui Consent.js,
    // ClaimDetails.js); the UI's own constant.
    'access_denied',
    'consent_request_rejected',
    'consent_details_rejected',
    'consent_rejected',
    'invalid_accepted_claim',
])
const USER_CANCELLED = new Set(['user_cancelled', 'user_cancel', 'cancelled'])
const TIMED_OUT = new Set(['transaction_timeout', 'transaction_expired', 'mock-ida-007'])

function messageFor(code: string): string {
    switch (code) {
        case 'auth_failed':
        case 'invalid_individual_id':
        case 'invalid_otp':
            return i18n.t(
                'The national ID or the one-time code was not accepted. Check them and try again.'
            )
        case 'invalid_transaction':
        case 'invalid_auth_code':
        case 'invalid_grant':
        case 'pkce_failed':
        case 'invalid_pkce_code_verifier':
            return i18n.t('This verification has expired or was already used. Please start again.')
        case 'invalid_state':
        case 'invalid_issuer':
        case 'invalid_response':
            return i18n.t(
                'The answer from the national ID service did not match this request, so it was not used. Please start again.'
            )
        case 'invalid_client_id':
        case 'invalid_client':
        case 'invalid_assertion':
        case 'invalid_redirect_uri':
        case 'invalid_scope':
        case 'invalid_claim':
        case 'invalid_acr':
        case 'no_acr_registered':
        case 'invalid_pkce_challenge':
        case 'unsupported_pkce_challenge_method':
        case 'invalid_request':
        case 'invalid_display':
        case 'invalid_prompt':
            return i18n.t(
                'National ID verification is not set up correctly. Tell your administrator (error {{code}}).',
                { code }
            )
        case 'nonce_mismatch':
        case 'invalid_id_token':
        case 'invalid_userinfo':
            return i18n.t(
                'The identity returned by the national ID service could not be verified, so it was not used.'
            )
        default:
            return i18n.t(
                'The national ID service reported an error ({{code}}). Please try again later.',
                { code }
            )
    }
}

/** Keeps only a short, printable code: an error code from a URL is attacker-controlled text. */
export function sanitizeErrorCode(code: unknown): string {
    if (typeof code !== 'string') return 'unknown_error'
    const cleaned = code.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 64)
    return cleaned || 'unknown_error'
}

export function mapEsignetError(rawCode: unknown): SigninFailure {
    const code = sanitizeErrorCode(rawCode)
    if (CONSENT_DECLINED.has(code)) {
        return {
            kind: 'consentDeclined',
            message: i18n.t(
                'Sharing of the details was declined, so nothing was verified. The details can still be entered manually.'
            ),
        }
    }
    if (USER_CANCELLED.has(code)) return cancelled()
    if (TIMED_OUT.has(code)) return timedOut()
    return { kind: 'esignetError', code, message: messageFor(code) }
}
