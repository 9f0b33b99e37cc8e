/**
 * Test fixtures: tracker records as the FHIR server stores them (ids, versions, references by id),
 * and a FHIR transport double that answers like the server behind the route.
 */
import { addDays } from '@anc/shared/anc'
import {
    DEFAULT_FHIR_MAPPING,
    FhirClientError,
    trackerToFhirBundle,
    type FhirMappingConfig,
} from '@anc/shared/fhir'
import { ATTRIBUTES, DATA_ELEMENTS, PROGRAM_STAGES } from '@anc/shared/metadata'
import { phnFromSerial } from '@anc/shared/phn'
import { fixtureTrackedEntity } from '@anc/shared/test-support'
import type { TrackedEntity, TrackerEvent } from '@anc/shared/tracker'
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes'
import type { FhirTransport } from '../src/record/open-record'

export const TODAY = '2026-09-20'

/** A woman with `contacts` contacts: the first at 12 weeks, then one every 4 days, 7-8 mapped values each. */
export function trackedEntityWithContacts(contacts: number, n = 7): TrackedEntity {
    const te = fixtureTrackedEntity(n, 8)
    // A PHN with a valid check digit, as DHIS2 and shared/phn issue them.
    const phn = phnFromSerial(String(100_000_000 + n))
    te.attributes = te.attributes.map((a) =>
        a.attribute === ATTRIBUTES.phn ? { ...a, value: phn } : a
    )
    const enrollment = te.enrollments![0]!
    const lmp = '2026-01-05'
    const first = enrollment.events![0]!
    const events: TrackerEvent[] = [first]
    for (let i = 1; i < contacts; i++) {
        const DE = DATA_ELEMENTS
        events.push({
            event: `Ex${String(n).padStart(3, '0')}${String(i).padStart(6, '0')}`,
            programStage: PROGRAM_STAGES.contact,
            status: 'COMPLETED',
            occurredAt: `${addDays(lmp, 84 + i * 4)}T00:00:00.000`,
            orgUnit: enrollment.orgUnit,
            dataValues: [
                { dataElement: DE.systolicBp, value: String(110 + (i % 10)) },
                { dataElement: DE.diastolicBp, value: String(70 + (i % 8)) },
                { dataElement: DE.weightKg, value: String(58 + i * 0.3) },
                { dataElement: DE.fundalHeightCm, value: String(10 + i * 0.6) },
                { dataElement: DE.fetalHeartRate, value: '140' },
                { dataElement: DE.haemoglobin, value: '11.6' },
                { dataElement: DE.urineProtein, value: 'NEGATIVE' },
            ],
        })
    }
    enrollment.events = events
    return te
}

export function phnOf(te: TrackedEntity): string {
    return te.attributes.find((a) => a.attribute === ATTRIBUTES.phn)!.value!
}

/**
 * The transaction as the server would store it: ids from the urn:uuids, version 1, refs by id;
 * written with `config` (the operator's FHIR mapping), the shipped default otherwise.
 */
export function storedSearchset(
    te: TrackedEntity,
    extraObservationsPerContact = 0,
    config: FhirMappingConfig = DEFAULT_FHIR_MAPPING
): Bundle {
    const { bundle } = trackerToFhirBundle({ trackedEntity: te, today: TODAY }, { fhir: config })
    const ids = new Map<string, string>()
    for (const e of bundle.entry ?? [])
        if (e.fullUrl && e.resource)
            ids.set(e.fullUrl, `${e.resource.resourceType}/${e.fullUrl.slice(9)}`)
    let text = JSON.stringify(bundle.entry)
    for (const [from, to] of ids) text = text.split(JSON.stringify(from)).join(JSON.stringify(to))
    const entries = (JSON.parse(text) as BundleEntry[]).map((e, i) => {
        const id = bundle.entry![i]!.fullUrl!.slice(9)
        const resource = { ...e.resource!, id, meta: { versionId: '1' } } as Resource
        return {
            fullUrl: `http://fhir.test/fhir/${resource.resourceType}/${id}`,
            resource,
            search: { mode: resource.resourceType === 'Patient' ? 'match' : 'include' },
        } as BundleEntry
    })
    const patient = entries.find((e) => e.resource?.resourceType === 'Patient')!.resource!
    const extra: BundleEntry[] = []
    for (const e of entries) {
        if (e.resource?.resourceType !== 'Encounter') continue
        for (let k = 0; k < extraObservationsPerContact; k++) {
            const id = `${e.resource.id!.slice(0, 24)}${String(k).padStart(12, '0')}`
            extra.push({
                fullUrl: `http://fhir.test/fhir/Observation/${id}`,
                search: { mode: 'include' },
                resource: {
                    resourceType: 'Observation',
                    id,
                    meta: { versionId: '1' },
                    status: 'final',
                    code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
                    subject: { reference: `Patient/${patient.id}` },
                    encounter: { reference: `Encounter/${e.resource.id}` },
                    valueQuantity: { value: 36.6 + k / 100, unit: 'Cel' },
                },
            })
        }
    }
    return { resourceType: 'Bundle', type: 'searchset', total: 1, entry: [...entries, ...extra] }
}

