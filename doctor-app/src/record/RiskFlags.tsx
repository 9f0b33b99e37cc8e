import type { RiskFlag, RiskFlagCode } from '@anc/shared/anc'
import i18n from '@dhis2/d2-i18n'
import { Tag } from '@dhis2/ui'
import React from 'react'

export function riskFlagLabel(code: RiskFlagCode): string {
    const labels: Record<RiskFlagCode, () => string> = {
        raisedBloodPressure: () => i18n.t('Raised blood pressure: repeat the reading'),
        hypertension: () => i18n.t('Hypertension'),
        severeHypertension: () => i18n.t('Severe hypertension'),
        preEclampsia: () => i18n.t('Pre-eclampsia'),
        severePreEclampsia: () => i18n.t('Severe pre-eclampsia'),
        fever: () => i18n.t('Fever'),
        abnormalPulse: () => i18n.t('Abnormal pulse'),
        lowOxygenSaturation: () => i18n.t('Low oxygen saturation'),
        abnormalFetalHeartRate: () => i18n.t('Abnormal fetal heart rate'),
        noFetalHeartbeat: () => i18n.t('No fetal heartbeat: refer'),
        anaemia: () => i18n.t('Anaemia'),
        pallor: () => i18n.t('Pallor'),
        dangerSign: () => i18n.t('Danger sign: refer'),
        recurrentPregnancyLoss: () => i18n.t('Two or more pregnancy losses'),
        previousStillbirth: () => i18n.t('Previous stillbirth'),
        previousCaesarean: () => i18n.t('Previous caesarean section'),
        multiplePregnancy: () => i18n.t('Multiple pregnancy'),
        transversePresentation: () => i18n.t('Transverse presentation'),
        youngAge: () => i18n.t('Age 17 or under'),
        advancedAge: () => i18n.t('Age 35 or over'),
        grandMultigravida: () => i18n.t('Gravida 5 or more'),
        grandMultipara: () => i18n.t('Parity 5 or more'),
    }
    return labels[code]()
}

function evidenceText(flag: RiskFlag): string {
    return Object.entries(flag.evidence)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')
}

/** Decision support, not diagnosis: red flags first, each with the finding behind it. */
export const RiskFlags = ({ flags, title }: { flags: readonly RiskFlag[]; title: string }) => {
    const ordered = [...flags].sort((a, b) =>
        a.severity === b.severity ? 0 : a.severity === 'red' ? -1 : 1
    )
    return (
        <section aria-label={title} className="risk-flags">
            <h3>{title}</h3>
            {ordered.length === 0 ? (
                <p>{i18n.t('No risk flags.')}</p>
            ) : (
                <ul>
                    {ordered.map((flag) => (
                        <li key={flag.code} data-severity={flag.severity}>
                            <Tag
                                negative={flag.severity === 'red'}
                                neutral={flag.severity === 'yellow'}
                                bold={flag.severity === 'red'}
                            >
                                {flag.severity === 'red' ? i18n.t('Urgent') : i18n.t('Watch')}
                            </Tag>{' '}
                            <span>{riskFlagLabel(flag.code)}</span>{' '}
                            <small title={flag.rule}>({evidenceText(flag)})</small>
                        </li>
                    ))}
                </ul>
            )}
            <style>{`
                .risk-flags ul { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 4px; }
            `}</style>
        </section>
    )
}
