import { addDays, type CalendarDate } from '@anc/shared/anc'
import type { AncRecordView } from '@anc/shared/fhir'
import i18n from '@dhis2/d2-i18n'

/** A contact still ahead of her, as the portal lists it and as a calendar entry. */
export interface UpcomingContact {
    /** Stable across reloads: the calendar entry's UID is made from it. */
    key: string
    /** First day of the window in which the visit is due. */
    date: CalendarDate
    /** Last day of that window, when known. */
    until: CalendarDate | undefined
    title: string
    /** `due`: the window is open today. */
    status: 'upcoming' | 'due' | 'overdue'
}

/**
 * The clinic's appointments from the record come first (what the midwife and doctor planned);
 * when the record has none, the WHO 8-contact schedule recomputed from the LMP stands in.
 */
export function upcomingContacts(record: AncRecordView, today: CalendarDate): UpcomingContact[] {
    const fromAppointments = record.upcomingAppointments
        .filter((a): a is typeof a & { date: CalendarDate } => a.date !== undefined)
        .map((a, index) => ({
            key: `appointment-${a.date}-${index}`,
            date: a.date,
            until: a.until,
            title: a.description ?? i18n.t('Antenatal care visit'),
            status: (a.date <= today ? 'due' : 'upcoming') as UpcomingContact['status'],
        }))
    if (fromAppointments.length > 0) return fromAppointments
    return (record.schedule?.planned ?? [])
        .filter((p) => p.status !== 'expired')
        .map((p) => ({
            key: `contact-${p.ordinal}`,
            date: p.dueDate,
            until: addDays(p.overdueFrom, -1),
            title: i18n.t('Antenatal care visit {{number}} (around {{weeks}} weeks)', {
                number: p.ordinal,
                weeks: p.targetGaWeeks,
            }),
            status: p.status === 'expired' ? 'overdue' : p.status,
        }))
        .sort((a, b) => a.date.localeCompare(b.date))
}
