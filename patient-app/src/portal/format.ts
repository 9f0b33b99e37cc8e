import type { CalendarDate } from '@anc/shared/anc'
import i18n from '@dhis2/d2-i18n'

/** "4 May 2026" in her language (Sinhala and Tamil month names from the browser's Intl). */
export function longDate(date: CalendarDate, language: string = i18n.language || 'en'): string {
    try {
        return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(
            new Date(`${date}T00:00:00Z`)
        )
    } catch {
        return date
    }
}
