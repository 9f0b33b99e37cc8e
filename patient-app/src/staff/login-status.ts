import i18n from '@dhis2/d2-i18n'

/**
 * What `POST /api/auth/login` can answer (DHIS2 v41+, `LoginResponse.loginStatus`), turned into
 * what the sign-in form does next. Bad credentials are not a status: DHIS2 answers 401.
 */
export type LoginOutcome =
    | { kind: 'success'; redirectUrl: string | null }
    /** A code is needed: first ask, or the one given was wrong (`incorrect`). */
    | { kind: 'twoFactor'; method: 'totp' | 'email' | 'any'; incorrect: boolean; message: string }
    | { kind: 'passwordExpired'; message: string }
    | { kind: 'accountInaccessible'; status: string; message: string }
    | { kind: 'badCredentials'; message: string }
    | { kind: 'tooManyAttempts'; message: string }
    | { kind: 'unreachable'; message: string }
    | { kind: 'unknown'; status: string; message: string }

const TWO_FACTOR_STATUSES = [
    'INCORRECT_TWO_FACTOR_CODE',
    'INCORRECT_TWO_FACTOR_CODE_TOTP',
    'INCORRECT_TWO_FACTOR_CODE_EMAIL',
    'EMAIL_TWO_FACTOR_CODE_SENT',
]

function twoFactorMethod(status: string): 'totp' | 'email' | 'any' {
    if (status.endsWith('_TOTP')) return 'totp'
    if (status.includes('EMAIL')) return 'email'
    return 'any'
}

function twoFactorMessage(method: 'totp' | 'email' | 'any', incorrect: boolean): string {
    if (incorrect) {
        return i18n.t('That code was not accepted. Check it and try again.')
    }
    if (method === 'email') {
        return i18n.t('We sent a sign-in code to your email address. Enter it to continue.')
    }
    if (method === 'totp') {
        return i18n.t('Enter the code from your authenticator app to continue.')
    }
    return i18n.t('Enter your two-factor authentication code to continue.')
}

/**
 * @param status the `loginStatus` of a 200 answer
 * @param codeWasSent whether this attempt already carried a two-factor code: DHIS2 answers the
 *   same INCORRECT_TWO_FACTOR_CODE* status for "a code is needed" and "the code was wrong"
 */
export function outcomeOfLoginStatus(
    status: string,
    redirectUrl: string | null | undefined,
    codeWasSent: boolean
): LoginOutcome {
    if (status === 'SUCCESS') return { kind: 'success', redirectUrl: redirectUrl ?? null }
    if (TWO_FACTOR_STATUSES.includes(status)) {
        const method = twoFactorMethod(status)
        // An email code that was just sent is a prompt, never a wrong code.
        const incorrect = codeWasSent && status !== 'EMAIL_TWO_FACTOR_CODE_SENT'
        return {
            kind: 'twoFactor',
            method,
            incorrect,
            message: twoFactorMessage(method, incorrect),
        }
    }
    switch (status) {
        case 'PASSWORD_EXPIRED':
            return {
                kind: 'passwordExpired',
                message: i18n.t(
                    'Your password has expired. Ask your system administrator to reset it, or use password recovery if it is offered.'
                ),
            }
        case 'ACCOUNT_DISABLED':
            return {
                kind: 'accountInaccessible',
                status,
                message: i18n.t(
                    'This account is disabled. Contact your system administrator to enable it.'
                ),
            }
        case 'ACCOUNT_LOCKED':
            return {
                kind: 'accountInaccessible',
                status,
                message: i18n.t(
                    'This account is locked after too many failed sign-in attempts. Wait a few minutes and try again, or contact your system administrator.'
                ),
            }
        case 'ACCOUNT_EXPIRED':
            return {
                kind: 'accountInaccessible',
                status,
                message: i18n.t(
                    'This account has expired. Contact your system administrator to extend it.'
                ),
            }
        case 'INVALID':
            return {
                kind: 'unknown',
                status,
                message: i18n.t(
                    'Two-factor authentication is not set up correctly for this account. Contact your system administrator.'
                ),
            }
        default:
            return {
                kind: 'unknown',
                status,
                message: i18n.t('Sign-in did not succeed ({{status}}). Please try again.', {
                    status,
                }),
            }
    }
}

/** An HTTP failure of the login call (app-runtime FetchError or plain status). */
export function outcomeOfLoginFailure(httpStatus: number | undefined): LoginOutcome {
    if (httpStatus === 401) {
        return {
            kind: 'badCredentials',
            message: i18n.t('Incorrect username or password. Check them and try again.'),
        }
    }
    if (httpStatus === 429) {
        return {
            kind: 'tooManyAttempts',
            message: i18n.t('Too many sign-in attempts. Wait a minute and try again.'),
        }
    }
    return {
        kind: 'unreachable',
        message: i18n.t('The server could not be reached. Check your connection and try again.'),
    }
}
