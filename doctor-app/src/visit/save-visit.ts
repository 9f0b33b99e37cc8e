/**
 * Saving a visit: a DHIS2 event in the ANC contact stage, then ONE FHIR transaction with the
 * Encounter, its Observations and the Appointments it changes, made by shared/fhir's builders
 * from the same tracker data as the whole record (never a second mapping here).
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
import {
    appointmentEntries,
    contactEntries,
    episodeUrn,
    FhirClientError,
    isFhirUnreachable,
    readPregnancy,
    type FhirMappingConfig,
} from '@anc/shared/fhir'
import { PROGRAM_ANC, PROGRAM_STAGES } from '@anc/shared/metadata'
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
import type { UrineProtein } from '@anc/shared/anc'
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
    | { kind: 'saved'; event: string; fhir: 'sent' }
    | { kind: 'saved'; event: string; fhir: 'queued'; entry: OutboxEntry<Bundle> }
    /** Nothing was written: the record changed since it was opened. */
    | { kind: 'stale'; where: 'dhis2' | 'fhir'; detail: string }
    /** The DHIS2 event is saved; FHIR refused the update because someone changed it meanwhile. */
    | { kind: 'fhirConflict'; event: string }
    /** DHIS2 refused the event (validation): messages from the import report. */
    | { kind: 'rejected'; messages: string[] }

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
    return dataValuesOf({
        systolicBp: values.systolic,
        diastolicBp: values.diastolic,
        weightKg: values.weightKg,
        fundalHeightCm: values.fundalHeightCm,
        fetalHeartRate: values.fetalHeartRate,
        haemoglobin: values.haemoglobinGdl,
        urineProtein: values.urineProtein,
        gestationalAgeWeeks: values.gaWeeks,
        notes: values.notes,
        nextAppointment: values.nextAppointment,
    })
}

/** The opened resources, by type and each of their identifiers. */
function openedByIdentifier(opened: OpenedRecord): Map<string, Resource> {
    const map = new Map<string, Resource>()
    for (const e of opened.bundle.entry ?? []) {
        const r = e.resource as (Resource & { identifier?: Identifier[] }) | undefined
        for (const i of r?.identifier ?? [])
            map.set(`${r!.resourceType}|${i.system}|${i.value}`, r!)
    }
    return map
}

/**
 * The visit's part of the record: its Encounter and Observations, the Appointment it fulfils and
 * the pending ones (renumbered by the new contact). They point at her Patient and EpisodeOfCare
 * as the server holds them (read when the record opened); a resource she opened is updated by id
 * (`guarded`), so that its version can be compared before saving and guarded when sending.
 */
export function visitBundle(
    enrollment: Enrollment,
    eventUid: string,
    opened: OpenedRecord,
    today: string,
    config: FhirMappingConfig
): { bundle: Bundle; guarded: string[] } {
    const pregnancy = readPregnancy({ enrollment, today }, config, [])
    const stored = openedByIdentifier(opened)
    const episode = stored.get(
        `EpisodeOfCare|${config.systems.enrollment}|${enrollment.enrollment}`
    )
    const patient = { reference: `Patient/${opened.patientId}` }
    const contact = pregnancy.contacts.find((c) => c.event.event === eventUid)
    const entries: BundleEntry[] = [
        ...(contact
            ? contactEntries(
                  pregnancy,
                  contact,
                  {
                      patient,
                      episode: {
                          reference: episode?.id
                              ? `EpisodeOfCare/${episode.id}`
                              : episodeUrn(pregnancy),
                      },
                  },
                  config,
                  []
              )
            : []),
        ...appointmentEntries(
            pregnancy,
            patient,
            config,
            (ordinal) => ordinal === contact?.ordinal
        ),
    ]
    const guarded: string[] = []
    const bundleEntries = entries.map((e) => {
        const resource = e.resource as Resource & { identifier?: Identifier[] }
        const known = (resource.identifier ?? [])
            .map((i) => stored.get(`${resource.resourceType}|${i.system}|${i.value}`))
            .find((r) => r?.id)
        const ref = known?.id ? `${known.resourceType}/${known.id}` : undefined
        if (!ref || !opened.versions.has(ref)) return e
        // An update by id of what she opened: its version is checked, then guarded by If-Match.
        guarded.push(ref)
        return {
            ...e,
            resource: { ...resource, id: known!.id },
            request: { method: 'PUT' as const, url: ref },
        }
    })
    return {
        bundle: { resourceType: 'Bundle', type: 'transaction', entry: bundleEntries },
        guarded,
    }
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

/** The bundle as sent: each update of an opened resource guarded by the version she saw. */
function withIfMatch(bundle: Bundle, versions: ReadonlyMap<string, string>): Bundle {
    return {
        ...bundle,
        entry: (bundle.entry ?? []).map((e) => {
            const version = e.request ? versions.get(e.request.url) : undefined
            return version && e.request
                ? { ...e, request: { ...e.request, ifMatch: `W/"${version}"` } }
                : e
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
            kind: 'stale',
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
    const { bundle, guarded } = visitBundle(withVisit, eventUid, opened, today, config)
    bookNextAppointment(bundle, values.nextAppointment)

    // FHIR: did anything this visit updates change since it was opened?
    let unreachable: unknown
    try {
        const changed = await changedSinceOpened(fhir, opened, guarded)
        if (changed.length > 0) return { kind: 'stale', where: 'fhir', detail: changed.join(', ') }
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
        return { kind: 'rejected', messages: messages.map(String) }
    }

    const queue = async (error: unknown): Promise<SaveVisitResult> => {
        const entry = await deps.outbox.enqueue(bundle, {
            error,
            subject: { trackedEntity: te.trackedEntity, label: opened.phn },
        })
        return { kind: 'saved', event: eventUid, fhir: 'queued', entry }
    }
    // Down a moment ago: straight to the outbox rather than a second wait for a timeout.
    if (unreachable) return queue(unreachable)
    try {
        await fhir.transaction(withIfMatch(bundle, opened.versions))
        return { kind: 'saved', event: eventUid, fhir: 'sent' }
    } catch (error) {
        if (error instanceof FhirClientError && error.kind === 'preconditionFailed')
            return { kind: 'fhirConflict', event: eventUid }
        return queue(error)
    }
}
