/**
 * DHIS2 tracked entity + ANC enrollment + events → one FHIR R4 transaction Bundle.
 *
 * Every entry is a conditional upsert (`PUT Type?identifier=system|value`) keyed by the PHN or a
 * DHIS2 UID, with a deterministic urn:uuid fullUrl, so re-sending the bundle changes nothing.
 * The conditional URLs travel inside the JSON body, which DHIS2 routes pass untouched (a `|` in a
 * route's own query string breaks on DHIS2 2.42.4+).
 *
 * Modelling choices:
 * - The pregnancy is an EpisodeOfCare (the ANC programme enrollment: status, period) **and** a
 *   Condition "Pregnant" (the clinical fact: onset = LMP), linked by EpisodeOfCare.diagnosis.
 *   Other systems look for pregnancy in Condition (IPS problem list, `Condition?code=77386006`);
 *   the episode is what encounters belong to.
 * - Blood pressure is one Observation, LOINC 85354-9, with systolic and diastolic components:
 *   the shape of FHIR's vital-signs BP profile; it keeps a reading's two numbers together.
 * - Appointments: contacts already attended become `fulfilled` appointments (linked from their
 *   Encounter), pending WHO contacts `proposed` with a requested period (due date to the day
 *   before overdue), expired ones `cancelled`. Keyed by enrollment + contact number, a later push
 *   turns the earlier proposal into the fulfilled one instead of leaving it dangling.
 *
 * Static parts of resources (codings, categories) are shared between resources for speed:
 * serialise the bundle, do not mutate it.
 */
import type {
    Appointment,
    Bundle,
    BundleEntry,
    CodeableConcept,
    Condition,
    Encounter,
    EpisodeOfCare,
    Identifier,
    Observation,
    Patient,
    Reference,
    Resource,
} from '@medplum/fhirtypes'
import { calendarDateOf, isCalendarDate, type CalendarDate } from '../anc/dates'
import { eddFromLmp } from '../anc/gestation'
import { ancSchedule } from '../anc/schedule'
import {
    DEFAULT_FHIR_MAPPING,
    UCUM,
    type FhirMappingConfig,
    type ObservationMapping,
} from './config'
import type { Enrollment, TrackedEntity, TrackerEvent } from '../tracker/types'
import { isValidUid } from '../tracker/uid'
import { deterministicUuid, type UuidKind } from './uuid'

/*
 * What the mapping reads of tracker JSON, derived from tracker/types: only the UIDs (and an
 * event's or enrollment's status) are required, because a `fields=` filter may leave anything
 * else out. A full tracker/ `TrackedEntity` fits as it is.
 */
export type MappableEvent = Pick<TrackerEvent, 'event' | 'status'> &
    Partial<Pick<TrackerEvent, 'occurredAt' | 'dataValues' | 'deleted'>>
export type MappableEnrollment = Pick<Enrollment, 'enrollment' | 'program' | 'status'> &
    Partial<Pick<Enrollment, 'enrolledAt' | 'occurredAt' | 'attributes' | 'deleted'>> & {
        events?: readonly MappableEvent[]
    }
export type MappableTrackedEntity = Pick<TrackedEntity, 'trackedEntity'> &
    Partial<Pick<TrackedEntity, 'attributes'>> & {
        enrollments?: readonly MappableEnrollment[]
    }

export interface TrackerToFhirInput {
    trackedEntity: MappableTrackedEntity
    /** The ANC enrollment; default: the latest enrollment in the configured program. */
    enrollment?: MappableEnrollment
    /** Default: the enrollment's events. */
    events?: readonly MappableEvent[]
    /** The day the schedule is evaluated for (appointment statuses): pass it, for determinism. */
    today: CalendarDate
}

export interface MappingProblem {
    /** What was skipped: 'attribute:<uid>', 'event:<uid>', 'dataValue:<event>/<de>', 'lmp'... */
    source: string
    reason: string
}

export interface TrackerToFhirResult {
    bundle: Bundle
    problems: MappingProblem[]
}

const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category'
const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical'
const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status'
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category'
const DECIMAL = /^-?\d+(\.\d+)?$/
const INTEGER = /^-?\d+$/

interface PreparedMapping {
    mapping: ObservationMapping
    index: number
    code: CodeableConcept
    category: CodeableConcept[]
}

