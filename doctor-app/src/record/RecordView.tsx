import type { AncRecordView, ContactView, ObservationValue } from '@anc/shared/fhir'
import type { PhnConfig } from '@anc/shared/phn'
import {
    formatGestationalAgeText,
    PatientBanner,
    VisitTimeline,
    type TimelineVisit,
} from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import React, { useMemo } from 'react'
import { RiskFlags } from './RiskFlags'
import { fundalHeightReference, TrendChart } from './TrendChart'

/** The option as the form shows it, never the stored code (`PLUS2` → `++`). */
function urineProteinText(value: ObservationValue): string {
    const code = String(value)
    if (code === 'NEGATIVE') return i18n.t('Negative')
    if (code === 'TRACE') return i18n.t('Trace')
    const plus = /^PLUS([1-4])$/.exec(code)
    return plus ? '+'.repeat(Number(plus[1])) : code
}

function contactDetails(c: ContactView): string {
    const o = c.observations
    const parts: string[] = []
    if (c.gaWeeks !== undefined) parts.push(i18n.t('GA {{weeks}} weeks', { weeks: c.gaWeeks }))
    if (c.systolic !== undefined || c.diastolic !== undefined)
        parts.push(i18n.t('BP {{s}}/{{d}} mmHg', { s: c.systolic ?? '–', d: c.diastolic ?? '–' }))
    if (o.weight !== undefined) parts.push(i18n.t('Weight {{v}} kg', { v: o.weight }))
    if (o.fundalHeight !== undefined)
        parts.push(i18n.t('Fundal height {{v}} cm', { v: o.fundalHeight }))
    if (o.fetalHeartRate !== undefined) parts.push(i18n.t('FHR {{v}}/min', { v: o.fetalHeartRate }))
    if (o.haemoglobin !== undefined) parts.push(i18n.t('Hb {{v}} g/dL', { v: o.haemoglobin }))
    if (o.urineProtein !== undefined)
        parts.push(i18n.t('Urine protein {{v}}', { v: urineProteinText(o.urineProtein) }))
    return parts.join(' · ')
}

export function timelineVisits(record: AncRecordView): TimelineVisit[] {
    const attended: TimelineVisit[] = record.contacts.map((c, i) => ({
        id: c.eventUid ?? c.id,
        date: c.date,
        title: i18n.t('Contact {{n}}', { n: i + 1 }),
        status: 'attended',
        details: contactDetails(c),
    }))
    const planned: TimelineVisit[] = (record.schedule?.planned ?? []).map((p) => ({
        id: `planned-${p.ordinal}`,
        date: p.dueDate,
        title:
            record.schedule?.next?.ordinal === p.ordinal
                ? i18n.t('Next: contact {{n}} ({{weeks}} weeks)', {
                      n: p.ordinal,
                      weeks: p.targetGaWeeks,
                  })
                : i18n.t('Contact {{n}} ({{weeks}} weeks)', {
                      n: p.ordinal,
                      weeks: p.targetGaWeeks,
                  }),
        status: p.status,
    }))
    return [...attended, ...planned]
}

