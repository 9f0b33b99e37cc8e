/**
 * The WHO 8-contact ANC schedule (WHO ANC DAK, ANC.S.01).
 *
 * Approach: the **interval rules**, not fixed target weeks. The next contact is planned from the
 * gestational age (completed weeks) of the last contact actually attended: every 8 weeks before
 * 20 weeks, every 6 from 20, every 4 from 26, every 2 from 34; a 40-week contact is added when
 * the sequence would skip it; at 41 weeks an undelivered woman is referred for delivery (not a
 * contact). Late first contacts switch to two-weekly contacts earlier: first contact at 22-23
 * weeks → from 30 weeks; at 28-29 → from 32; at 30 or later → throughout.
 * For an early first contact this reproduces the fixed targets 12, 20, 26, 30, 34, 36, 38, 40
 * (the CQL's approach); unlike fixed targets it also gives a sensible plan after a late or
 * off-schedule visit, which is common. With no contact yet, contact 1 targets 12 weeks.
 *
 * Status of a pending contact on a day: upcoming before its due date, due from the due date,
 * overdue 7 days after it, expired once the pregnancy reaches 41 weeks.
 */
import { addDays, daysBetween, type CalendarDate } from './dates'
import { dateAtGestationalAge, gestationalAge } from './gestation'

export const FIRST_CONTACT_TARGET_WEEKS = 12
export const FINAL_CONTACT_WEEKS = 40
export const DELIVERY_REFERRAL_WEEKS = 41
export const OVERDUE_AFTER_DAYS = 7

export type PendingStatus = 'upcoming' | 'due' | 'overdue' | 'expired'

export interface AttendedContact {
    ordinal: number
    date: CalendarDate
    gaWeeks: number
}

export interface PlannedContact {
    ordinal: number
    targetGaWeeks: number
    dueDate: CalendarDate
    /** First day on which the contact counts as overdue. */
    overdueFrom: CalendarDate
    status: PendingStatus
}

export interface DeliveryReferral {
    gaWeeks: typeof DELIVERY_REFERRAL_WEEKS
    dueDate: CalendarDate
    status: 'upcoming' | 'due'
}

export interface AncSchedule {
    attended: AttendedContact[]
    planned: PlannedContact[]
    /** The first planned contact that is not expired, if any. */
    next: PlannedContact | undefined
    deliveryReferral: DeliveryReferral
    /** First contact after 12 completed weeks (WHO: first contact within the first 12 weeks). */
    lateFirstContact: boolean
    /** Contact dates before the LMP or after today: data errors, left out of the plan. */
    ignoredContactDates: CalendarDate[]
}

export interface ScheduleInput {
    lmp: CalendarDate
    /** Dates of ANC contacts that took place (any order). */
    contactDates: readonly CalendarDate[]
    today: CalendarDate
}

/** Weeks until the next contact after one at `gaWeeks`, given the GA of the first contact. */
export function contactIntervalWeeks(gaWeeks: number, firstContactGaWeeks: number): number {
    if (firstContactGaWeeks >= 30) return 2
    const twoWeeklyFrom =
        firstContactGaWeeks >= 28
            ? 32
            : firstContactGaWeeks >= 22 && firstContactGaWeeks <= 23
              ? 30
              : 34
    if (gaWeeks >= twoWeeklyFrom) return 2
    if (gaWeeks >= 26) return 4
    if (gaWeeks >= 20) return 6
    return 8
}

/** GA (weeks) of the contact after one at `gaWeeks`, or undefined when only the referral is left. */
export function nextContactGaWeeks(
    gaWeeks: number,
    firstContactGaWeeks: number
): number | undefined {
    if (gaWeeks >= FINAL_CONTACT_WEEKS) return undefined
    const next = gaWeeks + contactIntervalWeeks(gaWeeks, firstContactGaWeeks)
    return Math.min(next, FINAL_CONTACT_WEEKS)
}

/** The GA sequence planned after a contact at `fromGaWeeks`, up to the 40-week contact. */
export function plannedGaSequence(fromGaWeeks: number, firstContactGaWeeks: number): number[] {
    const out: number[] = []
    let ga: number | undefined = fromGaWeeks
    while ((ga = nextContactGaWeeks(ga, firstContactGaWeeks)) !== undefined) out.push(ga)
    return out
}

function pendingStatus(
    dueDate: CalendarDate,
    today: CalendarDate,
    expired: boolean
): PendingStatus {
    if (expired) return 'expired'
    const late = daysBetween(dueDate, today)
    if (late < 0) return 'upcoming'
    return late < OVERDUE_AFTER_DAYS ? 'due' : 'overdue'
}

export function ancSchedule(input: ScheduleInput): AncSchedule {
    const { lmp, today } = input
    const ignoredContactDates: CalendarDate[] = []
    const valid: CalendarDate[] = []
    for (const date of input.contactDates) {
        if (daysBetween(lmp, date) < 0 || daysBetween(date, today) < 0)
            ignoredContactDates.push(date)
        else valid.push(date)
    }
    valid.sort()
    const attended = valid.map((date, i) => ({
        ordinal: i + 1,
        date,
        gaWeeks: gestationalAge(lmp, date).weeks,
    }))

    const referralDate = dateAtGestationalAge(lmp, DELIVERY_REFERRAL_WEEKS)
    const expired = daysBetween(referralDate, today) >= 0
    const first = attended[0]
    const last = attended[attended.length - 1]
    const targets = !first
        ? [
              FIRST_CONTACT_TARGET_WEEKS,
              ...plannedGaSequence(FIRST_CONTACT_TARGET_WEEKS, FIRST_CONTACT_TARGET_WEEKS),
          ]
        : plannedGaSequence(last!.gaWeeks, first.gaWeeks)

    const planned = targets.map((targetGaWeeks, i) => {
        const dueDate = dateAtGestationalAge(lmp, targetGaWeeks)
        return {
            ordinal: attended.length + i + 1,
            targetGaWeeks,
            dueDate,
            overdueFrom: addDays(dueDate, OVERDUE_AFTER_DAYS),
            status: pendingStatus(dueDate, today, expired),
        }
    })

    return {
        attended,
        planned,
        next: planned.find((c) => c.status !== 'expired'),
        deliveryReferral: {
            gaWeeks: DELIVERY_REFERRAL_WEEKS,
            dueDate: referralDate,
            status: expired ? 'due' : 'upcoming',
        },
        lateFirstContact: first !== undefined && first.gaWeeks > FIRST_CONTACT_TARGET_WEEKS,
        ignoredContactDates,
    }
}
