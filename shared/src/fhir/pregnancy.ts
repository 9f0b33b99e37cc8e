/**
 * One pregnancy, read from its ANC enrollment: the contacts that took place (in date order),
 * the LMP, the WHO schedule for `today` and which planned contact each visit fulfilled. Every
 * builder of its resources reads this, so a visit and the whole record agree on them.
 *
 * The pregnancy is an EpisodeOfCare (the ANC programme enrollment: status, period) **and** a
 * Condition "Pregnant" (the clinical fact: onset = LMP), linked by EpisodeOfCare.diagnosis.
 * Other systems look for pregnancy in Condition (IPS problem list, `Condition?code=77386006`);
 * the episode is what encounters belong to.
 */
import type {
    BundleEntry,
    Condition,
    EpisodeOfCare,
    Identifier,
    Patient,
    Reference,
} from '@medplum/fhirtypes'
import { calendarDateOf, isCalendarDate, type CalendarDate } from '../anc/dates'
import { ancSchedule } from '../anc/schedule'
import { isValidUid } from '../tracker/uid'
import type { FhirMappingConfig } from './config'
import {
    preparedCodes,
    upsertEntry,
    urn,
    type MappableEnrollment,
    type MappableEvent,
    type MappableTrackedEntity,
    type MappingProblem,
} from './entries'

const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical'
const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status'
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category'

export interface Contact {
    event: MappableEvent
    date: CalendarDate
    /** The planned WHO contact this visit fulfilled; none for a visit the schedule ignored. */
    ordinal: number | undefined
}

export interface Pregnancy {
    enrollment: MappableEnrollment
    /** Contacts that took place, by date (then event UID). */
    contacts: Contact[]
    lmp: CalendarDate | undefined
    /** The contact whose data values hold the LMP (its Observations carry the derived EDD). */
    lmpEvent: MappableEvent | undefined
    schedule: ReturnType<typeof ancSchedule> | undefined
}

/** The latest enrollment in the programme (the current pregnancy). */
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

export function readPregnancy(
    input: {
        enrollment: MappableEnrollment
        /** Default: the enrollment's events. */
        events?: readonly MappableEvent[] | undefined
        /** The day the schedule is evaluated for (appointment statuses). */
        today: CalendarDate
    },
    config: FhirMappingConfig,
    problems: MappingProblem[]
): Pregnancy {
    const { enrollment } = input
    if (!isValidUid(enrollment.enrollment)) throw new RangeError('enrollment has no valid UID')
    const dated: { event: MappableEvent; date: CalendarDate }[] = []
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
        dated.push({ event, date })
    }
    dated.sort((a, b) =>
        a.date < b.date ? -1 : a.date > b.date ? 1 : a.event.event < b.event.event ? -1 : 1
    )

    // LMP: the recorded data value, else the enrollment's incident date.
    let lmp: CalendarDate | undefined
    let lmpEvent: MappableEvent | undefined
    for (const { event } of dated) {
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

    const schedule = lmp
        ? ancSchedule({ lmp, contactDates: dated.map((c) => c.date), today: input.today })
        : undefined
    // Contacts the schedule ignored (after `today`) fulfil no planned contact.
    let ordinal = 0
    const contacts = dated.map(({ event, date }) => {
        const attended = schedule?.attended.find((a) => a.date === date && a.ordinal > ordinal)
        if (attended) ordinal = attended.ordinal
        return { event, date, ordinal: attended?.ordinal }
    })
    return { enrollment, contacts, lmp, lmpEvent, schedule }
}

/** The reference to the pregnancy's EpisodeOfCare within one bundle. */
export function episodeUrn(pregnancy: Pregnancy): string {
    return urn('episodeOfCare', pregnancy.enrollment.enrollment)
}

/** Condition "Pregnant" and the EpisodeOfCare of the enrollment. */
export function pregnancyEntries(
    pregnancy: Pregnancy,
    patient: Reference<Patient>,
    config: FhirMappingConfig
): BundleEntry[] {
    const { enrollment, lmp } = pregnancy
    const codes = preparedCodes(config)
    const identifier: Identifier = {
        system: config.systems.enrollment,
        value: enrollment.enrollment,
    }
    const active = enrollment.status === 'ACTIVE'
    const conditionUrl = urn('condition', enrollment.enrollment)
    const condition: Condition = {
        resourceType: 'Condition',
        identifier: [identifier],
        clinicalStatus: {
            coding: [{ system: CONDITION_CLINICAL, code: active ? 'active' : 'resolved' }],
        },
        verificationStatus: { coding: [{ system: CONDITION_VERIFICATION, code: 'confirmed' }] },
        category: [{ coding: [{ system: CONDITION_CATEGORY, code: 'problem-list-item' }] }],
        code: codes.conditionCode,
        subject: patient,
    }
    if (lmp) condition.onsetDateTime = lmp
    const episode: EpisodeOfCare = {
        resourceType: 'EpisodeOfCare',
        identifier: [identifier],
        status: active ? 'active' : enrollment.status === 'CANCELLED' ? 'cancelled' : 'finished',
        type: codes.episodeType,
        diagnosis: [{ condition: { reference: conditionUrl } }],
        patient,
    }
    const enrolledAt = calendarDateOf(enrollment.enrolledAt)
    if (enrolledAt) episode.period = { start: enrolledAt }
    return [
        upsertEntry(conditionUrl, condition, identifier),
        upsertEntry(episodeUrn(pregnancy), episode, identifier),
    ]
}
