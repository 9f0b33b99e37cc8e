import {
    checkMeasurement,
    evaluateRiskFlags,
    gestationalAgeIfAfterLmp,
    isCalendarDate,
    type MeasurementKind,
    type RangeCheck,
    type UrineProtein,
} from '@anc/shared/anc'
import type { AncRecordView } from '@anc/shared/fhir'
import { formatGestationalAgeText, rangeMessage } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import {
    Button,
    InputField,
    NoticeBox,
    SingleSelectField,
    SingleSelectOption,
    TextAreaField,
} from '@dhis2/ui'
import React, { useMemo, useState } from 'react'
import { riskFlagLabel } from '../record/RiskFlags'
import type { VisitValues } from './save-visit'

type NumericField =
    'systolic' | 'diastolic' | 'weightKg' | 'fundalHeightCm' | 'fetalHeartRate' | 'haemoglobinGdl'

const NUMERIC_FIELDS: {
    name: NumericField
    kind: MeasurementKind
    label: () => string
    unit: string
}[] = [
    {
        name: 'systolic',
        kind: 'systolic',
        label: () => i18n.t('Systolic blood pressure'),
        unit: 'mmHg',
    },
    {
        name: 'diastolic',
        kind: 'diastolic',
        label: () => i18n.t('Diastolic blood pressure'),
        unit: 'mmHg',
    },
    { name: 'weightKg', kind: 'weightKg', label: () => i18n.t('Weight'), unit: 'kg' },
    {
        name: 'fundalHeightCm',
        kind: 'fundalHeightCm',
        label: () => i18n.t('Fundal height'),
        unit: 'cm',
    },
    {
        name: 'fetalHeartRate',
        kind: 'fetalHeartRate',
        label: () => i18n.t('Fetal heart rate'),
        unit: '/min',
    },
    {
        name: 'haemoglobinGdl',
        kind: 'haemoglobinGdl',
        label: () => i18n.t('Haemoglobin'),
        unit: 'g/dL',
    },
]

const URINE_PROTEIN: { code: UrineProtein; label: string }[] = [
    { code: 'NEGATIVE', label: 'Negative' },
    { code: 'TRACE', label: 'Trace' },
    { code: 'PLUS1', label: '+' },
    { code: 'PLUS2', label: '++' },
    { code: 'PLUS3', label: '+++' },
    { code: 'PLUS4', label: '++++' },
]

export interface VisitFormProps {
    record: AncRecordView
    today: string
    saving: boolean
    onSave: (values: VisitValues) => void
}