interface Prepared {
    /** In config order, so output order does not depend on the order DHIS2 lists data values. */
    mappings: PreparedMapping[]
    eddMapping: PreparedMapping | undefined
    bpPanel: CodeableConcept
    bpSystolic: CodeableConcept
    bpDiastolic: CodeableConcept
    vitalSigns: CodeableConcept[]
    encounterType: CodeableConcept[]
    reasonCode: CodeableConcept[]
    conditionCode: CodeableConcept
    episodeType: CodeableConcept[]
    serviceType: CodeableConcept[]
}

// Preparing the static parts once per config object keeps the per-patient work small.
const preparedCache = new WeakMap<FhirMappingConfig, Prepared>()

function category(code: string): CodeableConcept[] {
    return [{ coding: [{ system: OBSERVATION_CATEGORY, code }] }]
}

function prepare(config: FhirMappingConfig): Prepared {
    const cached = preparedCache.get(config)
    if (cached) return cached
    const all = [...config.pregnancy.observations, ...config.observations]
    // Index 0 is the blood-pressure panel; mappings follow from 1.
    const mappings = all.map((mapping, i) => ({
        mapping,
        index: i + 1,
        code: { coding: mapping.code.map((c) => ({ ...c })), text: mapping.code[0]?.display },
        category: category(mapping.category),
    }))
    const cc = (
        codings: readonly { system: string; code: string; display?: string }[]
    ): CodeableConcept => ({
        coding: codings.map((c) => ({ ...c })),
    })
    const eddEntry = config.pregnancy.observations.find((m) => m.key === 'edd')
    const prepared: Prepared = {
        mappings,
        eddMapping: eddEntry ? mappings.find((m) => m.mapping === eddEntry) : undefined,
        bpPanel: { ...cc(config.bloodPressure.panel), text: 'Blood pressure' },
        bpSystolic: cc(config.bloodPressure.systolic),
        bpDiastolic: cc(config.bloodPressure.diastolic),
        vitalSigns: category('vital-signs'),
        encounterType: [cc(config.encounter.type)],
        reasonCode: [cc(config.encounter.reasonCode)],
        conditionCode: cc(config.pregnancy.conditionCode),
        episodeType: [cc(config.pregnancy.episodeType)],
        serviceType: [cc(config.appointment.serviceType)],
    }
    preparedCache.set(config, prepared)
    return prepared
}

function urn(kind: UuidKind, uid: string, sub = 0): string {
    return `urn:uuid:${deterministicUuid(kind, uid, sub)}`
}

function entry(fullUrl: string, resource: Resource, identifier: Identifier): BundleEntry {
    return {
        fullUrl,
        resource,
        request: {
            method: 'PUT',
            url: `${resource.resourceType}?identifier=${identifier.system}|${encodeURIComponent(identifier.value!)}`,
        },
    }
}

export function pickAncEnrollment(
    te: MappableTrackedEntity,
    program: string
): MappableEnrollment | undefined {
    let best: MappableEnrollment | undefined
    for (const e of te.enrollments ?? []) {
        if (e.program !== program || e.deleted) continue
        if (!best || (e.enrolledAt ?? '') > (best.enrolledAt ?? '')) best = e
    }
    return best
}

/** Whether an event is an ANC contact that took place (not a scheduled or skipped one). */
function isContact(event: MappableEvent): boolean {
    return (
        !event.deleted &&
        (event.status === 'COMPLETED' || event.status === 'ACTIVE' || event.status === 'VISITED')
    )
}

