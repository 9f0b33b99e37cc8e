import i18n from '@dhis2/d2-i18n'
import { ageInYears, clinicToday } from '../anc/dates'
import { eddFromLmp, gestationalAgeIfAfterLmp, lmpFromEdd } from '../anc/gestation'
import type { RangeCheck } from '../anc/ranges'

export function formatGestationalAgeText(weeks: number, days: number): string {
    return i18n.t('{{weeks}} weeks {{days}} days', { weeks, days })
}

/** What to tell someone whose typed measurement failed its plausible range (anc/ranges). */
export function rangeMessage(check: RangeCheck): string | undefined {
    if (check.ok) return undefined
    switch (check.reason) {
        case 'notANumber':
            return i18n.t('Enter a number.')
        case 'notAnInteger':
            return i18n.t('Enter a whole number.')
        case 'belowMinimum':
        case 'aboveMaximum':
            return i18n.t('Enter a value between {{min}} and {{max}}.', {
                min: check.range.min,
                max: check.range.max,
            })
    }
}

export interface PregnancyDates {
    ageYears?: number
    gestationalAge?: { weeks: number; days: number }
    edd?: string
}

/** Age today, GA today and EDD from what the record has (LMP, or an EDD from ultrasound). */
export function pregnancyDates(input: {
    birthDate?: string
    lmp?: string
    edd?: string
    today?: string
}): PregnancyDates {
    const today = input.today ?? clinicToday()
    const result: PregnancyDates = {}
    if (input.birthDate) {
        const age = ageInYears(input.birthDate, today)
        if (age !== undefined && age >= 0) result.ageYears = age
    }
    const lmp = input.lmp ?? (input.edd ? lmpFromEdd(input.edd) : undefined)
    if (lmp) {
        const ga = gestationalAgeIfAfterLmp(lmp, today)
        // Past 45 weeks the pregnancy has ended; a GA would mislead.
        if (ga && ga.weeks < 45) result.gestationalAge = { weeks: ga.weeks, days: ga.days }
        result.edd = input.edd ?? eddFromLmp(lmp)
    } else if (input.edd) {
        result.edd = input.edd
    }
    return result
}
