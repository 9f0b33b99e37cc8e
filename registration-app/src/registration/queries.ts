import {
    ATTRIBUTES,
    PROGRAM_ANC,
    fetchStaffRelayConfig,
    useTrackerEngine,
    type TrackedEntity,
} from '@anc/shared'
import { useQuery } from '@tanstack/react-query'

export interface Clinic {
    id: string
    name: string
}

/** The midwife's own organisation units (`me.organisationUnits`): where she registers women. */
export function useMyClinics() {
    const engine = useTrackerEngine()
    return useQuery({
        queryKey: ['me', 'clinics'],
        staleTime: Infinity,
        queryFn: async (): Promise<Clinic[]> => {
            const result = await engine.query({
                me: { resource: 'me', params: { fields: 'organisationUnits[id,displayName]' } },
            })
            const units =
                (result.me as { organisationUnits?: { id: string; displayName?: string }[] })
                    .organisationUnits ?? []
            const unnamed = units.filter((unit) => !unit.displayName).map((unit) => unit.id)
            const names = new Map<string, string>()
            if (unnamed.length > 0) {
                // Some servers ignore `fields` on /me: ask for the names once.
                const named = await engine.query({
                    units: {
                        resource: 'organisationUnits',
                        params: {
                            filter: `id:in:[${unnamed.join(',')}]`,
                            fields: 'id,displayName',
                            paging: false,
                        },
                    },
                })
                for (const unit of (named.units as { organisationUnits?: Clinic[] })
                    .organisationUnits ?? []) {
                    const u = unit as unknown as { id: string; displayName?: string }
                    if (u.displayName) names.set(u.id, u.displayName)
                }
            }
            return units.map((unit) => ({
                id: unit.id,
                name: unit.displayName ?? names.get(unit.id) ?? unit.id,
            }))
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

/** The latest registrations of one clinic, newest first. */
export function useRecentRegistrations(orgUnit: string | undefined) {
    const engine = useTrackerEngine()
    return useQuery({
        queryKey: ['tracker', 'recent', orgUnit],
        enabled: Boolean(orgUnit),
        queryFn: async ({ signal }): Promise<TrackedEntity[]> => {
            const result = await engine.query(
                {
                    page: {
                        resource: 'tracker/trackedEntities',
                        params: {
                            program: PROGRAM_ANC,
                            orgUnits: orgUnit as string,
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

export function displayName(te: TrackedEntity): string {
    return te.attributes.find((a) => a.attribute === ATTRIBUTES.fullName)?.value ?? '—'
}