export function trackerToFhirBundle(
    input: TrackerToFhirInput,
    config: FhirMappingConfig = DEFAULT_FHIR_MAPPING
): TrackerToFhirResult {
    const problems: MappingProblem[] = []
    const te = input.trackedEntity
    if (!isValidUid(te.trackedEntity)) throw new RangeError('tracked entity has no valid UID')
    const p = prepare(config)
    const sys = config.systems
    const attrs = config.attributes

    const attrValues = new Map<string, string>()
    for (const a of te.attributes ?? []) {
        if (typeof a.value === 'string' && a.value !== '') attrValues.set(a.attribute, a.value)
    }
    const enrollment = input.enrollment ?? pickAncEnrollment(te, config.program)
    for (const a of enrollment?.attributes ?? []) {
        if (typeof a.value === 'string' && a.value !== '') attrValues.set(a.attribute, a.value)
    }

    // Patient -------------------------------------------------------------------------------
    const teIdentifier: Identifier = {
        use: 'secondary',
        system: sys.trackedEntity,
        value: te.trackedEntity,
    }
    const identifiers: Identifier[] = []
    const phn = attrValues.get(attrs.phn)
    const phnIdentifier: Identifier | undefined = phn
        ? { use: 'official', system: sys.phn, value: phn }
        : undefined
    if (phnIdentifier) identifiers.push(phnIdentifier)
    else
        problems.push({
            source: `attribute:${attrs.phn}`,
            reason: 'no PHN: Patient keyed by the tracked entity UID',
        })
    const sub = attrValues.get(attrs.esignetSub)
    if (sub) identifiers.push({ use: 'secondary', system: sys.esignetSub, value: sub })
    // The NIC attribute is written only when the person shared it (claims/): its presence is the consent.
    const nic = attrValues.get(attrs.nic)
    if (nic && config.shareNic) identifiers.push({ use: 'secondary', system: sys.nic, value: nic })
    identifiers.push(teIdentifier)

    const patient: Patient = { resourceType: 'Patient' }
    if (config.patientProfiles.length > 0) patient.meta = { profile: [...config.patientProfiles] }
    patient.identifier = identifiers
    const fullName = attrValues.get(attrs.fullName)
    const given = attrValues.get(attrs.givenName)
    const family = attrValues.get(attrs.familyName)
    if (fullName || given || family) {
        patient.name = [
            {
                use: 'official',
                ...(fullName ? { text: fullName } : {}),
                ...(family ? { family } : {}),
                ...(given ? { given: [given] } : {}),
            },
        ]
    }
    const sex = attrValues.get(attrs.sex)
    if (sex) {
        const gender = Object.hasOwn(config.genderCodes, sex) ? config.genderCodes[sex] : undefined
        if (gender) patient.gender = gender
        else
            problems.push({
                source: `attribute:${attrs.sex}`,
                reason: `unknown sex option code ${JSON.stringify(sex)}`,
            })
    }
    const birthDate = attrValues.get(attrs.birthDate)
    if (birthDate) {
        const d = calendarDateOf(birthDate)
        if (d) patient.birthDate = d
        else problems.push({ source: `attribute:${attrs.birthDate}`, reason: 'not a date' })
    }
    const phone = attrValues.get(attrs.phone)
    const email = attrValues.get(attrs.email)
    if (phone || email) {
        patient.telecom = []
        if (phone) patient.telecom.push({ system: 'phone', value: phone, use: 'mobile' })
        if (email) patient.telecom.push({ system: 'email', value: email })
    }
    const address = attrValues.get(attrs.address)
    if (address) patient.address = [{ use: 'home', text: address }]

    const patientUrl = urn('patient', te.trackedEntity)
    const patientRef: Reference<Patient> = { reference: patientUrl }
    const entries: BundleEntry[] = [entry(patientUrl, patient, phnIdentifier ?? teIdentifier)]
    if (!enrollment)
        return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries }, problems }
    if (!isValidUid(enrollment.enrollment)) throw new RangeError('enrollment has no valid UID')

    // Events: contacts only, in date order ------------------------------------------------------
    const contacts: { event: MappableEvent; date: CalendarDate }[] = []
    for (const event of input.events ?? enrollment.events ?? []) {
        if (!isContact(event)) continue
        const date = calendarDateOf(event.occurredAt)
        if (!isValidUid(event.event) || !date) {
            problems.push({
                source: `event:${String(event.event)}`,
                reason: 'no valid UID or occurredAt: skipped',
            })
            continue
        }
        contacts.push({ event, date })
    }
    contacts.sort((a, b) =>
        a.date < b.date ? -1 : a.date > b.date ? 1 : a.event.event < b.event.event ? -1 : 1
    )

    // LMP: the recorded data value, else the enrollment's incident date.
    let lmp: CalendarDate | undefined
    let lmpEvent: MappableEvent | undefined
    for (const { event } of contacts) {
        const v = event.dataValues?.find(
            (dv) => dv.dataElement === config.pregnancy.lmpDataElement
        )?.value
        if (v && isCalendarDate(calendarDateOf(v))) {
            lmp = calendarDateOf(v)
            lmpEvent = event
            break
        }
    }
    lmp ??= calendarDateOf(enrollment.occurredAt)
    if (!lmp) problems.push({ source: 'lmp', reason: 'no LMP: no EDD and no schedule' })

    // Pregnancy: Condition + EpisodeOfCare ------------------------------------------------------
    const enrollmentIdentifier: Identifier = {
        system: sys.enrollment,
        value: enrollment.enrollment,
    }
    const active = enrollment.status === 'ACTIVE'
    const conditionUrl = urn('condition', enrollment.enrollment)
    const condition: Condition = {
        resourceType: 'Condition',
        identifier: [enrollmentIdentifier],
        clinicalStatus: {
            coding: [{ system: CONDITION_CLINICAL, code: active ? 'active' : 'resolved' }],
        },
        verificationStatus: { coding: [{ system: CONDITION_VERIFICATION, code: 'confirmed' }] },
        category: [{ coding: [{ system: CONDITION_CATEGORY, code: 'problem-list-item' }] }],
        code: p.conditionCode,
        subject: patientRef,
    }
    if (lmp) condition.onsetDateTime = lmp
    const episodeUrl = urn('episodeOfCare', enrollment.enrollment)
    const episode: EpisodeOfCare = {
        resourceType: 'EpisodeOfCare',
        identifier: [enrollmentIdentifier],
        status: active ? 'active' : enrollment.status === 'CANCELLED' ? 'cancelled' : 'finished',
        type: p.episodeType,
        diagnosis: [{ condition: { reference: conditionUrl } }],
        patient: patientRef,
    }
    const enrolledAt = calendarDateOf(enrollment.enrolledAt)
    if (enrolledAt) episode.period = { start: enrolledAt }
    entries.push(
        entry(conditionUrl, condition, enrollmentIdentifier),
        entry(episodeUrl, episode, enrollmentIdentifier)
    )
    const episodeRefs: Reference<EpisodeOfCare>[] = [{ reference: episodeUrl }]

    // Schedule (appointments) ------------------------------------------------------------------
    const schedule = lmp
        ? ancSchedule({ lmp, contactDates: contacts.map((c) => c.date), today: input.today })
        : undefined
    const offset = config.appointment.timeZoneOffset

    // Encounters and observations --------------------------------------------------------------
    let ordinal = 0
    for (const { event, date } of contacts) {
        // Contacts the schedule ignored (after `today`) get no appointment link.
        const attended = schedule?.attended.find((a) => a.date === date && a.ordinal > ordinal)
        if (attended) ordinal = attended.ordinal
        const encUrl = urn('encounter', event.event)
        const eventIdentifier: Identifier = { system: sys.event, value: event.event }
        const encounter: Encounter = {
            resourceType: 'Encounter',
            identifier: [eventIdentifier],
            status: event.status === 'COMPLETED' ? 'finished' : 'in-progress',
            class: config.encounter.class,
            type: p.encounterType,
            reasonCode: p.reasonCode,
            subject: patientRef,
            episodeOfCare: episodeRefs,
            period: { start: date },
        }
        if (attended)
            encounter.appointment = [
                { reference: urn('appointment', enrollment.enrollment, attended.ordinal) },
            ]
        entries.push(entry(encUrl, encounter, eventIdentifier))
        const encRef: Reference<Encounter> = { reference: encUrl }

        const values = new Map<string, string>()
        for (const dv of event.dataValues ?? [])
            if (typeof dv.value === 'string' && dv.value !== '')
                values.set(dv.dataElement, dv.value)

        // Blood pressure panel.
        const sbp = values.get(config.bloodPressure.systolicDataElement)
        const dbp = values.get(config.bloodPressure.diastolicDataElement)
        if (sbp !== undefined || dbp !== undefined) {
            const component: NonNullable<Observation['component']> = []
            for (const [raw, code, de] of [
                [sbp, p.bpSystolic, config.bloodPressure.systolicDataElement],
                [dbp, p.bpDiastolic, config.bloodPressure.diastolicDataElement],
            ] as const) {
                if (raw === undefined) continue
                if (!DECIMAL.test(raw)) {
                    problems.push({
                        source: `dataValue:${event.event}/${de}`,
                        reason: 'not a number',
                    })
                    continue
                }
                component.push({
                    code,
                    valueQuantity: {
                        value: Number(raw),
                        unit: 'mmHg',
                        system: UCUM,
                        code: 'mm[Hg]',
                    },
                })
            }
            if (component.length > 0) {
                const id: Identifier = {
                    system: sys.dataValue,
                    value: `${event.event}-${config.bloodPressure.systolicDataElement}`,
                }
                const url = urn('observation', event.event, 0)
                entries.push(
                    entry(
                        url,
                        {
                            resourceType: 'Observation',
                            identifier: [id],
                            status: 'final',
                            category: p.vitalSigns,
                            code: p.bpPanel,
                            subject: patientRef,
                            encounter: encRef,
                            effectiveDateTime: date,
                            component,
                        },
                        id
                    )
                )
            }
        }

        for (const pm of p.mappings) {
            const raw = values.get(pm.mapping.dataElement)
            if (raw === undefined) continue
            const obs = observation(
                pm,
                raw,
                event.event,
                date,
                patientRef,
                encRef,
                sys.dataValue,
                problems
            )
            if (obs) entries.push(obs)
        }
        // EDD derived from the LMP (Naegele) where it was not recorded.
        if (
            event === lmpEvent &&
            lmp &&
            p.eddMapping &&
            !values.has(p.eddMapping.mapping.dataElement)
        ) {
            const obs = observation(
                p.eddMapping,
                eddFromLmp(lmp),
                event.event,
                date,
                patientRef,
                encRef,
                sys.dataValue,
                problems
            )
            if (obs) entries.push(obs)
        }
    }

    // Appointments ------------------------------------------------------------------------------
    if (schedule) {
        const participant = [{ actor: patientRef, status: 'accepted' as const }]
        for (const a of schedule.attended) {
            const id: Identifier = {
                system: sys.appointment,
                value: `${enrollment.enrollment}-${a.ordinal}`,
            }
            const appt: Appointment = {
                resourceType: 'Appointment',
                identifier: [id],
                status: 'fulfilled',
                serviceType: p.serviceType,
                description: `ANC contact ${a.ordinal}`,
                start: `${a.date}T00:00:00${offset}`,
                end: `${a.date}T23:59:59${offset}`,
                participant,
            }
            entries.push(entry(urn('appointment', enrollment.enrollment, a.ordinal), appt, id))
        }
        const pending = [{ actor: patientRef, status: 'needs-action' as const }]
        for (const c of schedule.planned) {
            const id: Identifier = {
                system: sys.appointment,
                value: `${enrollment.enrollment}-${c.ordinal}`,
            }
            const appt: Appointment = {
                resourceType: 'Appointment',
                identifier: [id],
                status: !active || c.status === 'expired' ? 'cancelled' : 'proposed',
                serviceType: p.serviceType,
                description: `ANC contact ${c.ordinal} (${c.targetGaWeeks} weeks)`,
                requestedPeriod: [{ start: c.dueDate, end: c.overdueFrom }],
                participant: pending,
            }
            entries.push(entry(urn('appointment', enrollment.enrollment, c.ordinal), appt, id))
        }
    }

    return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries }, problems }
}

