/**
 * Saving a visit: a DHIS2 event in the ANC contact stage, then ONE FHIR transaction with the
 * Encounter, its Observations and the Appointments it changes, built by shared/fhir's mapping
 * from the same tracker data (never a second mapping here).
 *
 * Nothing is overwritten silently. Before anything is written:
 * - DHIS2: every contact of the enrollment must be one the doctor saw when she opened the record;
 *   a contact recorded elsewhere since then stops the save;
 * - FHIR: the versions of the resources this visit updates are read back (one batch) and compared
 *   with the versions opened; any difference stops the save.
 * The FHIR transaction then carries `If-Match` on each of those resources, so a change in the
 * moment between check and write is refused by the server (412) rather than overwritten.
 * A FHIR push that fails for any other reason goes to the outbox (DHIS2 is the source; the
 * queued copy has no If-Match, because the visit is already saved there and the conditional
 * upserts make a replay harmless). When FHIR cannot be reached at all, its check cannot run:
 * the visit is still saved in DHIS2 (checked above) and the FHIR copy queued, as in
 * registration, so a clinic keeps recording visits while the national record is down.
 */
import type { UrineProtein } from '@anc/shared/anc'
import {
    FhirClientError,
    isFhirUnreachable,
    trackerToFhirBundle,
    type FhirMappingConfig,
} from '@anc/shared/fhir'
import { DATA_ELEMENTS, PROGRAM_ANC, PROGRAM_STAGES } from '@anc/shared/metadata'
import {
    dataValuesOf,
    generateUid,
    getTrackedEntity,
    importTracker,
    type Engine,
    type Enrollment,
    type FhirOutbox,
    type OutboxEntry,
    type TrackedEntity,
    type TrackerEvent,
} from '@anc/shared/tracker'
import type { Appointment, Bundle, BundleEntry, Identifier, Resource } from '@medplum/fhirtypes'
import type { FhirTransport, OpenedRecord } from '../record/open-record'

export interface VisitValues {
    /** Contact date, YYYY-MM-DD. */
    date: string
    systolic?: number
    diastolic?: number
    weightKg?: number
    fundalHeightCm?: number
    fetalHeartRate?: number
    haemoglobinGdl?: number
    urineProtein?: UrineProtein
    notes?: string
    /** Next appointment, YYYY-MM-DD. */
    nextAppointment?: string
    gaWeeks?: number
}

export type SaveVisitResult =
    | { status: 'saved'; event: string; fhir: 'sent' }
    | { status: 'saved'; event: string; fhir: 'queued'; entry: OutboxEntry<Bundle> }
    /** Nothing was written: the record changed since it was opened. */
    | { status: 'stale'; where: 'dhis2' | 'fhir'; detail: string }
    /** The DHIS2 event is saved; FHIR refused the update because someone changed it meanwhile. */
    | { status: 'fhirConflict'; event: string }
    /** DHIS2 refused the event (validation): messages from the import report. */
    | { status: 'rejected'; messages: string[] }

export class RecordNotInDhis2Error extends Error {
    constructor() {
        super('the record has no tracked entity or ANC enrollment in DHIS2')
        this.name = 'RecordNotInDhis2Error'
    }
}

export interface SaveVisitDeps {
    engine: Engine
    fhir: FhirTransport
    outbox: Pick<FhirOutbox<Bundle>, 'enqueue'>
    opened: OpenedRecord
    values: VisitValues
    today: string
    /** The operator's FHIR mapping (AncConfig.fhir), the same the record was opened with. */
    config: FhirMappingConfig
    /** Injected for tests; DHIS2 UIDs are generated in the browser so a retry reuses them. */
    eventUid?: string
}

export function visitDataValues(values: VisitValues): TrackerEvent['dataValues'] {
    const DE = DATA_ELEMENTS
    return dataValuesOf([
        [DE.systolicBp, values.systolic],
        [DE.diastolicBp, values.diastolic],
        [DE.weightKg, values.weightKg],
        [DE.fundalHeightCm, values.fundalHeightCm],
        [DE.fetalHeartRate, values.fetalHeartRate],
        [DE.haemoglobin, values.haemoglobinGdl],
        [DE.urineProtein, values.urineProtein],
        [DE.gestationalAgeWeeks, values.gaWeeks],
        [DE.notes, values.notes],
        [DE.nextAppointment, values.nextAppointment],
    ])
}

const identifierKey = (i: Identifier) => `${i.system}|${i.value}`

