import type { ResolvedClaims } from './claims'
import type { FileStore } from './file-store'
import { RECORD } from './records'

/**
 * The consent a person gave a client, remembered per client and person as eSignet does: claims
 * accepted and declined. A later request that asks for nothing new is answered from it.
 */
interface RememberedConsent {
    accepted: string[]
    declined: string[]
}

export function rememberedConsent(
    store: FileStore,
    clientId: string,
    individualId: string
): RememberedConsent | undefined {
    return store.get(RECORD.consent(clientId, individualId)) as RememberedConsent | undefined
}

/**
 * Remembers this answer: what was requested now is replaced by the new choice, the rest of the
 * earlier answer is kept.
 */
export async function rememberConsent(
    store: FileStore,
    clientId: string,
    individualId: string,
    requested: string[],
    accepted: string[]
): Promise<void> {
    const previous = rememberedConsent(store, clientId, individualId)
    const remembered: RememberedConsent = {
        accepted: [
            ...new Set([
                ...(previous?.accepted ?? []).filter((c) => !requested.includes(c)),
                ...accepted,
            ]),
        ],
        declined: [
            ...new Set([
                ...(previous?.declined ?? []).filter((c) => !requested.includes(c)),
                ...requested.filter((claim) => !accepted.includes(claim)),
            ]),
        ],
    }
    await store.set(RECORD.consent(clientId, individualId), remembered as never)
}

/**
 * The claims to grant without asking, when consent given earlier covers every requested claim
 * (and accepted every essential one); undefined when the person must be asked.
 */
export function coveredByEarlierConsent(
    previous: RememberedConsent | undefined,
    resolved: ResolvedClaims
): string[] | undefined {
    if (!previous) {
        return undefined
    }
    const covered = [...resolved.essential, ...resolved.voluntary].every(
        (claim) => previous.accepted.includes(claim) || previous.declined.includes(claim)
    )
    const essentialsAccepted = resolved.essential.every((claim) =>
        previous.accepted.includes(claim)
    )
    if (!covered || !essentialsAccepted) {
        return undefined
    }
    return [...resolved.essential, ...resolved.voluntary].filter((claim) =>
        previous.accepted.includes(claim)
    )
}
