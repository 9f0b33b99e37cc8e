import {
    addDays,
    ageInYears,
    calendarDateOf,
    daysBetween,
    fromDayNumber,
    isCalendarDate,
    todayIn,
    clinicToday,
    CLINIC_TIME_ZONE,
    toDayNumber,
} from './dates'
import {
    dateAtGestationalAge,
    eddFromLmp,
    formatGestationalAge,
    gestationalAge,
    gestationalAgeIfAfterLmp,
    lmpFromEdd,
} from './gestation'

describe('calendar dates', () => {
    it.each([
        ['2024-02-29', true],
        ['2023-02-29', false],
        ['2024-04-31', false],
        ['2024-13-01', false],
        ['2024-00-10', false],
        ['2024-1-01', false],
        ['2024/01/01', false],
        ['2024-01-01T00:00', false],
        ['', false],
    ])('%j is a calendar date: %s', (date, ok) => {
        expect(isCalendarDate(date)).toBe(ok)
    })

    it('adds days across month, year and leap-day boundaries', () => {
        expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
        expect(addDays('2023-02-28', 1)).toBe('2023-03-01')
        expect(addDays('2024-12-31', 1)).toBe('2025-01-01')
        expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
        expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366)
        expect(() => addDays('2024-02-30', 1)).toThrow(RangeError)
    })

    it('is independent of the runtime time zone and DST (calendar day numbers)', () => {
        // Europe's DST change on 2024-03-31 must not make a 23- or 25-hour "day".
        expect(daysBetween('2024-03-30', '2024-04-01')).toBe(2)
        expect(toDayNumber('1970-01-01')).toBe(0)
    })

    it('agrees with Date.UTC for every day from 1899 to 2101 (integer day arithmetic)', () => {
        const mismatches: string[] = []
        for (let day = toDayNumber('1899-01-01')!; day <= toDayNumber('2101-12-31')!; day++) {
            const iso = new Date(day * 86_400_000).toISOString().slice(0, 10)
            if (fromDayNumber(day) !== iso || toDayNumber(iso) !== day) mismatches.push(iso)
        }
        expect(mismatches).toEqual([])
        expect(toDayNumber('1900-01-01')).toBe(-25567)
    })

    it('takes the date part of DHIS2 and FHIR date-times without shifting it', () => {
        expect(calendarDateOf('2024-03-01T23:30:00.000')).toBe('2024-03-01')
        expect(calendarDateOf('2024-03-01T00:10:00+05:30')).toBe('2024-03-01')
        expect(calendarDateOf('2024-03-01')).toBe('2024-03-01')
        expect(calendarDateOf('2024-03-01X')).toBeUndefined()
        expect(calendarDateOf(undefined)).toBeUndefined()
    })

    it("gives today's date in a named time zone", () => {
        const instant = new Date('2024-03-01T20:00:00Z') // 01:30 on 2 March in Colombo
        expect(todayIn('Asia/Colombo', instant)).toBe('2024-03-02')
        expect(todayIn('UTC', instant)).toBe('2024-03-01')
    })

    it("gives the clinics' today, not the runtime's, in every app (Colombo by default)", () => {
        expect(CLINIC_TIME_ZONE).toBe('Asia/Colombo')
        // 20:00 UTC is already tomorrow in Colombo: a laptop set to UTC must not date a visit
        // a day early.
        expect(clinicToday(new Date('2024-03-01T20:00:00Z'))).toBe('2024-03-02')
        expect(clinicToday(new Date('2024-03-01T18:00:00Z'))).toBe('2024-03-01')
    })

    it.each([
        ['1990-06-15', '2024-06-14', 33],
        ['1990-06-15', '2024-06-15', 34],
        ['2004-02-29', '2022-02-28', 17],
        ['2004-02-29', '2022-03-01', 18],
    ])('age born %s on %s is %i', (born, on, age) => {
        expect(ageInYears(born, on)).toBe(age)
    })
})

describe('gestational age and EDD (Naegele)', () => {
    it.each([
        ['2024-01-01', '2024-01-01', 0, 0],
        ['2024-01-01', '2024-01-07', 0, 6],
        ['2024-01-01', '2024-01-08', 1, 0],
        ['2024-01-01', '2024-06-01', 21, 5],
        ['2023-12-20', '2024-03-01', 10, 2],
    ])('LMP %s on %s → %iw %id', (lmp, on, weeks, days) => {
        expect(gestationalAge(lmp, on)).toEqual(expect.objectContaining({ weeks, days }))
    })

    it.each([
        ['2024-01-01', '2024-10-07'],
        ['2023-05-20', '2024-02-24'],
        ['2024-02-29', '2024-12-05'],
    ])('EDD of LMP %s is %s, and back', (lmp, edd) => {
        expect(eddFromLmp(lmp)).toBe(edd)
        expect(lmpFromEdd(edd)).toBe(lmp)
    })

    it('refuses a date before the LMP (or returns undefined in the lenient variant)', () => {
        expect(() => gestationalAge('2024-02-01', '2024-01-31')).toThrow(RangeError)
        expect(gestationalAgeIfAfterLmp('2024-02-01', '2024-01-31')).toBeUndefined()
    })

    it('formats and inverts GA', () => {
        expect(formatGestationalAge({ weeks: 24, days: 3 })).toBe('24w 3d')
        expect(dateAtGestationalAge('2024-01-01', 12)).toBe('2024-03-25')
    })
})
