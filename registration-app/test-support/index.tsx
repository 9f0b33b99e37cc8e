/**
 * Component-test harness: the real app pages over app-runtime's CustomDataProvider, backed by a
 * small in-memory tracker (unique attributes enforced with E1064 like DHIS2), a datastore for the
 * outbox and the operator's configuration, and injectable eSignet / FHIR services. Every request
 * is recorded.
 */
import { ATTRIBUTES } from '@anc/shared/metadata'
import {
    FhirOutbox,
    type Engine,
    type TrackedEntity,
    type TrackerPayload,
} from '@anc/shared/tracker'
import { httpError, RELAY_CONFIG_BODY } from '@anc/shared/test-support'
import { CustomDataProvider, useDataEngine } from '@dhis2/app-runtime'
import { render } from '@testing-library/react'
import type { Bundle } from '@medplum/fhirtypes'
import React, { useMemo, type ReactNode } from 'react'
import { AppRoot } from '@anc/shared/app'
import { REGISTRATION_QUERIES, RegistrationApp } from '../src/App'
import {
    ServicesProvider,
    makeCompleteRedirect,
    makeVerifyIdentity,
    type Services,
} from '../src/common/services'

export const CLINIC = { id: 'ancClinicA1', displayName: 'Kandy MOH Clinic' }
const MOH_AREA = 'ancMOHarea1'
export const TODAY = '2026-11-20'

export interface Recorded {
    type: string
    resource: string
    params?: Record<string, unknown>
    data?: unknown
}

const UNIQUE = [ATTRIBUTES.phn, ATTRIBUTES.phnSerial, ATTRIBUTES.esignetSub, ATTRIBUTES.nic]

/** What an operator stored in the datastore (namespace `anc`), by key; absent keys answer 404. */
export type StoredConfig = Partial<Record<'claims-mapping' | 'fhir-config' | 'phn-config', unknown>>

export function fakeDhis2(
    options: {
        people?: TrackedEntity[]
        relayConfig?: 'ok' | 'down'
        config?: StoredConfig
        configDown?: boolean
    } = {}
) {
    const people = new Map((options.people ?? []).map((te) => [te.trackedEntity, te]))
    const outbox = new Map<string, unknown>()
    const requests: Recorded[] = []
    let serial = 0
    /** Lets a test add a person "from another browser" between the check and the save. */
    const hooks: { beforeImport?: () => void } = {}

    const matches = (te: TrackedEntity, filter: string) => {
        const [attribute, op, ...rest] = filter.split(':')
        const value = rest.join(':').replace(/\/([/:,])/g, '$1')
        const actual = te.attributes.find((a) => a.attribute === attribute)?.value ?? ''
        if (op === 'like') return actual.toLowerCase().includes(value.toLowerCase())
        return actual === value
    }

    const record =
        (resource: string, answer: (type: string, query: Recorded & { id?: string }) => unknown) =>
        async (
            type: string,
            query: { id?: string; params?: Record<string, unknown>; data?: unknown }
        ) => {
            requests.push({
                type,
                resource: query.id ? `${resource}/${query.id}` : resource,
                ...(query.params ? { params: query.params } : {}),
                ...(query.data !== undefined ? { data: query.data } : {}),
            })
            return answer(type, { type, resource, ...query })
        }

    const configKey = (key: keyof StoredConfig) =>
        record(`dataStore/anc/${key}`, () => {
            if (options.configDown) throw httpError(500)
            if (!options.config || !Object.hasOwn(options.config, key)) throw httpError(404)
            return options.config[key]
        })

    const data = {
        'dataStore/anc/claims-mapping': configKey('claims-mapping'),
        'dataStore/anc/fhir-config': configKey('fhir-config'),
        'dataStore/anc/phn-config': configKey('phn-config'),
        me: record('me', () => ({ organisationUnits: [{ id: MOH_AREA }] })),
        programs: record('programs', () => ({
            organisationUnits: [
                { ...CLINIC, path: `/ancCountry1/${MOH_AREA}/${CLINIC.id}` },
                // A clinic of another MOH area: not hers.
                {
                    id: 'ancClinicZ9',
                    displayName: 'Elsewhere',
                    path: '/ancCountry1/ancMOHothr1/ancClinicZ9',
                },
            ],
        })),
        'routes/anc-relay/run/config': record('routes/anc-relay/run/config', () => {
            if (options.relayConfig === 'down') throw httpError(502)
            return RELAY_CONFIG_BODY
        }),
        [`trackedEntityAttributes/${ATTRIBUTES.phnSerial}/generate`]: record(
            `trackedEntityAttributes/${ATTRIBUTES.phnSerial}/generate`,
            () => ({ value: String(++serial).padStart(9, '0') })
        ),
        'tracker/trackedEntities': record('tracker/trackedEntities', (_type, query) => {
            if (query.id) {
                const te = people.get(query.id)
                if (!te) throw httpError(404)
                return te
            }
            const raw = query.params?.filter
            const filters = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
            const list = [...people.values()].filter((te) =>
                filters.every((f) => matches(te, String(f)))
            )
            return { trackedEntities: list, pager: { page: 1, pageSize: 50 } }
        }),
        tracker: record('tracker', (_type, query) => {
            hooks.beforeImport?.()
            const payload = query.data as TrackerPayload
            const errors = []
            for (const te of payload.trackedEntities ?? []) {
                for (const a of te.attributes) {
                    if (!UNIQUE.includes(a.attribute as (typeof UNIQUE)[number]) || !a.value)
                        continue
                    const owner = [...people.values()].find(
                        (p) =>
                            p.trackedEntity !== te.trackedEntity &&
                            p.attributes.some(
                                (x) => x.attribute === a.attribute && x.value === a.value
                            )
                    )
                    if (owner) {
                        errors.push({
                            errorCode: 'E1064',
                            trackerType: 'TRACKED_ENTITY',
                            uid: te.trackedEntity,
                            message: `Non-unique attribute value \`${a.value}\` for attribute \`${a.attribute}\``,
                        })
                    }
                }
            }
            if (errors.length > 0) {
                throw httpError(409, {
                    message: 'Conflict',
                    status: 'ERROR',
                    validationReport: { errorReports: errors },
                })
            }
            for (const te of payload.trackedEntities ?? []) {
                const existing = people.get(te.trackedEntity)
                const attributes = new Map(
                    [...(existing?.attributes ?? []), ...te.attributes].map((a) => [a.attribute, a])
                )
                people.set(te.trackedEntity, {
                    ...existing,
                    ...te,
                    enrollments: te.enrollments ?? existing?.enrollments ?? [],
                    attributes: [...attributes.values()],
                })
            }
            return {
                status: 'OK',
                stats: { created: 1, updated: 0, deleted: 0, ignored: 0, total: 1 },
            }
        }),
        'dataStore/anc-outbox': record('dataStore/anc-outbox', (type, query) => {
            if (type === 'read' && query.id === undefined) {
                if (outbox.size === 0) throw httpError(404)
                return [...outbox.keys()]
            }
            if (type === 'read') return outbox.get(query.id as string)
            if (type === 'delete') return outbox.delete(query.id as string) && {}
            outbox.set(query.id as string, query.data)
            return {}
        }),
    }
    return { data, people, outbox, requests, hooks }
}

