/**
 * Calendar dates as 'YYYY-MM-DD' strings. Clinical dates (LMP, EDD, contact dates) are calendar
 * days, not instants: all arithmetic here runs on UTC day numbers so a browser in Colombo
 * (+05:30) and a server in UTC agree, and daylight-saving changes cannot shift a day.
 */

export type CalendarDate = string

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const MS_PER_DAY = 86_400_000

/** Day number (days since 1970-01-01) of a valid calendar date, or undefined. */
export function toDayNumber(date: string): number | undefined {
    const m = ISO_DATE.exec(date)
    if (!m) return undefined
    const y = Number(m[1])
    const mo = Number(m[2])
    const d = Number(m[3])
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined
    const ms = Date.UTC(y, mo - 1, d)
    const back = new Date(ms)
    // Date.UTC rolls 2023-02-30 over to March: reject anything that did not round-trip.
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
        return undefined
    }
    return Math.round(ms / MS_PER_DAY)
}

export function isCalendarDate(date: unknown): date is CalendarDate {
    return typeof date === 'string' && toDayNumber(date) !== undefined
}

export function fromDayNumber(day: number): CalendarDate {
    return new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
}

function dayNumberOrThrow(date: string): number {
    const n = toDayNumber(date)
    if (n === undefined)
        throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`)
    return n
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
    return fromDayNumber(dayNumberOrThrow(date) + days)
}

/** Whole days from `from` to `to` (negative if `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
    return dayNumberOrThrow(to) - dayNumberOrThrow(from)
}

/**
 * Takes the calendar-date part of a DHIS2 or FHIR date/date-time ('2024-03-01',
 * '2024-03-01T00:00:00.000', '2024-03-01T10:00:00+05:30'). The date part is the local date where
 * the value was recorded, which is what a clinical date means; no timezone conversion happens.
 */
export function calendarDateOf(value: string | undefined | null): CalendarDate | undefined {
    if (typeof value !== 'string' || value.length < 10) return undefined
    const date = value.slice(0, 10)
    if (value.length > 10 && value[10] !== 'T' && value[10] !== ' ') return undefined
    return isCalendarDate(date) ? date : undefined
}

/** Today's calendar date in a time zone (default: the runtime's own), e.g. 'Asia/Colombo'. */
export function todayIn(timeZone?: string, now: Date = new Date()): CalendarDate {
    // en-CA formats as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
    }).format(now)
}

/** Age in completed years on a date (birthdays on 29 February count from 1 March in other years). */
export function ageInYears(birthDate: CalendarDate, on: CalendarDate): number | undefined {
    const b = ISO_DATE.exec(birthDate)
    const o = ISO_DATE.exec(on)
    if (!b || !o || !isCalendarDate(birthDate) || !isCalendarDate(on)) return undefined
    let age = Number(o[1]) - Number(b[1])
    const monthDay = (m: RegExpExecArray): number => Number(m[2]) * 100 + Number(m[3])
    if (monthDay(o) < monthDay(b)) age -= 1
    return age
}
