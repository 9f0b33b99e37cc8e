import type { AncRecordView } from '@anc/shared/fhir'
import { formatGestationalAgeText } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { Button, InputField, NoticeBox, TextAreaField } from '@dhis2/ui'
import React from 'react'
import type { VisitValues } from './save-visit'
import { NUMERIC_FIELDS, useVisitForm } from './useVisitForm'
import { DangerSigns, MeasurementField, UrineProteinField } from './VisitFields'

export interface VisitFormProps {
    record: AncRecordView
    today: string
    saving: boolean
    onSave: (values: VisitValues) => void
}

/** Record this visit: date (GA computed), measurements, urine protein, notes, next appointment. */
export const VisitForm = ({ record, today, saving, onSave }: VisitFormProps) => {
    const form = useVisitForm(record, today)
    const ga = form.gestationalAge
    return (
        <form
            aria-label={i18n.t('Record this visit')}
            className="visit-form"
            onSubmit={(event) => {
                event.preventDefault()
                const values = form.submit()
                if (values) onSave(values)
            }}
        >
            <h3>{i18n.t('Record this visit')}</h3>
            <div className="visit-form__grid">
                <InputField
                    label={i18n.t('Visit date')}
                    type="date"
                    name="date"
                    value={form.date}
                    max={today}
                    onChange={({ value }: { value?: string }) => form.setDate(value ?? '')}
                    error={Boolean(form.dateError)}
                    validationText={form.dateError}
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
                {NUMERIC_FIELDS.map((f) => (
                    <MeasurementField key={f.name} form={form} field={f.name} />
                ))}
                <UrineProteinField form={form} />
                <InputField
                    label={i18n.t('Next appointment')}
                    type="date"
                    name="nextAppointment"
                    value={form.nextAppointment}
                    onChange={({ value }: { value?: string }) =>
                        form.setNextAppointment(value ?? '')
                    }
                    error={Boolean(form.nextError)}
                    validationText={
                        form.nextError ??
                        i18n.t('Proposed from the WHO schedule; change it if needed.')
                    }
                />
            </div>
            <TextAreaField
                label={i18n.t('Notes')}
                name="notes"
                value={form.notes}
                onChange={({ value }: { value?: string }) => form.setNotes(value ?? '')}
                rows={3}
            />
            <DangerSigns dangers={form.dangers} />
            {form.submitted && form.invalid ? (
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
