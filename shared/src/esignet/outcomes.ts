import i18n from '@dhis2/d2-i18n'

/** Verified identity as the relay returns it after checking id_token and the signed userinfo. */
export interface VerifiedIdentity {
    kind: 'verified'
    /** eSignet pairwise subject for the relay's client. */
    sub: string
    /** Userinfo claims as eSignet sent them (`name#sin` keys, `YYYY/MM/DD` birthdate, ...). */
    claims: Record<string, unknown>
    acr: string
    /** Seconds since the epoch, from the id_token's `auth_time`. */
    authTime: number
}

/**
 * Every way a sign-in can end without a verified identity; `message` is translated. Outcomes are
 * tagged by `kind` in camelCase; the relay's and eSignet's wire codes (`no_linked_record`,
 * `access_denied`) are read once, where their answer is parsed (relay-client.ts, errors.ts).
 */
export type SigninFailure =
    | { kind: 'cancelled'; message: string }
    | { kind: 'consentDeclined'; message: string }
    | { kind: 'popupBlocked'; message: string }
    | { kind: 'timedOut'; message: string }
    | { kind: 'esignetError'; code: string; message: string }
    | { kind: 'relayUnreachable'; message: string }
    /** The relay refused this user (401/403): trying again will not help, access will. */
    | { kind: 'relayForbidden'; message: string }

export type StaffSigninOutcome = VerifiedIdentity | SigninFailure

/** The patient portal gets a session cookie from the relay, not the claims. */
export type PatientSigninOutcome =
    { kind: 'sessionStarted' } | { kind: 'noLinkedRecord'; message: string } | SigninFailure

export const cancelled = (): SigninFailure => ({
    kind: 'cancelled',
    message: i18n.t('Verification was cancelled. You can try again or enter the details manually.'),
})

export const popupBlocked = (): SigninFailure => ({
    kind: 'popupBlocked',
    message: i18n.t(
        'The browser blocked the national ID window. Allow pop-ups for this site, or continue in this window.'
    ),
})

export const timedOut = (): SigninFailure => ({
    kind: 'timedOut',
    message: i18n.t('National ID verification took too long and was stopped. Please try again.'),
})

export const relayUnreachable = (): SigninFailure => ({
    kind: 'relayUnreachable',
    message: i18n.t(
        'The verification service cannot be reached right now. Try again later, or enter the details manually.'
    ),
})

export const relayForbidden = (): SigninFailure => ({
    kind: 'relayForbidden',
    message: i18n.t(
        'Your account is not allowed to use national ID verification. Ask your administrator for access.'
    ),
})

export const isFailure = (outcome: { kind: string }): outcome is SigninFailure =>
    outcome.kind !== 'verified' &&
    outcome.kind !== 'sessionStarted' &&
    outcome.kind !== 'noLinkedRecord'
