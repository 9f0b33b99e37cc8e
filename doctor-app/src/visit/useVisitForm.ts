import {
    checkMeasurement,
    evaluateRiskFlags,
    gestationalAgeIfAfterLmp,
    isCalendarDate,
    type MeasurementKind,
    type RangeCheck,
    type RiskFlag,
    type UrineProtein,
} from '@anc/shared/anc'
import type { AncRecordView } from '@anc/shared/fhir'
import i18n from '@dhis2/d2-i18n'
import { useMemo, useState } from 'react'
import type { VisitValues } from './save-visit'

export type NumericField =
    'systolic' | 'diastolic' | 'weightKg' | 'fundalHeightCm' | 'fetalHeartRate' | 'haemoglobinGdl'

/** The measurements of a visit, each checked against its plausible range (shared/anc). */
export const NUMERIC_FIELDS: {
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

export interface VisitForm {
    date: string
    setDate: (date: string) => void
    text: Record<NumericField, string>
    setMeasurement: (field: NumericField, value: string) => void
    urineProtein: UrineProtein | ''
    setUrineProtein: (value: UrineProtein | '') => void
    notes: string
    setNotes: (notes: string) => void
    nextAppointment: string
    setNextAppointment: (date: string) => void
    /** Gestational age on the visit date, from the LMP. */
    gestationalAge: { weeks: number; days: number } | undefined
    checks: Partial<Record<NumericField, RangeCheck>>
    dateError: string | undefined
    nextError: string | undefined
    /** One blood pressure number without the other. */
    bpPairError: string | undefined
    /** Danger signs (red flags) in what is typed, as she types. */
    dangers: RiskFlag[]
    submitted: boolean
    invalid: boolean
    /** The values to save, or undefined (and every problem shown) when something is wrong. */
    submit: () => VisitValues | undefined
}

/** The visit form's values, what is wrong with them, and the danger signs they show. */
export function useVisitForm(record: AncRecordView, today: string): VisitForm {
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
    const measured = (name: NumericField) => {
        const v = value(name)
        return v !== undefined ? { [name]: v } : {}
    }
    const dangers = evaluateRiskFlags({
        ...(ga ? { gaWeeks: ga.weeks } : {}),
        ...(record.patient?.ageYears !== undefined ? { ageYears: record.patient.ageYears } : {}),
        ...measured('systolic'),
        ...measured('diastolic'),
        ...measured('fetalHeartRate'),
        ...measured('haemoglobinGdl'),
        ...(urineProtein ? { urineProtein } : {}),
    }).filter((f) => f.severity === 'red')
    const invalid =
        Boolean(dateError || nextError || bpPairError) ||
        Object.values(checks).some((c) => c && !c.ok)

    return {
        date,
        setDate,
        text,
        setMeasurement: (field, v) => setText((t) => ({ ...t, [field]: v })),
        urineProtein,
        setUrineProtein,
        notes,
        setNotes,
        nextAppointment,
        setNextAppointment,
        gestationalAge: ga,
        checks,
        dateError,
        nextError,
        bpPairError,
        dangers,
        submitted,
        invalid,
        submit: () => {
            setSubmitted(true)
            if (invalid) return undefined
            const values: VisitValues = { date }
            for (const f of NUMERIC_FIELDS) {
                const v = value(f.name)
                if (v !== undefined) values[f.name] = v
            }
            if (ga) values.gaWeeks = ga.weeks
            if (urineProtein) values.urineProtein = urineProtein
            if (notes.trim()) values.notes = notes.trim()
            if (nextAppointment) values.nextAppointment = nextAppointment
            return values
        },
    }
}
