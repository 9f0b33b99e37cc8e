import { SEX_CODES, type SexCode } from '@anc/shared/metadata'
import { VerifiedBadge } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import {
    Button,
    InputField,
    NoticeBox,
    SingleSelectField,
    SingleSelectOption,
    TextAreaField,
} from '@dhis2/ui'
import React from 'react'
import type { FieldErrors, PersonField, PersonValues, Verification } from './form'
import type { NationalIdVerification, VerifyState } from './useVerification'

/** The sex option set's codes in words (read at render time: the language may change). */
const SEX_LABELS: Record<SexCode, () => string> = {
    FEMALE: () => i18n.t('Female'),
    MALE: () => i18n.t('Male'),
    OTHER: () => i18n.t('Other'),
    UNKNOWN: () => i18n.t('Unknown'),
}

export interface IdentitySectionProps {
    /** The fields the operator's claims mapping stores (others are not asked for). */
    fields: ReadonlySet<PersonField>
    person: PersonValues
    verification: Verification | null
    verifyState: VerifyState
    /** The relay config is still loading, or failed (then the button explains why). */
    verifyAvailable: NationalIdVerification['available']
    errors: FieldErrors
    onChange: (field: PersonField, value: string) => void
    onVerify: () => void
    onVerifyInThisWindow: () => void
    onManual: () => void
}

export const IdentitySection = ({
    fields,
    person,
    verification,
    verifyState,
    verifyAvailable,
    errors,
    onChange,
    onVerify,
    onVerifyInThisWindow,
    onManual,
}: IdentitySectionProps) => {
    const locked = new Set(verification?.lockedFields ?? [])
    const text = (
        field: PersonField,
        label: string,
        extra: { type?: 'date' | 'tel' | 'email'; required?: boolean; helpText?: string } = {}
    ) =>
        fields.has(field) ? (
            <InputField
                name={field}
                label={label}
                value={person[field]}
                type={extra.type ?? 'text'}
                required={extra.required}
                readOnly={locked.has(field)}
                helpText={locked.has(field) ? i18n.t('Verified with national ID') : extra.helpText}
                error={Boolean(errors[field])}
                validationText={errors[field]}
                onChange={({ value }: { value?: string }) => onChange(field, value ?? '')}
                dataTest={`field-${field}`}
            />
        ) : null
    return (
        <section aria-labelledby="identity-heading" className="reg-section">
            <h2 id="identity-heading">{i18n.t('Identity')}</h2>
            {verification ? (
                <div className="reg-verified">
                    <VerifiedBadge verified verifiedAt={verification.verifiedAt} />
                    <p>
                        {i18n.t(
                            'Details confirmed by the national ID are locked. Fill in anything she chose not to share.'
                        )}
                    </p>
                    {verification.unusableClaims.length > 0 ? (
                        <NoticeBox warning title={i18n.t('Some details could not be used')}>
                            {i18n.t(
                                'These details from the national ID could not be read and were left for you to enter: {{claims}}',
                                { claims: verification.unusableClaims.join(', ') }
                            )}
                        </NoticeBox>
                    ) : null}
                </div>
            ) : (
                <div className="reg-verify">
                    <Button
                        primary
                        onClick={onVerify}
                        loading={verifyState.kind === 'verifying'}
                        disabled={verifyAvailable !== 'ready' || verifyState.kind === 'verifying'}
                        dataTest="verify-button"
                    >
                        {verifyState.kind === 'verifying'
                            ? i18n.t('Waiting for the national ID…')
                            : i18n.t('Verify with National ID')}
                    </Button>
                    {verifyAvailable === 'loading' ? (
                        <span className="reg-hint">
                            {i18n.t('Preparing national ID verification…')}
                        </span>
                    ) : null}
                    {verifyAvailable === 'unavailable' ? (
                        <span className="reg-hint" role="status">
                            {i18n.t(
                                'National ID verification is not available right now. You can register her manually.'
                            )}
                        </span>
                    ) : null}
                    {verifyState.kind === 'verifying' ? (
                        <span className="reg-hint" role="status">
                            {i18n.t(
                                'She signs in with her national ID in the window that opened, then agrees to share her details.'
                            )}
                        </span>
                    ) : null}
                    {verifyState.kind === 'failed' ? (
                        <div role="alert">
                            <NoticeBox warning title={i18n.t('Not verified')}>
                                <p>{verifyState.failure.message}</p>
                                <div className="reg-actions">
                                    <Button small onClick={onManual} dataTest="register-manually">
                                        {i18n.t('Register manually')}
                                    </Button>
                                    {verifyState.failure.kind === 'popupBlocked' ? (
                                        <Button small onClick={onVerifyInThisWindow}>
                                            {i18n.t('Continue in this window')}
                                        </Button>
                                    ) : verifyState.failure.kind === 'relayForbidden' ? null : (
                                        <Button small onClick={onVerify}>
                                            {i18n.t('Try again')}
                                        </Button>
                                    )}
                                </div>
                            </NoticeBox>
                        </div>
                    ) : null}
                    {verifyState.kind === 'manual' ? (
                        <div className="reg-manual">
                            <VerifiedBadge verified={false} />
                            <span>
                                {i18n.t(
                                    'Registering without verification. The record will be marked not verified; she can be verified later from her record.'
                                )}
                            </span>
                        </div>
                    ) : null}
                </div>
            )}
            <div className="reg-grid">
                {text('fullName', i18n.t('Full name'), { required: true })}
                {text('givenName', i18n.t('Given name'))}
                {text('familyName', i18n.t('Family name'))}
                {text('birthDate', i18n.t('Date of birth'), { type: 'date', required: true })}
                <SingleSelectField
                    label={i18n.t('Sex')}
                    selected={person.sex}
                    disabled={locked.has('sex')}
                    helpText={locked.has('sex') ? i18n.t('Verified with national ID') : undefined}
                    required
                    error={Boolean(errors.sex)}
                    validationText={errors.sex}
                    onChange={({ selected }: { selected: string }) => onChange('sex', selected)}
                    dataTest="field-sex"
                >
                    {SEX_CODES.map((code) => (
                        <SingleSelectOption key={code} value={code} label={SEX_LABELS[code]()} />
                    ))}
                </SingleSelectField>
                {text('phone', i18n.t('Mobile phone'), {
                    type: 'tel',
                    helpText: i18n.t('For visit reminders, e.g. 071 234 5678'),
                })}
                {text('email', i18n.t('Email'), { type: 'email' })}
                {text('nic', i18n.t('National ID number (NIC)'), {
                    helpText: i18n.t('Only if she agrees to share it.'),
                })}
            </div>
            {fields.has('address') ? (
                <TextAreaField
                    name="address"
                    label={i18n.t('Address')}
                    value={person.address}
                    readOnly={locked.has('address')}
                    helpText={
                        locked.has('address') ? i18n.t('Verified with national ID') : undefined
                    }
                    rows={2}
                    onChange={({ value }: { value?: string }) => onChange('address', value ?? '')}
                    dataTest="field-address"
                />
            ) : null}
        </section>
    )
}
