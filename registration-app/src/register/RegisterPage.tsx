import type { ClaimsMappingConfig } from '@anc/shared/claims'
import { useLoadedAncConfig } from '@anc/shared/config/react'
import { isFailure, relayUnreachable, type StaffSigninOutcome } from '@anc/shared/esignet'
import { takeVerifiedIdentity } from './verified-handoff'
import { useLanguage } from '@anc/shared/i18n'
import { DATASTORE } from '@anc/shared/metadata'
import type { ImportProblems, TrackedEntity } from '@anc/shared/tracker'
import { trackerKeys, useTrackerEngine } from '@anc/shared/tracker/react'
import { ErrorState, PhnCard } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { Button, CircularLoader, NoticeBox, SingleSelectField, SingleSelectOption } from '@dhis2/ui'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import React, { useEffect, useRef, useState } from 'react'
import { DuplicatePanel } from '../common/DuplicatePanel'
import { IdentitySection, type VerifyState } from './IdentitySection'
import { PregnancySection } from './PregnancySection'
import { setFlash } from '../common/flash'
import {
    findDuplicates,
    isCertainDuplicate,
    type DuplicateCandidate,
    type DuplicateQuery,
} from './duplicates'
import {
    applyVerifiedIdentity,
    emptyForm,
    normalisedPerson,
    storedPersonFields,
    validateForm,
    validatePerson,
    type FieldErrors,
    type PersonField,
    type PregnancyField,
    type RegistrationForm,
} from './form'
import { useMyClinics, useRelayConfig } from '../common/queries'
import { saveRegistration, type SaveAttempt, type SaveOutcome } from './save'
import { navigate } from '../common/routes'
import { useServices, useSigninReady } from '../common/services'

/** Waits until typing pauses, so the duplicate search runs once per name, not per keystroke. */
function useDebounced<T>(value: T, ms: number): T {
    const [debounced, setDebounced] = useState(value)
    useEffect(() => {
        const timer = setTimeout(() => setDebounced(value), ms)
        return () => clearTimeout(timer)
    }, [value, ms])
    return debounced
}

/** What the duplicate search needs, or null while the identity is too incomplete to search. */
export function duplicateQueryOf(
    form: RegistrationForm,
    today: string,
    claims: ClaimsMappingConfig
): DuplicateQuery | null {
    const errors = validatePerson(form.person, today, claims)
    const person = normalisedPerson(form.person, claims)
    const query: DuplicateQuery = { fullName: person.fullName, birthDate: '' }
    if (form.verification) query.sub = form.verification.sub
    if (person.nic && !errors.nic) query.nic = person.nic
    if (!errors.birthDate && !errors.fullName && person.phone && !errors.phone) {
        query.birthDate = person.birthDate
        query.phone = person.phone
    }
    return query.sub || query.nic || query.phone ? query : null
}

const duplicateKey = (query: DuplicateQuery | null) => ['tracker', 'duplicates', query] as const

type SaveState =
    | { status: 'editing' }
    | { status: 'saving' }
    | { status: 'failed'; message: string }
    | { status: 'rejected'; problems: ImportProblems }
    | { status: 'saved'; outcome: Extract<SaveOutcome, { kind: 'saved' }> }

const ORDER: (PersonField | PregnancyField | 'orgUnit')[] = [
    'fullName',
    'birthDate',
    'sex',
    'phone',
    'email',
    'nic',
    'lmp',
    'edd',
    'gravida',
    'parity',
    'heightCm',
    'weightKg',
    'systolic',
    'diastolic',
    'previousComplications',
    'orgUnit',
]

