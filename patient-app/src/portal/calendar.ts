import { addDays, type CalendarDate } from '@anc/shared/anc'
import i18n from '@dhis2/d2-i18n'
import { createEvents, type DateArray, type EventAttributes } from 'ics'
import type { UpcomingContact } from './upcoming'

const PRODUCT_ID = '-//ANC//Patient portal//EN'

function dateArray(date: CalendarDate): DateArray {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number]
    return [year, month, day]
}

/**
 * RFC 5545 text (through the `ics` package) for her upcoming visits: all-day entries on the day
 * the window opens, with the window in the description. Stable UIDs, so downloading again
 * updates the entries in her calendar instead of duplicating them.
 */
export function contactsToIcs(contacts: readonly UpcomingContact[], uidDomain: string): string {
    const events: EventAttributes[] = contacts.map((contact) => ({
        uid: `anc-${contact.key}@${uidDomain}`,
        start: dateArray(contact.date),
        end: dateArray(addDays(contact.date, 1)),
        title: contact.title,
        description:
            contact.until && contact.until !== contact.date
                ? i18n.t(
                      'Please come between {{from}} and {{until}}. Bring your pregnancy record book.',
                      { from: contact.date, until: contact.until }
                  )
                : i18n.t('Bring your pregnancy record book.'),
        status: 'TENTATIVE',
        busyStatus: 'FREE',
        alarms: [
            {
                action: 'display',
                description: contact.title,
                trigger: { days: 1, before: true },
            },
        ],
    }))
    const { error, value } = createEvents(events, {
        productId: PRODUCT_ID,
        calName: i18n.t('My pregnancy visits'),
    })
    if (error || !value) throw error ?? new Error('calendar could not be created')
    return value
}

/** Offers the text as a file download (an <a download> click; works on phones too). */
export function downloadIcs(text: string, fileName: string, doc: Document = document): void {
    const blob = new Blob([text], { type: 'text/calendar;charset=utf-8' })
    const url = URL.createObjectURL(blob)
    const link = doc.createElement('a')
    link.href = url
    link.download = fileName
    doc.body.appendChild(link)
    link.click()
    link.remove()
    // Revoking at once can cancel the download in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