export const VisitForm = ({ record, today, saving, onSave }: VisitFormProps) => {
    const [date, setDate] = useState(today)
    const [text, setText] = useState<Record<NumericField, string>>({
        systolic: '',
        diastolic: '',
        weightKg: '',
        fundalHeightCm: '',
        fetalHeartRate: '',
        haemoglobinGdl: '',
    })
    const [urineProtein, setUrineProtein] = useState<UrineProtein | ''>('')
    const [notes, setNotes] = useState('')
    const [nextAppointment, setNextAppointment] = useState(
        // The first planned contact still ahead; an overdue one cannot be booked in the past.
        () => record.schedule?.planned.find((p) => p.dueDate > today)?.dueDate ?? ''
    )
    const [submitted, setSubmitted] = useState(false)

    const lmp = record.pregnancy?.lmp
    const ga = lmp && isCalendarDate(date) ? gestationalAgeIfAfterLmp(lmp, date) : undefined
    const checks = useMemo(() => {
        const out: Partial<Record<NumericField, RangeCheck>> = {}
        for (const f of NUMERIC_FIELDS)
            if (text[f.name].trim() !== '') out[f.name] = checkMeasurement(f.kind, text[f.name])
        return out
    }, [text])
    const value = (name: NumericField): number | undefined => {
        const c = checks[name]
        return c?.ok ? c.value : undefined
    }
    const dateError = !isCalendarDate(date)
        ? i18n.t('Enter the date of the visit.')
        : date > today
          ? i18n.t('The visit date cannot be in the future.')
          : lmp && date < lmp
            ? i18n.t('The visit date is before the last menstrual period.')
            : undefined
    const nextError =
        nextAppointment && (!isCalendarDate(nextAppointment) || nextAppointment <= date)
            ? i18n.t('The next appointment must be after the visit date.')
            : undefined
    const bpPairError =
        (text.systolic.trim() === '') !== (text.diastolic.trim() === '')
            ? i18n.t('Enter both blood pressure numbers.')
            : undefined
    const dangers = evaluateRiskFlags({
        ...(ga ? { gaWeeks: ga.weeks } : {}),
        ...(record.patient?.ageYears !== undefined ? { ageYears: record.patient.ageYears } : {}),
        ...(value('systolic') !== undefined ? { systolic: value('systolic')! } : {}),
        ...(value('diastolic') !== undefined ? { diastolic: value('diastolic')! } : {}),
        ...(value('fetalHeartRate') !== undefined
            ? { fetalHeartRate: value('fetalHeartRate')! }
            : {}),
        ...(value('haemoglobinGdl') !== undefined
            ? { haemoglobinGdl: value('haemoglobinGdl')! }
            : {}),
        ...(urineProtein ? { urineProtein } : {}),
    }).filter((f) => f.severity === 'red')
    const invalid =
        Boolean(dateError || nextError || bpPairError) ||
        Object.values(checks).some((c) => c && !c.ok)

    const submit = () => {
        setSubmitted(true)
        if (invalid) return
        const values: VisitValues = { date }
        for (const f of NUMERIC_FIELDS) {
            const v = value(f.name)
            if (v !== undefined) values[f.name] = v
        }
        if (ga) values.gaWeeks = ga.weeks
        if (urineProtein) values.urineProtein = urineProtein
        if (notes.trim()) values.notes = notes.trim()
        if (nextAppointment) values.nextAppointment = nextAppointment
        onSave(values)
    }

    return (
        <form
            aria-label={i18n.t('Record this visit')}
            className="visit-form"
            onSubmit={(event) => {
                event.preventDefault()
                submit()
            }}
        >
            <h3>{i18n.t('Record this visit')}</h3>
            <div className="visit-form__grid">
                <InputField
                    label={i18n.t('Visit date')}
                    type="date"
                    name="date"
                    value={date}
                    max={today}
                    onChange={({ value: v }: { value?: string }) => setDate(v ?? '')}
                    error={Boolean(dateError)}
                    validationText={dateError}
                    required
                />
                <div className="visit-form__ga" aria-live="polite">
                    <span>{i18n.t('Gestational age')}</span>
                    <strong>
                        {ga
                            ? formatGestationalAgeText(ga.weeks, ga.days)
                            : i18n.t('Unknown: no LMP recorded')}
                    </strong>
                </div>
                {NUMERIC_FIELDS.map((f) => {
                    const check = checks[f.name]
                    const message =
                        (check && rangeMessage(check)) ??
                        (f.name === 'diastolic' || f.name === 'systolic'
                            ? submitted
                                ? bpPairError
                                : undefined
                            : undefined)
                    return (
                        <InputField
                            key={f.name}
                            label={`${f.label()} (${f.unit})`}
                            name={f.name}
                            type="text"
                            value={text[f.name]}
                            onChange={({ value: v }: { value?: string }) =>
                                setText((t) => ({ ...t, [f.name]: v ?? '' }))
                            }
                            error={Boolean(message)}
                            validationText={message}
                            inputWidth="160px"
                        />
                    )
                })}
                <SingleSelectField
                    label={i18n.t('Urine protein')}
                    selected={urineProtein || undefined}
                    onChange={({ selected }: { selected: string }) =>
                        setUrineProtein(selected as UrineProtein)
                    }
                    clearable
                    clearText={i18n.t('Clear')}
                    dataTest="urine-protein"
                >
                    {URINE_PROTEIN.map((o) => (
                        <SingleSelectOption
                            key={o.code}
                            value={o.code}
                            label={
                                o.code === 'NEGATIVE'
                                    ? i18n.t('Negative')
                                    : o.code === 'TRACE'
                                      ? i18n.t('Trace')
                                      : o.label
                            }
                        />
                    ))}
                </SingleSelectField>
                <InputField
                    label={i18n.t('Next appointment')}
                    type="date"
                    name="nextAppointment"
                    value={nextAppointment}
                    onChange={({ value: v }: { value?: string }) => setNextAppointment(v ?? '')}
                    error={Boolean(nextError)}
                    validationText={
                        nextError ?? i18n.t('Proposed from the WHO schedule; change it if needed.')
                    }
                />
            </div>
            <TextAreaField
                label={i18n.t('Notes')}
                name="notes"
                value={notes}
                onChange={({ value: v }: { value?: string }) => setNotes(v ?? '')}
                rows={3}
            />
            {dangers.length > 0 ? (
                <div role="alert" className="visit-form__dangers">
                    <NoticeBox error title={i18n.t('Danger signs in this visit')}>
                        <ul>
                            {dangers.map((d) => (
                                <li key={d.code}>{riskFlagLabel(d.code)}</li>
                            ))}
                        </ul>
                        {i18n.t('Act on these now; they are saved with the visit.')}
                    </NoticeBox>
                </div>
            ) : null}
            {submitted && invalid ? (
                <NoticeBox warning title={i18n.t('Check the highlighted fields')}>
                    {i18n.t(
                        'Nothing was saved. Correct the fields marked in red, then save again.'
                    )}
                </NoticeBox>
            ) : null}
            <div className="visit-form__actions">
                <Button primary type="submit" loading={saving} disabled={saving}>
                    {saving ? i18n.t('Saving…') : i18n.t('Save visit')}
                </Button>
            </div>
            <style>{`
                .visit-form { padding: 16px; border-top: 1px solid #d5dde5; max-width: 960px; }
                .visit-form__grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px 16px; }
                .visit-form__ga { display: flex; flex-direction: column; gap: 4px; font-size: 14px; }
                .visit-form__dangers { margin: 12px 0; }
                .visit-form__actions { margin-top: 12px; }
            `}</style>
        </form>
    )
}
