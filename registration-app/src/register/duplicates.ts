import { requiredAttribute, type ClaimsMappingConfig } from '@anc/shared/claims'
import { PROGRAM_ANC } from '@anc/shared/metadata'
import { searchTrackedEntities, type Engine, type TrackedEntity } from '@anc/shared/tracker'
import { personValue } from '../common/person'

export type DuplicateReason = 'sameIdentity' | 'sameNic' | 'similarPerson'

export interface DuplicateCandidate {
    trackedEntity: TrackedEntity
    reasons: DuplicateReason[]
}

export interface DuplicateQuery {
    sub?: string
    nic?: string
    fullName: string
    birthDate: string
    /** E.164 */
    phone?: string
}

/** Lower case, no accents, punctuation or repeated spaces: "Nimali  Perera." ~ "nimali perera". */
export function comparableName(name: string): string {
    return name
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim()
}

function levenshtein(a: string, b: string): number {
    const previous = Array.from({ length: b.length + 1 }, (_, i) => i)
    for (let i = 1; i <= a.length; i++) {
        let diagonal = previous[0] as number
        previous[0] = i
        for (let j = 1; j <= b.length; j++) {
            const above = previous[j] as number
            previous[j] = Math.min(
                above + 1,
                (previous[j - 1] as number) + 1,
                diagonal + (a[i - 1] === b[j - 1] ? 0 : 1)
            )
            diagonal = above
        }
    }
    return previous[b.length] as number
}

/**
 * Close names: the same words in any order ("Perera Nimali"), or at most one typo per 6
 * characters of the whole name ("Nimalee Perera"). Deliberately strict: the date of birth and
 * phone already matched exactly before this is asked.
 */
export function namesAreClose(a: string, b: string): boolean {
    const x = comparableName(a)
    const y = comparableName(b)
    if (x === '' || y === '') return false
    const sorted = (s: string) => s.split(' ').sort().join(' ')
    if (sorted(x) === sorted(y)) return true
    return (
        levenshtein(sorted(x), sorted(y)) <=
        Math.max(1, Math.floor(Math.max(x.length, y.length) / 6))
    )
}

const SEARCH = { program: PROGRAM_ANC, orgUnitMode: 'ACCESSIBLE' as const, pageSize: 20 }

/**
 * Existing records this person may already have: the same eSignet identity, the same NIC, or
 * a close name with the same date of birth and phone. Runs while the form is being filled, so
 * saving needs no extra request. Searches everywhere the midwife may search (ACCESSIBLE), not
 * only her clinic: women move between clinics.
 */
export async function findDuplicates(
    engine: Pick<Engine, 'query'>,
    query: DuplicateQuery,
    claims: Pick<ClaimsMappingConfig, 'attributeOf'>,
    signal?: AbortSignal
): Promise<DuplicateCandidate[]> {
    const searches: { reason: DuplicateReason; filters: { attribute: string; value: string }[] }[] =
        []
    const { nic, phone } = claims.attributeOf
    if (query.sub) {
        searches.push({
            reason: 'sameIdentity',
            filters: [{ attribute: requiredAttribute(claims, 'sub'), value: query.sub }],
        })
    }
    if (query.nic && nic) {
        searches.push({ reason: 'sameNic', filters: [{ attribute: nic, value: query.nic }] })
    }
    if (query.phone && query.birthDate && phone) {
        searches.push({
            reason: 'similarPerson',
            filters: [
                { attribute: requiredAttribute(claims, 'birthDate'), value: query.birthDate },
                { attribute: phone, value: query.phone },
            ],
        })
    }
    const pages = await Promise.all(
        searches.map((search) =>
            searchTrackedEntities(engine, {
                ...SEARCH,
                filters: search.filters,
                ...(signal ? { signal } : {}),
            })
        )
    )
    const byUid = new Map<string, DuplicateCandidate>()
    pages.forEach((page, index) => {
        const reason = (searches[index] as (typeof searches)[number]).reason
        for (const te of page.trackedEntities) {
            if (
                reason === 'similarPerson' &&
                !namesAreClose(personValue(te, claims, 'fullName') ?? '', query.fullName)
            )
                continue
            const candidate = byUid.get(te.trackedEntity) ?? { trackedEntity: te, reasons: [] }
            if (!candidate.reasons.includes(reason)) candidate.reasons.push(reason)
            byUid.set(te.trackedEntity, candidate)
        }
    })
    return [...byUid.values()]
}

/** A record with the same verified identity or NIC is the same person: no "register anyway". */
export function isCertainDuplicate(candidate: DuplicateCandidate): boolean {
    return candidate.reasons.some((reason) => reason !== 'similarPerson')
}
