import { createHash } from 'node:crypto'

/**
 * eSignet's mock identity system derives the pairwise subject (PSUT) as
 * base64url(SHA3-256(individualId + relyingPartyId)). The eSignet stand-in issues `sub` this way
 * and the DHIS2 seed uses it to link staff users (`openId`) to their seeded identities.
 */
export function pairwiseSub(individualId: string, clientId: string): string {
    return createHash('sha3-256')
        .update(individualId + clientId)
        .digest('base64url')
}
