import { useLoadedAncConfig } from '@anc/shared/config/react'
import { ErrorState } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { Button, CircularLoader } from '@dhis2/ui'
import React, { useEffect } from 'react'
import { DuplicatePanel } from '../common/DuplicatePanel'
import { useMyClinics } from '../common/queries'
import { navigate } from '../common/routes'
import { useServices } from '../common/services'
import { ClinicSection } from './ClinicSection'
import { storedPersonFields } from './form'
import { IdentitySection } from './IdentitySection'
import { PregnancySection } from './PregnancySection'
import { RegisteredView } from './RegisteredView'
import { useDuplicateCheck } from './useDuplicateCheck'
import { useRegistrationForm } from './useRegistrationForm'
import { openExisting, useSaveRegistration } from './useSaveRegistration'
import { useVerification } from './useVerification'

/**
 * Registering a pregnant woman: identity (verified with her national ID, or typed), the
 * duplicate check as she types, pregnancy details, her clinic, then the save that issues her
 * PHN. Each concern is its own hook; this page only lays them out.
 */
export const RegisterPage = () => {
    const services = useServices()
    const config = useLoadedAncConfig()
    const today = services.today()
    const clinics = useMyClinics()
    const registration = useRegistrationForm(clinics.data)
    const { form } = registration
    const duplicates = useDuplicateCheck(form, today, config.claims)
    const verification = useVerification(registration.applyIdentity)
    const saving = useSaveRegistration(form, today, duplicates.clearToSave)
    // The FHIR client loads while she types, so saving needs only the three requests.
    useEffect(() => services.preloadForSave(), [services])

    if (saving.state.kind === 'saved') {
        return (
            <RegisteredView
                outcome={saving.state.outcome}
                person={form.person}
                clinic={clinics.data?.find((c) => c.id === form.orgUnit)?.name}
                phnConfig={config.phn}
                today={today}
                onRegisterAnother={() => {
                    registration.clear()
                    verification.reset()
                    duplicates.forget()
                    saving.reset()
                }}
            />
        )
    }

    const { state, errors } = saving
    const busy = state.kind === 'saving'
    return (
        <form
            className="reg-page"
            aria-label={i18n.t('Register a pregnant woman')}
            noValidate
            onSubmit={(event) => {
                event.preventDefault()
                void saving.save()
            }}
        >
            <IdentitySection
                fields={new Set(storedPersonFields(config.claims).keys())}
                person={form.person}
                verification={form.verification}
                verifyState={verification.state}
                verifyAvailable={verification.available}
                errors={errors}
                onChange={(field, value) => {
                    registration.changePerson(field, value)
                    // Another person now: a similar record must be looked at again.
                    duplicates.forget()
                }}
                onVerify={verification.verify}
                onVerifyInThisWindow={verification.verifyInThisWindow}
                onManual={verification.registerManually}
            />
            {duplicates.checking ? (
                <div className="reg-hint reg-searching" role="status">
                    <CircularLoader extrasmall /> {i18n.t('Checking for an existing record…')}
                </div>
            ) : null}
            {duplicates.candidates.length > 0 ? (
                <DuplicatePanel
                    candidates={duplicates.candidates}
                    onOpen={(uid) => openExisting(uid)}
                    onRegisterAnyway={duplicates.acknowledge}
                    acknowledged={duplicates.acknowledged}
                />
            ) : null}
            <PregnancySection
                pregnancy={form.pregnancy}
                today={today}
                errors={errors}
                onChange={registration.changePregnancy}
            />
            <ClinicSection
                clinics={clinics}
                orgUnit={form.orgUnit}
                error={errors.orgUnit}
                onChange={registration.chooseClinic}
            />
            {state.kind === 'failed' ? (
                <ErrorState message={state.message} onRetry={() => void saving.save()} />
            ) : null}
            {state.kind === 'rejected' && state.problems.general.length > 0 ? (
                <ErrorState
                    message={state.problems.general.map((p) => p.message).join(' ')}
                    detail={state.problems.general.map((p) => p.detail).join('\n')}
                />
            ) : null}
            {saving.incomplete ? (
                <p className="reg-error" role="alert">
                    {i18n.t('Some details need your attention before saving.')}
                </p>
            ) : null}
            <div className="reg-actions">
                <Button primary type="submit" loading={busy} disabled={busy} dataTest="save-button">
                    {busy ? i18n.t('Saving…') : i18n.t('Save and issue PHN')}
                </Button>
                <Button secondary onClick={() => navigate({ page: 'find' })} disabled={busy}>
                    {i18n.t('Cancel')}
                </Button>
            </div>
        </form>
    )
}
