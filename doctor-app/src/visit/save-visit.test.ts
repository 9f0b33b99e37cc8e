import { DEFAULT_FHIR_MAPPING, FhirClientError, trackerToFhirBundle } from '@anc/shared/fhir'
import type { Engine, Enrollment, TrackedEntity, TrackerEvent } from '@anc/shared/tracker'
import type { Bundle, BundleEntry, Encounter } from '@medplum/fhirtypes'
import {
    fakeFhir,
    phnOf,
    storedSearchset,
    TODAY,
    trackedEntityWithContacts,
} from '../../test-support/fixtures'
import { openRecordByPhn } from '../record/open-record'
import { saveVisit, visitBundle, visitDataValues } from './save-visit'

const EVENT = 'EvVisit0001'

function withVisit(te: TrackedEntity): Enrollment {
    const enrollment = te.enrollments![0]!
    const event: TrackerEvent = {
        event: EVENT,
        programStage: 'ancStgCntct',
        status: 'COMPLETED',
        occurredAt: TODAY,
        orgUnit: enrollment.orgUnit,
        dataValues: visitDataValues({ date: TODAY, systolic: 128, diastolic: 84, weightKg: 64 }),
    }
    return { ...enrollment, events: [...enrollment.events!, event] }
}

/** The server lists included resources by type, in the order of the _revinclude parameters. */
function inServerOrder(searchset: Bundle): Bundle {
    const order = [
        'Patient',
        'Encounter',
        'Observation',
        'Appointment',
        'EpisodeOfCare',
        'Condition',
    ]
    const rank = (e: BundleEntry) => order.indexOf(e.resource!.resourceType)
    return { ...searchset, entry: [...searchset.entry!].sort((a, b) => rank(a) - rank(b)) }
}

async function opened(te: TrackedEntity, order: (b: Bundle) => Bundle = (b) => b) {
    const fhir = fakeFhir([order(storedSearchset(te))])
    return { fhir, opened: await openRecordByPhn(fhir, phnOf(te), TODAY, DEFAULT_FHIR_MAPPING) }
}

