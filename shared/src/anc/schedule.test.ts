import { addDays } from './dates'
import { dateAtGestationalAge } from './gestation'
import { ancSchedule, contactIntervalWeeks, plannedGaSequence } from './schedule'

const LMP = '2024-01-01'
const at = (weeks: number, days = 0): string => dateAtGestationalAge(LMP, weeks, days)

/** Attends every planned contact on its due date, starting with a first contact at `firstGa`. */
function attendAsPlanned(firstGa: number): number[] {
    const dates = [at(firstGa)]
    const gas = [firstGa]
    for (;;) {
        const s = ancSchedule({ lmp: LMP, contactDates: dates, today: dates[dates.length - 1]! })
        const next = s.planned[0]
        if (!next) break
        dates.push(next.dueDate)
        gas.push(next.targetGaWeeks)
    }
    return gas
}

describe('WHO ANC.S.01 worked examples (interval rules)', () => {
    it('first contact at GA 4 → 12, 20, 26, 30, 34, 36, 38, 40, then referral at 41', () => {
        expect(plannedGaSequence(4, 4)).toEqual([12, 20, 26, 30, 34, 36, 38, 40])
        expect(attendAsPlanned(4)).toEqual([4, 12, 20, 26, 30, 34, 36, 38, 40])
        const s = ancSchedule({ lmp: LMP, contactDates: [at(4)], today: at(4) })
        expect(s.deliveryReferral).toEqual({ gaWeeks: 41, dueDate: at(41), status: 'upcoming' })
        expect(s.planned.map((c) => c.ordinal)).toEqual([2, 3, 4, 5, 6, 7, 8, 9])
    })

    it('first contact at GA 6 → 14, 22, 28, 32, 36, 38, 40, then 41', () => {
        expect(plannedGaSequence(6, 6)).toEqual([14, 22, 28, 32, 36, 38, 40])
        expect(attendAsPlanned(6)).toEqual([6, 14, 22, 28, 32, 36, 38, 40])
    })

    it('without any contact yet, contact 1 targets 12 weeks and the rest follows the fixed targets', () => {
        const s = ancSchedule({ lmp: LMP, contactDates: [], today: at(8) })
        expect(s.planned.map((c) => c.targetGaWeeks)).toEqual([12, 20, 26, 30, 34, 36, 38, 40])
        expect(s.next).toEqual(
            expect.objectContaining({ ordinal: 1, dueDate: at(12), status: 'upcoming' })
        )
    })
})

describe('late first contacts', () => {
    it.each<[number, number[]]>([
        [22, [28, 32, 34, 36, 38, 40]], // 28 + 4 = 32 >= 30: two-weekly from there
        [23, [29, 33, 35, 37, 39, 40]], // 29 + 4 = 33 >= 30: two-weekly
        [28, [32, 34, 36, 38, 40]], // two-weekly from 32
        [29, [33, 35, 37, 39, 40]],
        [30, [32, 34, 36, 38, 40]], // two-weekly throughout
        [31, [33, 35, 37, 39, 40]], // 41 would skip 40: a 40-week contact is added
        [25, [31, 35, 37, 39, 40]], // 24-27 has no special rule
    ])('first contact at GA %i → %j', (first, expected) => {
        expect(plannedGaSequence(first, first)).toEqual(expected)
        const s = ancSchedule({ lmp: LMP, contactDates: [at(first, 3)], today: at(first, 3) })
        expect(s.lateFirstContact).toBe(true)
        expect(s.planned.map((c) => c.targetGaWeeks)).toEqual(expected)
    })

    it('a first contact at 12w6d is not late; at 13w0d it is', () => {
        expect(
            ancSchedule({ lmp: LMP, contactDates: [at(12, 6)], today: at(13) }).lateFirstContact
        ).toBe(false)
        expect(
            ancSchedule({ lmp: LMP, contactDates: [at(13)], today: at(13) }).lateFirstContact
        ).toBe(true)
    })

    it('plans from the last contact actually attended, not from the missed target', () => {
        // Contact 2 was due at 20 but happened at 23: the next follows 23 + 6 = 29.
        const s = ancSchedule({ lmp: LMP, contactDates: [at(23, 2), at(10)], today: at(23, 2) })
        expect(s.attended).toEqual([
            { ordinal: 1, date: at(10), gaWeeks: 10 },
            { ordinal: 2, date: at(23, 2), gaWeeks: 23 },
        ])
        expect(s.planned[0]).toEqual(expect.objectContaining({ ordinal: 3, targetGaWeeks: 29 }))
    })

    it('uses the interval table', () => {
        expect([10, 19, 20, 25, 26, 33, 34, 39].map((ga) => contactIntervalWeeks(ga, 8))).toEqual([
            8, 8, 6, 6, 4, 4, 2, 2,
        ])
    })
})

describe('due, overdue and expired', () => {
    const contacts = [at(10)] // next contact at 18 weeks
    const due = at(18)

    it.each<[string, string, string]>([
        ['the day before the due date', addDays(due, -1), 'upcoming'],
        ['on the due date', due, 'due'],
        ['6 days after', addDays(due, 6), 'due'],
        ['7 days after (overdue)', addDays(due, 7), 'overdue'],
        ['at 40w6d', at(40, 6), 'overdue'],
        ['at 41w0d (expired)', at(41), 'expired'],
    ])('%s: %s', (_label, today, status) => {
        const s = ancSchedule({ lmp: LMP, contactDates: contacts, today })
        expect(s.planned[0]).toEqual(expect.objectContaining({ targetGaWeeks: 18, status }))
    })

    it('at 41 weeks every pending contact is expired, next is empty and the referral is due', () => {
        const s = ancSchedule({ lmp: LMP, contactDates: contacts, today: at(41, 2) })
        expect(s.planned.every((c) => c.status === 'expired')).toBe(true)
        expect(s.next).toBeUndefined()
        expect(s.deliveryReferral.status).toBe('due')
    })

    it('after a contact at 40 weeks only the delivery referral is left', () => {
        const s = ancSchedule({ lmp: LMP, contactDates: [at(12), at(40, 1)], today: at(40, 1) })
        expect(s.planned).toEqual([])
        expect(s.deliveryReferral.dueDate).toBe(at(41))
    })

    it('leaves out contact dates before the LMP or in the future, and reports them', () => {
        const s = ancSchedule({
            lmp: LMP,
            contactDates: ['2023-12-01', at(10), at(30)],
            today: at(12),
        })
        expect(s.attended.map((c) => c.date)).toEqual([at(10)])
        expect(s.ignoredContactDates).toEqual(['2023-12-01', at(30)])
    })
})