/** Opened resources by each of their identifiers. */
function openedByIdentifier(opened: OpenedRecord): Map<string, Resource> {
    const map = new Map<string, Resource>()
    for (const e of opened.bundle.entry ?? []) {
        const r = e.resource as (Resource & { identifier?: Identifier[] }) | undefined
        for (const i of r?.identifier ?? []) map.set(identifierKey(i), r!)
    }
    return map
}

function identifiersOf(resource: Resource | undefined): Identifier[] {
    return (resource as { identifier?: Identifier[] } | undefined)?.identifier ?? []
}

/**
 * The visit's part of the full-record transaction: its Encounter and Observations, the Appointment
 * it fulfils and the pending ones (renumbered by the new contact). References to entries left out
 * (the Patient, the EpisodeOfCare) are rewritten to the server ids read when the record opened, and
 * every entry that updates an opened resource carries If-Match with the opened version.
 */
export function narrowToVisit(
    full: Bundle,
    eventUid: string,
    opened: OpenedRecord,
    config: FhirMappingConfig
): { bundle: Bundle; guarded: string[] } {
    const entries = full.entry ?? []
    const byIdentifier = openedByIdentifier(opened)
    const isVisit = (r: Resource | undefined): boolean =>
        identifiersOf(r).some(
            (i) =>
                (i.system === config.systems.event && i.value === eventUid) ||
                (i.system === config.systems.dataValue && i.value?.startsWith(`${eventUid}-`))
        )
    const encounter = entries.find(
        (e) => e.resource?.resourceType === 'Encounter' && isVisit(e.resource)
    )
    const fulfilledRef =
        encounter?.resource?.resourceType === 'Encounter'
            ? encounter.resource.appointment?.[0]?.reference
            : undefined
    const kept: BundleEntry[] = []
    const rewrites = new Map<string, string>()
    for (const e of entries) {
        const r = e.resource
        const keep =
            isVisit(r) ||
            (r?.resourceType === 'Appointment' &&
                (r.status !== 'fulfilled' || e.fullUrl === fulfilledRef))
        if (keep) {
            kept.push(e)
            continue
        }
        // Left out: references to it point at the stored resource instead.
        const stored = identifiersOf(r)
            .map((i) => byIdentifier.get(identifierKey(i)))
            .find((s) => s?.id)
        if (e.fullUrl && stored) rewrites.set(e.fullUrl, `${stored.resourceType}/${stored.id}`)
    }
    let text = JSON.stringify(kept)
    for (const [from, to] of rewrites)
        text = text.split(JSON.stringify(from)).join(JSON.stringify(to))
    const narrowed = JSON.parse(text) as BundleEntry[]
    const guarded: string[] = []
    for (const e of narrowed) {
        const stored = identifiersOf(e.resource)
            .map((i) => byIdentifier.get(identifierKey(i)))
            .find((s) => s?.id)
        const version = stored?.id
            ? opened.versions.get(`${stored.resourceType}/${stored.id}`)
            : undefined
        if (stored?.id && version && e.request) {
            // Update by id with the version she saw: the server refuses (412) if it moved on.
            e.request = {
                method: 'PUT',
                url: `${stored.resourceType}/${stored.id}`,
                ifMatch: `W/"${version}"`,
            }
            e.resource = { ...e.resource!, id: stored.id }
            guarded.push(`${stored.resourceType}/${stored.id}`)
        }
    }
    return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: narrowed }, guarded }
}

/** Books the first pending contact on the date the doctor chose. */
export function bookNextAppointment(bundle: Bundle, date: string | undefined): void {
    if (!date) return
    const pending = (bundle.entry ?? [])
        .map((e) => e.resource)
        .filter(
            (r): r is Appointment => r?.resourceType === 'Appointment' && r.status === 'proposed'
        )
        .sort((a, b) =>
            (a.requestedPeriod?.[0]?.start ?? '').localeCompare(b.requestedPeriod?.[0]?.start ?? '')
        )
    const next = pending[0]
    if (!next) return
    next.status = 'booked'
    next.start = `${date}T08:00:00Z`
    next.end = `${date}T16:00:00Z`
    next.participant = (next.participant ?? []).map((p) => ({ ...p, status: 'accepted' }))
}

function withoutIfMatch(bundle: Bundle): Bundle {
    return {
        ...bundle,
        entry: (bundle.entry ?? []).map((e) => {
            if (!e.request?.ifMatch) return e
            const { ifMatch: _dropped, ...request } = e.request
            return { ...e, request }
        }),
    }
}