export interface FakeFhir extends FhirTransport {
    requests: Bundle[]
    /** Resources by Type/id, as the server holds them now. */
    store: Map<string, Resource>
    failWith?: FhirClientError | undefined
    failTransactionsWith?: FhirClientError | undefined
}

/** Answers the record batch, batch reads by id, and transactions (If-Match honoured). */
export function fakeFhir(searchsets: Bundle[]): FakeFhir {
    const store = new Map<string, Resource>()
    for (const s of searchsets)
        for (const e of s.entry ?? [])
            store.set(`${e.resource!.resourceType}/${e.resource!.id}`, e.resource!)
    const fake: FakeFhir = {
        requests: [],
        store,
        async transaction(bundle) {
            fake.requests.push(structuredClone(bundle))
            if (fake.failWith) throw fake.failWith
            if (bundle.type === 'batch') {
                return {
                    resourceType: 'Bundle',
                    type: 'batch-response',
                    entry: (bundle.entry ?? []).map((e) => {
                        const url = e.request!.url
                        const search = /identifier=([^|&]*)\|(\d+)/.exec(url)
                        if (search) {
                            // Like the server: the identifier matches on system and value.
                            const system = decodeURIComponent(search[1]!)
                            const phn = search[2]
                            const found = searchsets.find((s) =>
                                s.entry?.some(
                                    (x) =>
                                        x.resource?.resourceType === 'Patient' &&
                                        x.resource.identifier?.some(
                                            (i) => i.system === system && i.value === phn
                                        )
                                )
                            )
                            return {
                                response: { status: '200 OK' },
                                resource: found
                                    ? {
                                          ...found,
                                          entry: found.entry?.map((x) => ({
                                              ...x,
                                              resource:
                                                  store.get(
                                                      `${x.resource!.resourceType}/${x.resource!.id}`
                                                  ) ?? x.resource,
                                          })),
                                      }
                                    : { resourceType: 'Bundle', type: 'searchset', total: 0 },
                            }
                        }
                        const r = store.get(url)
                        return r
                            ? { response: { status: '200 OK' }, resource: r }
                            : { response: { status: '404 Not Found' } }
                    }),
                } as Bundle
            }
            if (fake.failTransactionsWith) throw fake.failTransactionsWith
            for (const e of bundle.entry ?? []) {
                const m = /^(\w+)\/([\w-]+)$/.exec(e.request?.url ?? '')
                const current = m ? store.get(e.request!.url) : undefined
                if (
                    e.request?.ifMatch &&
                    current &&
                    e.request.ifMatch !== `W/"${current.meta?.versionId}"`
                )
                    throw new FhirClientError('preconditionFailed', 'version mismatch', 412)
            }
            return { resourceType: 'Bundle', type: 'transaction-response', entry: [] }
        },
    }
    return fake
}

/** Someone else changes a stored resource (its version moves on). */
export function bumpVersion(fake: FakeFhir, ref: string): void {
    const r = fake.store.get(ref)!
    fake.store.set(ref, { ...r, meta: { versionId: String(Number(r.meta?.versionId ?? '1') + 1) } })
}

export const PHN_SYSTEM = DEFAULT_FHIR_MAPPING.systems.phn