describe('visitBundle', () => {
    it('points at her Patient and EpisodeOfCare as the server holds them, whatever order it lists them in', async () => {
        const te = trackedEntityWithContacts(3)
        const { opened: record } = await opened(te, inServerOrder)
        const episode = record.bundle.entry!.find(
            (e) => e.resource?.resourceType === 'EpisodeOfCare'
        )!.resource!
        // The Condition carries the same enrollment identifier and comes after the episode.
        expect(record.bundle.entry!.at(-1)!.resource!.resourceType).toBe('Condition')
        const { bundle } = visitBundle(withVisit(te), EVENT, record, TODAY, DEFAULT_FHIR_MAPPING)
        const encounter = bundle.entry![0]!.resource as Encounter
        expect(encounter.subject).toEqual({ reference: `Patient/${record.patientId}` })
        expect(encounter.episodeOfCare).toEqual([{ reference: `EpisodeOfCare/${episode.id}` }])
        for (const e of bundle.entry!.slice(1)) {
            const r = e.resource as { subject?: unknown; encounter?: unknown; resourceType: string }
            if (r.resourceType !== 'Observation') continue
            expect(r.subject).toEqual({ reference: `Patient/${record.patientId}` })
            expect(r.encounter).toEqual({ reference: bundle.entry![0]!.fullUrl })
        }
    })

    it('holds the visit, the contact it fulfils and the pending ones; updates what she opened by id, without If-Match yet', async () => {
        const te = trackedEntityWithContacts(3)
        const { opened: record } = await opened(te)
        const { bundle, guarded } = visitBundle(
            withVisit(te),
            EVENT,
            record,
            TODAY,
            DEFAULT_FHIR_MAPPING
        )
        const types = bundle.entry!.map((e) => e.resource!.resourceType)
        expect(types[0]).toBe('Encounter')
        expect(types.filter((t) => t === 'Observation')).toHaveLength(2) // BP panel, weight
        expect(types).not.toContain('Patient')
        expect(types).not.toContain('EpisodeOfCare')
        const appointments = bundle.entry!.filter((e) => e.resource!.resourceType === 'Appointment')
        expect(appointments.map((e) => (e.resource as { status: string }).status)).toEqual([
            'fulfilled',
            ...appointments.slice(1).map(() => 'proposed'),
        ])
        // Every appointment she opened is updated by its id; none carries If-Match in the bundle.
        expect(guarded.length).toBe(appointments.length)
        for (const e of appointments) {
            expect(guarded).toContain(e.request!.url)
            expect(e.request!.url).toBe(`Appointment/${e.resource!.id}`)
        }
        expect(bundle.entry!.some((e) => e.request?.ifMatch)).toBe(false)
    })

    it('writes the same Encounter and Observations as the whole record does for that visit', async () => {
        const te = trackedEntityWithContacts(4)
        const { opened: record } = await opened(te)
        const enrollment = withVisit(te)
        const { bundle } = visitBundle(enrollment, EVENT, record, TODAY, DEFAULT_FHIR_MAPPING)
        const whole = trackerToFhirBundle({
            trackedEntity: { ...te, enrollments: [enrollment] },
            today: TODAY,
        }).bundle
        const ofVisit = (entries: BundleEntry[]) =>
            entries.filter((e) =>
                ((e.resource as { identifier?: { value?: string }[] }).identifier ?? []).some((i) =>
                    i.value?.startsWith(EVENT)
                )
            )
        const visit = ofVisit(bundle.entry!)
        const fromWhole = ofVisit(whole.entry!)
        expect(visit.map((e) => e.fullUrl)).toEqual(fromWhole.map((e) => e.fullUrl))
        expect(visit.map((e) => e.request)).toEqual(fromWhole.map((e) => e.request))
        const codes = (entries: BundleEntry[]) =>
            entries.map((e) => JSON.stringify((e.resource as { code?: unknown }).code ?? null))
        expect(codes(visit)).toEqual(codes(fromWhole))
    })
})

describe('saveVisit', () => {
    const engineFor = (te: TrackedEntity): Engine =>
        ({
            query: async () => ({ te }),
            mutate: async () => ({ status: 'OK', validationReport: { errorReports: [] } }),
        }) as unknown as Engine

    it('guards the opened resources with If-Match when sending, and queues the bundle without it', async () => {
        const te = trackedEntityWithContacts(3)
        const { fhir, opened: record } = await opened(te)
        const queued: Bundle[] = []
        const deps = {
            engine: engineFor(te),
            fhir,
            outbox: {
                enqueue: async (bundle: Bundle) => {
                    queued.push(bundle)
                    return { key: 'k', payload: bundle } as never
                },
            },
            opened: record,
            values: { date: TODAY, weightKg: 64 },
            today: TODAY,
            config: DEFAULT_FHIR_MAPPING,
            eventUid: EVENT,
        }
        expect(await saveVisit(deps)).toMatchObject({ kind: 'saved', fhir: 'sent' })
        const sent = fhir.requests.at(-1)!
        const updates = sent.entry!.filter((e) => /^Appointment\//.test(e.request!.url))
        expect(updates.length).toBeGreaterThan(0)
        for (const e of updates) expect(e.request!.ifMatch).toBe('W/"1"')

        fhir.failTransactionsWith = new FhirClientError('network', 'down')
        expect(await saveVisit(deps)).toMatchObject({ kind: 'saved', fhir: 'queued' })
        expect(queued[0]!.entry!.some((e) => e.request?.ifMatch)).toBe(false)
        expect(queued[0]!.entry!.map((e) => e.request!.url)).toEqual(
            sent.entry!.map((e) => e.request!.url)
        )
    })
})