/** One batch read of the guarded resources; the references whose version moved on. */
async function changedSinceOpened(
    fhir: FhirTransport,
    opened: OpenedRecord,
    references: string[]
): Promise<string[]> {
    if (references.length === 0) return []
    const response = await fhir.transaction({
        resourceType: 'Bundle',
        type: 'batch',
        entry: references.map((url) => ({ request: { method: 'GET', url } })),
    })
    return references.filter((ref, i) => {
        const entry = response.entry?.[i]
        const current = entry?.resource?.meta?.versionId
        return !entry?.response?.status?.startsWith('200') || current !== opened.versions.get(ref)
    })
}

function ancEnrollment(te: TrackedEntity, uid: string | undefined): Enrollment | undefined {
    const enrollments = (te.enrollments ?? []).filter(
        (e) => e.program === PROGRAM_ANC && !e.deleted
    )
    return (
        enrollments.find((e) => e.enrollment === uid) ??
        enrollments.find((e) => e.status === 'ACTIVE')
    )
}

export async function saveVisit(deps: SaveVisitDeps): Promise<SaveVisitResult> {
    const { engine, fhir, opened, values, today, config } = deps
    if (!opened.trackedEntity) throw new RecordNotInDhis2Error()
    const te = await getTrackedEntity(engine, opened.trackedEntity, { program: PROGRAM_ANC })
    const enrollment = te && ancEnrollment(te, opened.enrollment)
    if (!te || !enrollment) throw new RecordNotInDhis2Error()

    // DHIS2 first: a contact she did not see means the record moved on.
    const seen = new Set(opened.record.contacts.map((c) => c.eventUid))
    const unseen = (enrollment.events ?? []).filter(
        (e) => !e.deleted && e.status !== 'SCHEDULE' && e.status !== 'SKIPPED' && !seen.has(e.event)
    )
    if (unseen.length > 0) {
        return {
            status: 'stale',
            where: 'dhis2',
            detail: unseen.map((e) => e.occurredAt?.slice(0, 10) ?? e.event).join(', '),
        }
    }

    const eventUid = deps.eventUid ?? generateUid()
    const event: TrackerEvent = {
        event: eventUid,
        program: PROGRAM_ANC,
        programStage: PROGRAM_STAGES.contact,
        enrollment: enrollment.enrollment,
        trackedEntity: te.trackedEntity,
        orgUnit: enrollment.orgUnit,
        occurredAt: values.date,
        status: 'COMPLETED',
        dataValues: visitDataValues(values),
    }
    const withVisit: Enrollment = { ...enrollment, events: [...(enrollment.events ?? []), event] }
    const { bundle: full } = trackerToFhirBundle(
        { trackedEntity: { ...te, enrollments: [withVisit] }, enrollment: withVisit, today },
        config
    )
    const { bundle, guarded } = narrowToVisit(full, eventUid, opened, config)
    bookNextAppointment(bundle, values.nextAppointment)

    // FHIR: did anything this visit updates change since it was opened?
    let unreachable: unknown
    try {
        const changed = await changedSinceOpened(fhir, opened, guarded)
        if (changed.length > 0)
            return { status: 'stale', where: 'fhir', detail: changed.join(', ') }
    } catch (error) {
        if (!isFhirUnreachable(error)) throw error
        unreachable = error
    }

    const imported = await importTracker(engine, { events: [event] })
    if (!imported.ok) {
        const messages = [
            ...imported.problems.general.map((p) => p.message),
            ...Object.values(imported.problems.fields).flat(),
        ]
        return { status: 'rejected', messages: messages.map(String) }
    }

    const queue = async (error: unknown): Promise<SaveVisitResult> => {
        const entry = await deps.outbox.enqueue(withoutIfMatch(bundle), {
            error,
            subject: { trackedEntity: te.trackedEntity, label: opened.phn },
        })
        return { status: 'saved', event: eventUid, fhir: 'queued', entry }
    }
    // Down a moment ago: straight to the outbox rather than a second wait for a timeout.
    if (unreachable) return queue(unreachable)
    try {
        await fhir.transaction(bundle)
        return { status: 'saved', event: eventUid, fhir: 'sent' }
    } catch (error) {
        if (error instanceof FhirClientError && error.kind === 'preconditionFailed')
            return { status: 'fhirConflict', event: eventUid }
        return queue(error)
    }
}
