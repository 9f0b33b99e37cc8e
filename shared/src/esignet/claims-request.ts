/**
 * The OIDC `claims` request parameter (OpenID Connect Core §5.5) as eSignet reads it: only the
 * `userinfo` member matters to eSignet; essential claims cannot be declined on its consent
 * screen, voluntary ones can.
 */
export interface ClaimRequestEntry {
    essential?: boolean
    /** eSignet shows it on the consent screen; it requires 3 to 300 characters. */
    purpose?: string
    value?: string
    values?: string[]
}

export interface ClaimsRequest {
    userinfo?: Record<string, ClaimRequestEntry | null>
    id_token?: Record<string, ClaimRequestEntry | null>
}

/** One claim to ask for; `ClaimsMappingConfig.requestedClaims` from shared/src/claims fits (`name#sin` tags allowed). */
export interface ClaimToRequest {
    claim: string
    essential: boolean
    purpose?: string
}

// Starts with a letter, so `__proto__` and friends can never become keys.
const CLAIM_NAME = /^[A-Za-z][A-Za-z0-9_.]*$/

/**
 * Builds the `claims` request from the mapping config's list. Language-tagged names
 * (`name#sin`) collapse to the base claim: eSignet selects languages through `claims_locales`,
 * not through the claim name. If a claim is listed twice, essential wins, so a mapping can never
 * downgrade a claim that another field needs.
 */
export function buildClaimsRequest(claims: readonly ClaimToRequest[]): ClaimsRequest {
    const userinfo: Record<string, ClaimRequestEntry> = {}
    for (const requested of claims) {
        const name = requested.claim.split('#')[0] ?? ''
        if (!CLAIM_NAME.test(name)) {
            throw new Error(
                `Invalid claim name in the claims mapping: ${JSON.stringify(requested.claim)}`
            )
        }
        const existing = Object.hasOwn(userinfo, name) ? userinfo[name] : undefined
        const entry: ClaimRequestEntry = {
            essential: requested.essential || existing?.essential === true,
        }
        const purpose = requested.purpose ?? existing?.purpose
        if (purpose !== undefined) {
            if (purpose.length < 3 || purpose.length > 300) {
                throw new Error(`The purpose of claim ${name} must have 3 to 300 characters`)
            }
            entry.purpose = purpose
        }
        userinfo[name] = entry
    }
    return { userinfo }
}
