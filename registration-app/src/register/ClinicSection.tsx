import { ErrorState } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { CircularLoader, NoticeBox, SingleSelectField, SingleSelectOption } from '@dhis2/ui'
import React from 'react'
import type { useMyClinics } from '../common/queries'

export interface ClinicSectionProps {
    clinics: ReturnType<typeof useMyClinics>
    orgUnit: string
    error: string | undefined
    onChange: (orgUnit: string) => void
}

/** Where she is registered: her only clinic, or the one the midwife chooses. */
export const ClinicSection = ({ clinics, orgUnit, error, onChange }: ClinicSectionProps) => (
    <section aria-labelledby="clinic-heading" className="reg-section">
        <h2 id="clinic-heading">{i18n.t('Clinic')}</h2>
        {clinics.isLoading ? <CircularLoader small /> : null}
        {clinics.data && clinics.data.length > 1 ? (
            <SingleSelectField
                label={i18n.t('Clinic')}
                selected={orgUnit || undefined}
                required
                error={Boolean(error)}
                validationText={error}
                onChange={({ selected }: { selected: string }) => onChange(selected)}
                dataTest="field-orgUnit"
            >
                {clinics.data.map((clinic) => (
                    <SingleSelectOption key={clinic.id} value={clinic.id} label={clinic.name} />
                ))}
            </SingleSelectField>
        ) : null}
        {clinics.data?.length === 1 ? <p>{clinics.data[0]?.name}</p> : null}
        {clinics.data?.length === 0 ? (
            <NoticeBox error title={i18n.t('No clinic assigned')}>
                {i18n.t('Your account has no clinic. Ask your administrator to assign one.')}
            </NoticeBox>
        ) : null}
        {clinics.isError ? (
            <ErrorState
                message={i18n.t('Your clinics could not be loaded.')}
                onRetry={() => void clinics.refetch()}
            />
        ) : null}
    </section>
)
