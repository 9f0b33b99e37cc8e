import { formatGestationalAgeText } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { Field, InputField, Radio, TextAreaField } from '@dhis2/ui'
import React from 'react'
import {
    pregnancySummary,
    type FieldErrors,
    type PregnancyField,
    type PregnancyValues,
} from './form'

export interface PregnancySectionProps {
    pregnancy: PregnancyValues
    today: string
    errors: FieldErrors
    onChange: (field: PregnancyField | 'dating', value: string) => void
}

export const PregnancySection = ({ pregnancy, today, errors, onChange }: PregnancySectionProps) => {
    const summary = pregnancySummary(pregnancy, today)
    const input = (
        field: PregnancyField,
        label: string,
        extra: { type?: 'date' | 'number'; required?: boolean; suffix?: string } = {}
    ) => (
        <InputField
            name={field}
            label={extra.suffix ? `${label} (${extra.suffix})` : label}
            value={pregnancy[field]}
            type={extra.type ?? 'number'}
            inputWidth={extra.type === 'date' ? undefined : '140px'}
            required={extra.required}
            error={Boolean(errors[field])}
            validationText={errors[field]}
            onChange={({ value }: { value?: string }) => onChange(field, value ?? '')}
            dataTest={`field-${field}`}
        />
    )
    return (
        <section aria-labelledby="pregnancy-heading" className="reg-section">
            <h2 id="pregnancy-heading">{i18n.t('Pregnancy')}</h2>
            <Field label={i18n.t('Date the pregnancy from')}>
                <div
                    className="reg-inline"
                    role="radiogroup"
                    aria-label={i18n.t('Date the pregnancy from')}
                >
                    <Radio
                        name="dating"
                        value="lmp"
                        label={i18n.t('Last menstrual period (LMP)')}
                        checked={pregnancy.dating === 'lmp'}
                        onChange={() => onChange('dating', 'lmp')}
                    />
                    <Radio
                        name="dating"
                        value="edd"
                        label={i18n.t('Estimated date of delivery (EDD)')}
                        checked={pregnancy.dating === 'edd'}
                        onChange={() => onChange('dating', 'edd')}
                    />
                </div>
            </Field>
            <div className="reg-grid">
                {pregnancy.dating === 'lmp'
                    ? input('lmp', i18n.t('First day of last menstrual period'), {
                          type: 'date',
                          required: true,
                      })
                    : input('edd', i18n.t('Estimated date of delivery'), {
                          type: 'date',
                          required: true,
                      })}
                <output className="reg-summary" aria-live="polite" data-test="pregnancy-summary">
                    {summary
                        ? i18n.t('Gestational age today {{ga}} · EDD {{edd}}', {
                              ga: formatGestationalAgeText(summary.weeks, summary.days),
                              edd: summary.edd,
                          })
                        : i18n.t('Gestational age and EDD appear here as you type the date.')}
                </output>
            </div>
            <div className="reg-grid">
                {input('gravida', i18n.t('Gravida'), { required: true })}
                {input('parity', i18n.t('Parity'), { required: true })}
                {input('heightCm', i18n.t('Height'), { suffix: 'cm' })}
                {input('weightKg', i18n.t('Weight'), { suffix: 'kg' })}
                {input('systolic', i18n.t('Systolic blood pressure'), { suffix: 'mmHg' })}
                {input('diastolic', i18n.t('Diastolic blood pressure'), { suffix: 'mmHg' })}
            </div>
            <TextAreaField
                name="previousComplications"
                label={i18n.t('Previous pregnancy complications')}
                value={pregnancy.previousComplications}
                rows={2}
                error={Boolean(errors.previousComplications)}
                validationText={errors.previousComplications}
                onChange={({ value }: { value?: string }) =>
                    onChange('previousComplications', value ?? '')
                }
                dataTest="field-previousComplications"
            />
        </section>
    )
}
