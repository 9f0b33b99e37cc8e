/**
 * Gestational age and due date by Naegele's rule: EDD = LMP + 280 days; GA in completed weeks
 * and days since the LMP. When an ultrasound dates the pregnancy, store the LMP that the
 * ultrasound implies (lmpFromEdd) so every later calculation follows it.
 */
import { addDays, daysBetween, type CalendarDate } from './dates'

export const PREGNANCY_DAYS = 280

export interface GestationalAge {
    weeks: number
    days: number
    totalDays: number
}

export function gestationalAge(lmp: CalendarDate, on: CalendarDate): GestationalAge {
    const totalDays = daysBetween(lmp, on)
    if (totalDays < 0) throw new RangeError('date is before the LMP')
    return { weeks: Math.floor(totalDays / 7), days: totalDays % 7, totalDays }
}

/** Same as gestationalAge but undefined (not an exception) for a date before the LMP. */
export function gestationalAgeIfAfterLmp(
    lmp: CalendarDate,
    on: CalendarDate
): GestationalAge | undefined {
    return daysBetween(lmp, on) < 0 ? undefined : gestationalAge(lmp, on)
}

export function eddFromLmp(lmp: CalendarDate): CalendarDate {
    return addDays(lmp, PREGNANCY_DAYS)
}

export function lmpFromEdd(edd: CalendarDate): CalendarDate {
    return addDays(edd, -PREGNANCY_DAYS)
}

/** The calendar date at which the pregnancy reaches `weeks` (+ `days`) of gestation. */
export function dateAtGestationalAge(lmp: CalendarDate, weeks: number, days = 0): CalendarDate {
    return addDays(lmp, weeks * 7 + days)
}

/** '24w 3d', the conventional notation. */
export function formatGestationalAge(ga: Pick<GestationalAge, 'weeks' | 'days'>): string {
    return `${ga.weeks}w ${ga.days}d`
}
