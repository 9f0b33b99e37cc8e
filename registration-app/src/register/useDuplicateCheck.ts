import type { ClaimsMappingConfig } from '@anc/shared/claims'
import { useTrackerEngine } from '@anc/shared/tracker/react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import {
    findDuplicates,
    isCertainDuplicate,
    type DuplicateCandidate,
    type DuplicateQuery,
} from './duplicates'
import { normalisedPerson, validatePerson, type RegistrationForm } from './form'

/** Waits until typing pauses, so the duplicate search runs once per name, not per keystroke. */
function useDebounced<T>(value: T, ms: number): T {
    const [debounced, setDebounced] = useState(value)
    useEffect(() => {
        const timer = setTimeout(() => setDebounced(value), ms)
        return () => clearTimeout(timer)
    }, [value, ms])
    return debounced
}

/** What the duplicate search needs, or null while the identity is too incomplete to search. */
export function duplicateQueryOf(
    form: RegistrationForm,
    today: string,
    claims: ClaimsMappingConfig
): DuplicateQuery | null {
    const errors = validatePerson(form.person, today, claims)
    const person = normalisedPerson(form.person, claims)
    const query: DuplicateQuery = { fullName: person.fullName, birthDate: '' }
    if (form.verification) query.sub = form.verification.sub
    if (person.nic && !errors.nic) query.nic = person.nic
    if (!errors.birthDate && !errors.fullName && person.phone && !errors.phone) {
        query.birthDate = person.birthDate
        query.phone = person.phone
    }
    return query.sub || query.nic || query.phone ? query : null
}

const duplicateKey = (query: DuplicateQuery | null) => ['tracker', 'duplicates', query] as const

export interface DuplicateCheck {
    candidates: DuplicateCandidate[]
    checking: boolean
    /** She looked at the similar records and registers anyway (reset by any change to her). */
    acknowledged: boolean
    acknowledge: () => void
    forget: () => void
    /** Whether saving may go ahead; normally answered from the search that ran as she typed. */
    clearToSave: () => Promise<boolean>
}

/**
 * Existing records of this woman, searched while the form is filled (debounced), so saving
 * costs no extra request. A certain duplicate blocks saving; a similar person must be
 * acknowledged first.
 */
export function useDuplicateCheck(
    form: RegistrationForm,
    today: string,
    claims: ClaimsMappingConfig
): DuplicateCheck {
    const engine = useTrackerEngine()
    const queryClient = useQueryClient()
    const [acknowledged, setAcknowledged] = useState(false)
    const query = useDebounced(duplicateQueryOf(form, today, claims), 400)
    const duplicates = useQuery({
        queryKey: duplicateKey(query),
        enabled: query !== null,
        staleTime: Infinity,
        queryFn: ({ signal }) => findDuplicates(engine, query as DuplicateQuery, claims, signal),
    })
    return {
        candidates: query ? (duplicates.data ?? []) : [],
        checking: duplicates.isFetching,
        acknowledged,
        acknowledge: () => setAcknowledged(true),
        forget: () => setAcknowledged(false),
        clearToSave: async () => {
            const current = duplicateQueryOf(form, today, claims)
            const found = current
                ? await queryClient.fetchQuery({
                      queryKey: duplicateKey(current),
                      staleTime: Infinity,
                      queryFn: ({ signal }) => findDuplicates(engine, current, claims, signal),
                  })
                : []
            return !found.some(isCertainDuplicate) && (found.length === 0 || acknowledged)
        },
    }
}
