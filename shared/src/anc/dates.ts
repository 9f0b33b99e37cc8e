/**
 * Calendar dates as 'YYYY-MM-DD' strings. Clinical dates (LMP, EDD, contact dates) are calendar
 * days, not instants: all arithmetic here runs on UTC day numbers so a browser in Colombo
 * (+05:30) and a server in UTC agree, and daylight-saving changes cannot shift a day.
 */

export type CalendarDate = string

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function twoDigits(s: string, at: number): number {
    const a = s.charCodeAt(at) - 48
    const b = s.charCodeAt(at + 1) - 48
    return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

function isLeap(y: number): boolean {
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

/**
 * Day number (days since 1970-01-01) of a valid calendar date, or undefined. Pure integer
 * arithmetic (Hinnant's days_from_civil): no Date object, no time zone, and fast, because the
 * FHIR mapping calls it for every contact.
 */
export function toDayNumber(date: string): number | undefined {
    if (
        typeof date !== 'string' ||
        date.length !== 10 ||
        date.charCodeAt(4) !== 45 ||
        date.charCodeAt(7) !== 45
    ) {
        return undefined
    }
    const hi = twoDigits(date, 0)
    const lo = twoDigits(date, 2)
    const m = twoDigits(date, 5)
    const d = twoDigits(date, 8)
    if (hi < 0 || lo < 0 || m < 1 || m > 12 || d < 1) return undefined
    const y = hi * 100 + lo
    if (d > (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]!)) return undefined
    const yy = m <= 2 ? y - 1 : y
    const era = Math.floor(yy / 400)
    const yoe = yy - era * 400
    const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
    const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
    return era * 146097 + doe - 719468
}

export function isCalendarDate(date: unknown): date is CalendarDate {
    return typeof date === 'string' && toDayNumber(date) !== undefined
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

export function fromDayNumber(day: number): CalendarDate {
    // Hinnant's civil_from_days, the inverse of toDayNumber.
    const z = day + 719468
    const era = Math.floor(z / 146097)
    const doe = z - era * 146097
    const yoe = Math.floor(
        (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365
    )
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
    const mp = Math.floor((5 * doy + 2) / 153)
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1
    const m = mp < 10 ? mp + 3 : mp - 9
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    if (y < 0 || y > 9999) throw new RangeError('date out of range')
    return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`
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

/**
 * The clinics' time zone. "Today" (the GA shown, the schedule, a contact's date, the first day a
 * record is valid) is the clinic's calendar day, whatever zone a laptop, a phone or a server is
 * set to: one setting for every app, the journeys and the benchmarks, read through clinicToday.
 */
export const CLINIC_TIME_ZONE = 'Asia/Colombo'

/** Today's calendar date in the clinics' time zone (CLINIC_TIME_ZONE). */
export function clinicToday(now: Date = new Date()): CalendarDate {
    return todayIn(CLINIC_TIME_ZONE, now)
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
