import i18n from '@dhis2/d2-i18n'
import React from 'react'
import type { PatientView } from '../fhir/from-bundle'
import { formatPhnForDisplay, type PhnConfig } from '../phn/phn'
import { formatGestationalAgeText, pregnancyDates } from './format'
import { VerifiedBadge } from './VerifiedBadge'

/**
 * The patient fields are those of the record view-model (fhir/from-bundle `PatientView`), so a
 * view spreads in: `<PatientBanner {...record.patient} name={...} lmp={...} />`.
 */
export interface PatientBannerProps
    extends Pick<PatientView, 'verified'>, Partial<Pick<PatientView, 'birthDate' | 'phn'>> {
    /** Required here although a record may lack one: the banner is headed by a name. */
    name: string
    verifiedAt?: string
    lmp?: string
    edd?: string
    /** For tests and for showing a past date; defaults to today in the browser's time zone. */
    today?: string
    /** The operator's PHN format (display grouping); the shipped default otherwise. */
    phnConfig?: PhnConfig
}

/** Who this record is about, at a glance: name, age, PHN, verification, GA today and EDD. */
export const PatientBanner = (props: PatientBannerProps) => {
    const dates = pregnancyDates(props)
    const notRecorded = i18n.t('Not recorded')
    const items: [string, string][] = [
        [
            i18n.t('Age'),
            dates.ageYears === undefined
                ? notRecorded
                : i18n.t('{{count}} years', { count: dates.ageYears }),
        ],
        [
            i18n.t('PHN'),
            props.phn ? formatPhnForDisplay(props.phn, props.phnConfig) : i18n.t('Not issued'),
        ],
        [
            i18n.t('Gestational age today'),
            dates.gestationalAge
                ? formatGestationalAgeText(dates.gestationalAge.weeks, dates.gestationalAge.days)
                : notRecorded,
        ],
        [i18n.t('Expected delivery date'), dates.edd ?? notRecorded],
    ]
    return (
        <section aria-label={i18n.t('Patient summary')} className="anc-patient-banner">
            <h2 className="anc-patient-banner__name">{props.name}</h2>
            <VerifiedBadge
                verified={props.verified}
                {...(props.verifiedAt ? { verifiedAt: props.verifiedAt } : {})}
            />
            <dl className="anc-patient-banner__facts">
                {items.map(([term, value]) => (
                    <div key={term}>
                        <dt>{term}</dt>
                        <dd>{value}</dd>
                    </div>
                ))}
            </dl>
            <style>{`
                .anc-patient-banner { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 12px 16px; border-bottom: 1px solid #d5dde5; }
                .anc-patient-banner__name { margin: 0; font-size: 20px; }
                .anc-patient-banner__facts { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0; }
                .anc-patient-banner__facts dt { font-size: 12px; color: #4a5768; }
                .anc-patient-banner__facts dd { margin: 0; font-weight: 500; }
            `}</style>
        </section>
    )
}