function observation(
    pm: PreparedMapping,
    raw: string,
    eventUid: string,
    date: CalendarDate,
    subject: Reference<Patient>,
    encounter: Reference<Encounter>,
    system: string,
    problems: MappingProblem[]
): BundleEntry | undefined {
    const { mapping } = pm
    const id: Identifier = { system, value: `${eventUid}-${mapping.dataElement}` }
    const obs: Observation = {
        resourceType: 'Observation',
        identifier: [id],
        status: 'final',
        category: pm.category,
        code: pm.code,
        subject,
        encounter,
        effectiveDateTime: date,
    }
    const v = mapping.value
    let problem: string | undefined
    switch (v.type) {
        case 'quantity':
            if (DECIMAL.test(raw))
                obs.valueQuantity = { value: Number(raw), unit: v.unit, system: UCUM, code: v.ucum }
            else problem = 'not a number'
            break
        case 'integer':
            if (INTEGER.test(raw)) obs.valueInteger = Number(raw)
            else problem = 'not an integer'
            break
        case 'dateTime': {
            const d = calendarDateOf(raw)
            if (d) obs.valueDateTime = d
            else problem = 'not a date'
            break
        }
        case 'coded':
            obs.valueCodeableConcept = { coding: [{ system: v.system, code: raw }], text: raw }
            break
    }
    if (problem) {
        problems.push({ source: `dataValue:${eventUid}/${mapping.dataElement}`, reason: problem })
        return undefined
    }
    return entry(`urn:uuid:${deterministicUuid('observation', eventUid, pm.index)}`, obs, id)
}
