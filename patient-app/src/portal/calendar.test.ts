import { contactsToIcs } from './calendar'

describe('contactsToIcs', () => {
    const contacts = [
        {
            key: 'contact-3',
            date: '2026-05-25',
            until: '2026-05-31',
            title: 'Antenatal contact 3',
            status: 'upcoming' as const,
        },
        {
            key: 'contact-4',
            date: '2026-07-06',
            until: undefined,
            title: 'Visit, with a comma',
            status: 'upcoming' as const,
        },
    ]

    it('writes one all-day RFC 5545 event per visit with stable UIDs and a reminder', () => {
        const text = contactsToIcs(contacts, 'anc.example')
        expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true)
        expect(text).toContain('VERSION:2.0')
        expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(2)
        expect(text).toContain('UID:anc-contact-3@anc.example')
        expect(text).toContain('DTSTART;VALUE=DATE:20260525')
        expect(text).toContain('DTEND;VALUE=DATE:20260526')
        expect(text).toContain('SUMMARY:Visit\\, with a comma')
        expect(text).toMatch(/DESCRIPTION:Please come between 2026-05-25 and 2026-05-31/)
        expect(text).toContain('BEGIN:VALARM')
        expect(text).toContain('TRIGGER:-P1D')
        // Every line ends in CRLF, as RFC 5545 requires.
        expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/)
    })

    it('gives the same entries the same UIDs on every download (updates, not duplicates)', () => {
        const uids = (t: string) => t.match(/^UID:.*$/gm)
        expect(uids(contactsToIcs(contacts, 'x'))).toEqual(uids(contactsToIcs(contacts, 'x')))
    })
})
