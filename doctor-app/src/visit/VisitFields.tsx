import type { RiskFlag, UrineProtein } from '@anc/shared/anc'
import { rangeMessage } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { InputField, NoticeBox, SingleSelectField, SingleSelectOption } from '@dhis2/ui'
import React from 'react'
import { riskFlagLabel } from '../record/RiskFlags'
import { NUMERIC_FIELDS, type NumericField, type VisitForm } from './useVisitForm'

/** One measurement: its range problem as she types; a lone BP number once she saves. */
export const MeasurementField = ({ form, field }: { form: VisitForm; field: NumericField }) => {
    const f = NUMERIC_FIELDS.find((n) => n.name === field)!
    const check = form.checks[field]
    const message =
        (check && rangeMessage(check)) ??
        ((field === 'diastolic' || field === 'systolic') && form.submitted
            ? form.bpPairError
            : undefined)
    return (
        <InputField
            label={`${f.label()} (${f.unit})`}
            name={field}
            type="text"
            value={form.text[field]}
            onChange={({ value }: { value?: string }) => form.setMeasurement(field, value ?? '')}
            error={Boolean(message)}
            validationText={message}
            inputWidth="160px"
        />
    )
}

const URINE_PROTEIN: { code: UrineProtein; label: () => string }[] = [
    { code: 'NEGATIVE', label: () => i18n.t('Negative') },
    { code: 'TRACE', label: () => i18n.t('Trace') },
    { code: 'PLUS1', label: () => '+' },
    { code: 'PLUS2', label: () => '++' },
    { code: 'PLUS3', label: () => '+++' },
    { code: 'PLUS4', label: () => '++++' },
]

export const UrineProteinField = ({ form }: { form: VisitForm }) => (
    <SingleSelectField
        label={i18n.t('Urine protein')}
        selected={form.urineProtein || undefined}
        onChange={({ selected }: { selected: string }) =>
            form.setUrineProtein(selected as UrineProtein)
        }
        clearable
        clearText={i18n.t('Clear')}
        dataTest="urine-protein"
    >
        {URINE_PROTEIN.map((o) => (
            <SingleSelectOption key={o.code} value={o.code} label={o.label()} />
        ))}
    </SingleSelectField>
)

/** Red flags in what she typed, at once: they need action before the visit ends. */
export const DangerSigns = ({ dangers }: { dangers: RiskFlag[] }) =>
    dangers.length > 0 ? (
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
    ) : null