/** The whole record at a glance: who, risks, schedule, visits and trends. */
export const RecordView = ({
    record,
    today,
    phnConfig,
}: {
    record: AncRecordView
    today: string
    /** The operator's PHN format, for showing the PHN. */
    phnConfig?: PhnConfig
}) => {
    const s = record.series
    const visits = useMemo(() => timelineVisits(record), [record])
    const overdue = record.schedule?.planned.filter((p) => p.status === 'overdue') ?? []
    const next = record.schedule?.next
    const trends = useMemo(
        () => ({
            bloodPressure: [
                {
                    label: i18n.t('Systolic'),
                    points: s.bloodPressure.map((p) => ({
                        date: p.date,
                        gaWeeks: p.gaWeeks,
                        value: p.systolic,
                    })),
                },
                {
                    label: i18n.t('Diastolic'),
                    points: s.bloodPressure.map((p) => ({
                        date: p.date,
                        gaWeeks: p.gaWeeks,
                        value: p.diastolic,
                    })),
                },
            ],
            weight: [{ label: i18n.t('Weight'), points: s.weight }],
            fundalHeight: [{ label: i18n.t('Fundal height'), points: s.fundalHeight }],
            haemoglobin: [{ label: i18n.t('Haemoglobin'), points: s.haemoglobin }],
            fundalReference: fundalHeightReference(),
        }),
        [s]
    )
    const p = record.patient
    return (
        <div className="record-view">
            <PatientBanner
                name={p?.name ?? i18n.t('Name not recorded')}
                verified={p?.verified ?? false}
                {...(p?.birthDate ? { birthDate: p.birthDate } : {})}
                {...(p?.phn ? { phn: p.phn } : {})}
                {...(phnConfig ? { phnConfig } : {})}
                {...(record.pregnancy?.lmp ? { lmp: record.pregnancy.lmp } : {})}
                {...(record.pregnancy?.edd ? { edd: record.pregnancy.edd } : {})}
                today={today}
            />
            <div className="record-view__columns">
                <RiskFlags flags={record.riskFlags} title={i18n.t('Risk flags')} />
                <section aria-label={i18n.t('WHO contact schedule')}>
                    <h3>{i18n.t('WHO contact schedule')}</h3>
                    {next ? (
                        <p>
                            {i18n.t('Next contact: {{n}} at {{weeks}} weeks, due {{date}}', {
                                n: next.ordinal,
                                weeks: next.targetGaWeeks,
                                date: next.dueDate,
                            })}
                        </p>
                    ) : (
                        <p>{i18n.t('No contact left in the schedule.')}</p>
                    )}
                    {overdue.map((o) => (
                        <p key={o.ordinal} className="record-view__overdue" role="status">
                            {i18n.t('Overdue: contact {{n}} was due {{date}}', {
                                n: o.ordinal,
                                date: o.dueDate,
                            })}
                        </p>
                    ))}
                    {record.pregnancy?.gaToday ? (
                        <p>
                            {i18n.t('Gestational age today: {{ga}}', {
                                ga: formatGestationalAgeText(
                                    record.pregnancy.gaToday.weeks,
                                    record.pregnancy.gaToday.days
                                ),
                            })}
                        </p>
                    ) : null}
                </section>
            </div>
            <section aria-label={i18n.t('Visits')} className="record-view__visits">
                <h3>{i18n.t('Visits ({{count}})', { count: record.contacts.length })}</h3>
                <VisitTimeline visits={visits} />
            </section>
            <section aria-label={i18n.t('Trends')} className="record-view__trends">
                <h3>{i18n.t('Trends')}</h3>
                {/* Against gestational age, as ANC trends are read; haemoglobin, tested a
                    few times in a pregnancy, by date (its table still gives the GA). */}
                <TrendChart
                    title={i18n.t('Blood pressure')}
                    unit="mmHg"
                    axis="gestationalAge"
                    series={trends.bloodPressure}
                />
                <TrendChart
                    title={i18n.t('Weight')}
                    unit="kg"
                    axis="gestationalAge"
                    series={trends.weight}
                />
                <TrendChart
                    title={i18n.t('Fundal height against gestational age')}
                    unit="cm"
                    axis="gestationalAge"
                    reference={trends.fundalReference}
                    series={trends.fundalHeight}
                />
                <TrendChart title={i18n.t('Haemoglobin')} unit="g/dL" series={trends.haemoglobin} />
            </section>
            <style>{`
                .record-view__columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 16px; padding: 8px 16px; }
                .record-view__overdue { color: #b71c1c; font-weight: 500; }
                .record-view__trends { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; padding: 8px 16px; }
                .record-view__visits { padding: 8px 16px; }
                .record-view__trends > h3 { grid-column: 1 / -1; }
                .record-view section h3 { margin: 8px 0; }
            `}</style>
        </div>
    )
}