/** The outbox enqueues to `dataStore/anc-outbox/<key>`: route those to the namespace handler. */
function withOutboxKeys(data: Record<string, unknown>) {
    return new Proxy(data, {
        get(target, prop: string) {
            if (typeof prop === 'string' && prop.startsWith('dataStore/anc-outbox/')) {
                const handler = target['dataStore/anc-outbox'] as (
                    type: string,
                    query: { id?: string; data?: unknown }
                ) => unknown
                const id = prop.slice('dataStore/anc-outbox/'.length)
                return (type: string, query: { data?: unknown }) =>
                    handler(type === 'create' ? 'replace' : type, { ...query, id })
            }
            return target[prop]
        },
        has(target, prop: string) {
            return prop.startsWith('dataStore/anc-outbox/') || prop in target
        },
    })
}

const WithServices = ({
    overrides,
    children,
}: {
    overrides: Partial<Services>
    children: ReactNode
}) => {
    const engine = useDataEngine() as unknown as Engine
    const services = useMemo<Services>(
        () => ({
            pushFhir: async () => ({ resourceType: 'Bundle', type: 'transaction-response' }),
            // The real sign-in unless a test stands in for eSignet.
            verifyIdentity: makeVerifyIdentity(engine),
            verifyInThisWindow: async () => undefined,
            preloadForSave: () => undefined,
            completeVerifyInThisWindow: makeCompleteRedirect(engine),
            today: () => TODAY,
            now: () => new Date(`${TODAY}T04:30:00Z`),
            outbox: new FhirOutbox<Bundle>(engine),
            ...overrides,
        }),
        [engine, overrides]
    )
    return <ServicesProvider value={services}>{children}</ServicesProvider>
}

export function renderApp(
    dhis2: ReturnType<typeof fakeDhis2>,
    overrides: Partial<Services> = {},
    hash = '#/register'
) {
    window.location.hash = hash
    return render(
        <CustomDataProvider data={withOutboxKeys(dhis2.data) as never}>
            <AppRoot queries={REGISTRATION_QUERIES}>
                <WithServices overrides={overrides}>
                    <RegistrationApp />
                </WithServices>
            </AppRoot>
        </CustomDataProvider>
    )
}

/** eSignet claims as the relay returns them for seed identity 5860125421, phone not shared. */
export const NIMALI_CLAIMS = {
    'name#eng': 'Nimali Perera',
    'name#sin': 'නිමාලි පෙරේරා',
    birthdate: '1996/05/14',
    'gender#eng': 'Female',
}
export const NIMALI_SUB = 'p4Yw7Qe0N1mVb2Xk9sLrT3uHcZ8aJdFgE5iOyW6qP0A'

/** The Patient resource of the first bundle the app pushed to FHIR. */
export function pushedPatient(pushFhir: jest.Mock): { identifier?: unknown[] } {
    const bundle = pushFhir.mock.calls[0]?.[0] as {
        entry: { resource: { resourceType: string; identifier?: unknown[] } }[]
    }
    return bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource
}