export const RegisterPage = () => {
    const services = useServices()
    const engine = useTrackerEngine()
    const config = useLoadedAncConfig()
    const queryClient = useQueryClient()
    const [language] = useLanguage()
    const today = services.today()
    const clinics = useMyClinics()
    const relayConfig = useRelayConfig()
    const [form, setForm] = useState<RegistrationForm>(() => emptyForm())
    const [verifyState, setVerifyState] = useState<VerifyState>({ status: 'idle' })
    const [submitted, setSubmitted] = useState(false)
    const [saveState, setSaveState] = useState<SaveState>({ status: 'editing' })
    const [acknowledgedSimilar, setAcknowledgedSimilar] = useState(false)
    const attempt = useRef<SaveAttempt>({})
    const signinReady = useSigninReady('now')
    // The FHIR client loads while she types, so saving needs only the three requests.
    useEffect(() => services.preloadForSave(), [services])

    // Her clinic by default; a midwife with several chooses.
    useEffect(() => {
        const only = clinics.data?.length === 1 ? clinics.data[0] : undefined
        if (only && form.orgUnit === '') setForm((f) => ({ ...f, orgUnit: only.id }))
    }, [clinics.data, form.orgUnit])

    const dupQuery = useDebounced(duplicateQueryOf(form, today, config.claims), 400)
    const duplicates = useQuery({
        queryKey: duplicateKey(dupQuery),
        enabled: dupQuery !== null,
        staleTime: Infinity,
        queryFn: ({ signal }) =>
            findDuplicates(engine, dupQuery as DuplicateQuery, config.claims, signal),
    })
    const candidates: DuplicateCandidate[] = dupQuery ? (duplicates.data ?? []) : []

    const errors: FieldErrors = submitted ? validateForm(form, today, config.claims) : {}
    if (saveState.status === 'rejected') {
        const stored = [...storedPersonFields(config.claims)]
        for (const [uid, messages] of Object.entries(saveState.problems.fields)) {
            const field = stored.find(([, attribute]) => attribute === uid)?.[0]
            if (field) errors[field] = messages.join(' ')
        }
    }

    const changePerson = (field: PersonField, value: string) => {
        if (form.verification?.lockedFields.includes(field)) return
        setForm((f) => ({ ...f, person: { ...f.person, [field]: value } }))
        setAcknowledgedSimilar(false)
    }
    const changePregnancy = (field: PregnancyField | 'dating', value: string) =>
        setForm((f) => ({ ...f, pregnancy: { ...f.pregnancy, [field]: value } }))

    const applyOutcome = (outcome: StaffSigninOutcome) => {
        if (isFailure(outcome)) {
            setVerifyState({ status: 'failed', failure: outcome })
            return
        }
        if (outcome.kind !== 'verified') return
        setForm((f) =>
            applyVerifiedIdentity(f, outcome, {
                locale: language,
                today,
                now: services.now(),
                claims: config.claims,
            })
        )
        setVerifyState({ status: 'idle' })
    }

    // Verified a moment ago while searching (nobody found), or back from "continue in this
    // window": either answer is used once.
    const redirectChecked = useRef(false)
    useEffect(() => {
        if (redirectChecked.current) return
        redirectChecked.current = true
        const handed = takeVerifiedIdentity(services.now())
        if (handed) {
            applyOutcome(handed)
            return
        }
        services.completeVerifyInThisWindow().then(
            (outcome) => {
                if (outcome) applyOutcome(outcome)
            },
            () => undefined
        )
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [])

    const verify = () => {
        if (!relayConfig.data) return
        setVerifyState({ status: 'verifying' })
        // Called inside the click: the popup opens before the first await.
        services
            .verifyIdentity(relayConfig.data, language)
            .then(applyOutcome)
            .catch(() => setVerifyState({ status: 'failed', failure: relayUnreachable() }))
    }

    const openExisting = (trackedEntity: string, message?: string) => {
        if (message) setFlash(message)
        navigate({ page: 'record', trackedEntity })
    }

    const save = async () => {
        setSubmitted(true)
        const problems = validateForm(form, today, config.claims)
        const first = ORDER.find((field) => problems[field])
        if (first) {
            document.querySelector<HTMLElement>(`[name="${first}"]`)?.focus()
            return
        }
        setSaveState({ status: 'saving' })
        try {
            // Normally answered from the cache: the search ran while she typed.
            const current = duplicateQueryOf(form, today, config.claims)
            const found = current
                ? await queryClient.fetchQuery({
                      queryKey: duplicateKey(current),
                      staleTime: Infinity,
                      queryFn: ({ signal }) =>
                          findDuplicates(engine, current, config.claims, signal),
                  })
                : []
            if (found.some(isCertainDuplicate) || (found.length > 0 && !acknowledgedSimilar)) {
                setSaveState({ status: 'editing' })
                return
            }
            const outcome = await saveRegistration({
                engine,
                form,
                today,
                attempt: attempt.current,
                outbox: services.outbox,
                pushFhir: services.pushFhir,
                config,
            })
            if (outcome.kind === 'duplicate') {
                const existing: TrackedEntity | undefined = outcome.existing[0]
                if (existing) {
                    openExisting(
                        existing.trackedEntity,
                        i18n.t(
                            'She was registered meanwhile (perhaps on another computer). This is her existing record; nothing new was saved.'
                        )
                    )
                    return
                }
                setSaveState({
                    status: 'failed',
                    message: i18n.t(
                        'She is already registered, but her record is outside the places you can search. Ask your supervisor.'
                    ),
                })
                return
            }
            if (outcome.kind === 'rejected') {
                setSaveState({ status: 'rejected', problems: outcome.problems })
                return
            }
            if (outcome.fhir !== 'sent') {
                void queryClient.invalidateQueries({
                    queryKey: trackerKeys.outbox(DATASTORE.outboxNamespace),
                })
            }
            setSaveState({ status: 'saved', outcome })
        } catch {
            setSaveState({
                status: 'failed',
                message: i18n.t(
                    'The record could not be saved because DHIS2 did not answer. Nothing was lost: check the connection and save again.'
                ),
            })
        }
    }

    if (saveState.status === 'saved') {
        const { outcome } = saveState
        const clinic = clinics.data?.find((c) => c.id === form.orgUnit)?.name
        return (
            <div className="reg-page">
                <h2>{i18n.t('Registered')}</h2>
                {outcome.fhir === 'sent' ? (
                    <NoticeBox title={i18n.t('Saved in DHIS2 and in the national record')}>
                        {i18n.t('Give her the PHN card.')}
                    </NoticeBox>
                ) : (
                    <NoticeBox
                        warning
                        title={i18n.t('Saved in DHIS2; the national record will follow')}
                    >
                        {outcome.fhir === 'queued'
                            ? i18n.t(
                                  'The national record could not be reached. The record is kept and will be sent automatically; you can also retry from the pending-sync button.'
                              )
                            : i18n.t(
                                  'The national record could not be reached. Open her record and choose "Send to national record" to send it again.'
                              )}
                    </NoticeBox>
                )}
                <PhnCard
                    phn={outcome.phn}
                    phnConfig={config.phn}
                    name={form.person.fullName}
                    birthDate={form.person.birthDate}
                    issuedOn={today}
                    {...(clinic ? { issuedBy: clinic } : {})}
                />
                <div className="reg-actions">
                    <Button
                        onClick={() =>
                            navigate({
                                page: 'record',
                                trackedEntity: outcome.trackedEntity.trackedEntity,
                            })
                        }
                    >
                        {i18n.t('Open her record')}
                    </Button>
                    <Button
                        primary
                        onClick={() => {
                            attempt.current = {}
                            setForm(emptyForm(form.orgUnit))
                            setVerifyState({ status: 'idle' })
                            setSubmitted(false)
                            setAcknowledgedSimilar(false)
                            setSaveState({ status: 'editing' })
                        }}
                    >
                        {i18n.t('Register another woman')}
                    </Button>
                </div>
            </div>
        )
    }

    const verifyAvailable = relayConfig.isError
        ? 'unavailable'
        : relayConfig.isSuccess && signinReady
          ? 'ready'
          : 'loading'
    const saving = saveState.status === 'saving'
    return (
        <form
            className="reg-page"
            aria-label={i18n.t('Register a pregnant woman')}
            noValidate
            onSubmit={(event) => {
                event.preventDefault()
                void save()
            }}
        >
            <IdentitySection
                fields={new Set(storedPersonFields(config.claims).keys())}
                person={form.person}
                verification={form.verification}
                verifyState={verifyState}
                verifyAvailable={verifyAvailable}
                errors={errors}
                onChange={changePerson}
                onVerify={verify}
                onVerifyInThisWindow={() => {
                    if (relayConfig.data)
                        void services.verifyInThisWindow(relayConfig.data, language)
                }}
                onManual={() => setVerifyState({ status: 'manual' })}
            />
            {duplicates.isFetching ? (
                <div className="reg-hint reg-searching" role="status">
                    <CircularLoader extrasmall /> {i18n.t('Checking for an existing record…')}
                </div>
            ) : null}
            {candidates.length > 0 ? (
                <DuplicatePanel
                    candidates={candidates}
                    onOpen={(uid) => openExisting(uid)}
                    onRegisterAnyway={() => setAcknowledgedSimilar(true)}
                    acknowledged={acknowledgedSimilar}
                />
            ) : null}
            <PregnancySection
                pregnancy={form.pregnancy}
                today={today}
                errors={errors}
                onChange={changePregnancy}
            />
            <section aria-labelledby="clinic-heading" className="reg-section">
                <h2 id="clinic-heading">{i18n.t('Clinic')}</h2>
                {clinics.isLoading ? <CircularLoader small /> : null}
                {clinics.data && clinics.data.length > 1 ? (
                    <SingleSelectField
                        label={i18n.t('Clinic')}
                        selected={form.orgUnit || undefined}
                        required
                        error={Boolean(errors.orgUnit)}
                        validationText={errors.orgUnit}
                        onChange={({ selected }: { selected: string }) =>
                            setForm((f) => ({ ...f, orgUnit: selected }))
                        }
                        dataTest="field-orgUnit"
                    >
                        {clinics.data.map((clinic) => (
                            <SingleSelectOption
                                key={clinic.id}
                                value={clinic.id}
                                label={clinic.name}
                            />
                        ))}
                    </SingleSelectField>
                ) : null}
                {clinics.data?.length === 1 ? <p>{clinics.data[0]?.name}</p> : null}
                {clinics.data?.length === 0 ? (
                    <NoticeBox error title={i18n.t('No clinic assigned')}>
                        {i18n.t(
                            'Your account has no clinic. Ask your administrator to assign one.'
                        )}
                    </NoticeBox>
                ) : null}
                {clinics.isError ? (
                    <ErrorState
                        message={i18n.t('Your clinics could not be loaded.')}
                        onRetry={() => void clinics.refetch()}
                    />
                ) : null}
            </section>
            {saveState.status === 'failed' ? (
                <ErrorState message={saveState.message} onRetry={() => void save()} />
            ) : null}
            {saveState.status === 'rejected' && saveState.problems.general.length > 0 ? (
                <ErrorState
                    message={saveState.problems.general.map((p) => p.message).join(' ')}
                    detail={saveState.problems.general.map((p) => p.detail).join('\n')}
                />
            ) : null}
            {submitted && Object.keys(validateForm(form, today, config.claims)).length > 0 ? (
                <p className="reg-error" role="alert">
                    {i18n.t('Some details need your attention before saving.')}
                </p>
            ) : null}
            <div className="reg-actions">
                <Button
                    primary
                    type="submit"
                    loading={saving}
                    disabled={saving}
                    dataTest="save-button"
                >
                    {saving ? i18n.t('Saving…') : i18n.t('Save and issue PHN')}
                </Button>
                <Button secondary onClick={() => navigate({ page: 'find' })} disabled={saving}>
                    {i18n.t('Cancel')}
                </Button>
            </div>
        </form>
    )
}
