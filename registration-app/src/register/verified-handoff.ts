/**
 * The identity a woman verified while the midwife searched for her record (Find with National
 * ID, nobody found), handed to the registration form once, so she does not verify twice.
 * In memory only: it holds her personal data, so never the URL or browser storage; a reload
 * or another tab simply asks again.
 */
import type { VerifiedIdentity } from '@anc/shared/esignet'

/** Past this, the verification is too old to stand for the woman in front of the midwife. */
const HANDOFF_MAX_AGE_SECONDS = 15 * 60

let pending: VerifiedIdentity | undefined

export function handOverVerifiedIdentity(identity: VerifiedIdentity): void {
    pending = identity
}

/** The handed-over identity, once; undefined when none, or when it has gone stale. */
export function takeVerifiedIdentity(now: Date): VerifiedIdentity | undefined {
    const identity = pending
    pending = undefined
    if (!identity) return undefined
    const age = now.getTime() / 1000 - identity.authTime
    return age >= 0 && age <= HANDOFF_MAX_AGE_SECONDS ? identity : undefined
}
