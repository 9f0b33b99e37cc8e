import { fetchStaffRelayConfig } from '@anc/shared/esignet'
import type { ClaimsMappingConfig } from '@anc/shared/claims'
import { PROGRAM_ANC } from '@anc/shared/metadata'
import type { TrackedEntity } from '@anc/shared/tracker'
import { useTrackerEngine } from '@anc/shared/tracker/react'
import { useQuery } from '@tanstack/react-query'
import { personValue } from './person'

export interface Clinic {
    id: string
    name: string
}

/**
 * Where the midwife registers: the ANC program's organisation units at or below her own
 * (`me.organisationUnits` is often her MOH area, the clinics below it). One request.
 */
export function useMyClinics() {
    const engine = useTrackerEngine()
    return useQuery({
        queryKey: ['me', 'clinics'],
        staleTime: Infinity,
        queryFn: async (): Promise<Clinic[]> => {
            const result = await engine.query({
                me: { resource: 'me', params: { fields: 'organisationUnits[id]' } },
                program: {
                    resource: 'programs',
                    id: PROGRAM_ANC,
                    params: { fields: 'organisationUnits[id,displayName,path]' },
                },
            })
            const mine = new Set(
                (
                    (result.me as { organisationUnits?: { id: string }[] }).organisationUnits ?? []
                ).map((unit) => unit.id)
            )
            const units =
                (
                    result.program as {
                        organisationUnits?: { id: string; displayName?: string; path?: string }[]
                    }
                ).organisationUnits ?? []
            return units
                .filter((unit) =>
                    (unit.path ?? `/${unit.id}`).split('/').some((id) => mine.has(id))
                )
                .map((unit) => ({ id: unit.id, name: unit.displayName ?? unit.id }))
                .sort((a, b) => a.name.localeCompare(b.name))
        },
    })
}

/** The relay's public eSignet settings, fetched ahead so the popup can open inside the click. */
export function useRelayConfig() {
    const engine = useTrackerEngine()
    return useQuery({
        queryKey: ['relay', 'config'],
        staleTime: 10 * 60_000,
        queryFn: () => fetchStaffRelayConfig(engine),
    })
}

export const RECENT_FIELDS = `trackedEntity,orgUnit,createdAt,attributes[attribute,value]`

/** The latest registrations of her clinics, newest first. */
export function useRecentRegistrations(orgUnits: string[]) {
    const engine = useTrackerEngine()
    return useQuery({
        queryKey: ['tracker', 'recent', orgUnits],
        enabled: orgUnits.length > 0,
        queryFn: async ({ signal }): Promise<TrackedEntity[]> => {
            const result = await engine.query(
                {
                    page: {
                        resource: 'tracker/trackedEntities',
                        params: {
                            program: PROGRAM_ANC,
                            orgUnits: orgUnits.join(','),
                            orgUnitMode: 'SELECTED',
                            order: 'createdAt:desc',
                            fields: RECENT_FIELDS,
                            pageSize: 10,
                        },
                    },
                },
                { signal }
            )
            const page = result.page as {
                trackedEntities?: TrackedEntity[]
                instances?: TrackedEntity[]
            }
            const list = page.trackedEntities ?? page.instances ?? []
            // Servers that ignore `order` still get the newest on top.
            return [...list].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))
        },
    })
}

export function displayName(
    te: TrackedEntity,
    claims: Pick<ClaimsMappingConfig, 'attributeOf'>
): string {
    return personValue(te, claims, 'fullName') ?? '—'
}
