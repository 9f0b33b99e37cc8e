import { requiredAttribute } from '@anc/shared/claims'
import { useLoadedAncConfig } from '@anc/shared/config/react'
import { isFailure, type VerifiedIdentity } from '@anc/shared/esignet'
import { useLanguage } from '@anc/shared/i18n'
import { ATTRIBUTES, PROGRAM_ANC } from '@anc/shared/metadata'
import { checkPhn, phnLength } from '@anc/shared/phn'
import {
    searchTrackedEntities,
    type AttributeFilter,
    type TrackedEntity,
} from '@anc/shared/tracker'
import { useTrackerEngine } from '@anc/shared/tracker/react'
import { EmptyState, ErrorState } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { Button, CircularLoader, InputField, NoticeBox } from '@dhis2/ui'
import React, { useEffect, useState } from 'react'
import { PersonFacts } from '../common/PersonFacts'
import { handOverVerifiedIdentity } from '../register/verified-handoff'
import {
    displayName,
    useMyClinics,
    useRecentRegistrations,
    useRelayConfig,
} from '../common/queries'
import { navigate } from '../common/routes'
import { useServices, useSigninReady, whenIdle } from '../common/services'
import { loadRecordPage, loadRegisterPage } from '../common/lazy-pages'

type SearchState =
    | { status: 'idle' }
    | { status: 'searching' }
    | {
          status: 'done'
          results: TrackedEntity[]
          by: string
          /** Found by national ID: whom she verified as, for the form if nobody was found. */
          verified?: VerifiedIdentity
      }
    | { status: 'failed'; message: string }

const ResultList = ({ results }: { results: TrackedEntity[] }) => {
    const { claims } = useLoadedAncConfig()
    return (
        <ul className="reg-results">
            {results.map((te) => (
                <li key={te.trackedEntity}>
                    <a href={`#/record/${te.trackedEntity}`}>{displayName(te, claims)}</a>{' '}
                    <PersonFacts te={te} />
                </li>
            ))}
        </ul>
    )
}

/** Find first: an existing record is opened rather than re-entered. */
export const FindPage = () => {
    const engine = useTrackerEngine()
    const services = useServices()
    const { phn: phnConfig, claims } = useLoadedAncConfig()
    const [language] = useLanguage()
    const relayConfig = useRelayConfig()
    const signinReady = useSigninReady('idle')
    const clinics = useMyClinics()
    const clinic = clinics.data?.length === 1 ? clinics.data[0] : undefined
    const recent = useRecentRegistrations(clinics.data?.map((c) => c.id) ?? [])
    const [phn, setPhn] = useState('')
    const [phnError, setPhnError] = useState<string>()
    const [name, setName] = useState('')
    const [birthDate, setBirthDate] = useState('')
    const [nameError, setNameError] = useState<string>()
    const [state, setState] = useState<SearchState>({ status: 'idle' })
    // The next steps (register her, open her record) are ready before she clicks.
    useEffect(
        () =>
            whenIdle(() => {
                void loadRegisterPage()
                void loadRecordPage()
            }),
        []
    )

    const run = async (filters: AttributeFilter[], by: string, verified?: VerifiedIdentity) => {
        setState({ status: 'searching' })
        try {
            const page = await searchTrackedEntities(engine, {
                program: PROGRAM_ANC,
                orgUnitMode: 'ACCESSIBLE',
                filters,
                pageSize: 20,
            })
            const results = page.trackedEntities
            if (results.length === 1 && by !== 'name' && results[0]) {
                navigate({ page: 'record', trackedEntity: results[0].trackedEntity })
                return
            }
            setState({ status: 'done', results, by, ...(verified ? { verified } : {}) })
        } catch {
            setState({
                status: 'failed',
                message: i18n.t(
                    'The search could not be completed. Check the connection and try again.'
                ),
            })
        }
    }

    const searchPhn = () => {
        const check = checkPhn(phn, phnConfig)
        if (check.kind !== 'valid') {
            setPhnError(
                check.kind === 'badCheckDigit'
                    ? i18n.t('This PHN has a typing mistake (the check digit does not match).')
                    : check.kind === 'incomplete'
                      ? i18n.t('A PHN has {{count}} digits.', { count: phnLength(phnConfig) })
                      : i18n.t('A PHN has digits only.')
            )
            return
        }
        setPhnError(undefined)
        void run([{ attribute: ATTRIBUTES.phn, value: check.phn }], 'phn')
    }

    const searchName = () => {
        if (name.trim().length < 2 || birthDate === '') {
            setNameError(i18n.t('Enter at least two letters of the name and the date of birth.'))
            return
        }
        setNameError(undefined)
        void run(
            [
                { attribute: requiredAttribute(claims, 'birthDate'), value: birthDate },
                {
                    attribute: requiredAttribute(claims, 'fullName'),
                    operator: 'like',
                    value: name.trim(),
                },
            ],
            'name'
        )
    }

    const searchIdentity = () => {
        if (!relayConfig.data) return
        setState({ status: 'searching' })
        services
            .verifyIdentity(relayConfig.data, language)
            .then((outcome) => {
                if (isFailure(outcome)) {
                    setState({ status: 'failed', message: outcome.message })
                    return
                }
                if (outcome.kind !== 'verified') return
                void run(
                    [{ attribute: requiredAttribute(claims, 'sub'), value: outcome.sub }],
                    'identity',
                    outcome
                )
            })
            .catch(() =>
                setState({
                    status: 'failed',
                    message: i18n.t('The verification service cannot be reached right now.'),
                })
            )
    }

    return (
        <div className="reg-page">
            <h2>{i18n.t('Find her record first')}</h2>
            <p>
                {i18n.t(
                    'Search before registering, so an existing record is opened rather than entered again.'
                )}
            </p>
            <div className="reg-find">
                <form
                    aria-label={i18n.t('Find by PHN')}
                    onSubmit={(event) => {
                        event.preventDefault()
                        searchPhn()
                    }}
                >
                    <InputField
                        name="phn"
                        label={i18n.t('PHN')}
                        value={phn}
                        inputWidth="200px"
                        error={Boolean(phnError)}
                        validationText={phnError}
                        onChange={({ value }: { value?: string }) => setPhn(value ?? '')}
                    />
                    <Button type="submit">{i18n.t('Find by PHN')}</Button>
                </form>
                <div>
                    <p>{i18n.t('Or let her confirm who she is with her national ID:')}</p>
                    <Button onClick={searchIdentity} disabled={!relayConfig.data || !signinReady}>
                        {i18n.t('Find with National ID')}
                    </Button>
                </div>
                <form
                    aria-label={i18n.t('Find by name and date of birth')}
                    onSubmit={(event) => {
                        event.preventDefault()
                        searchName()
                    }}
                >
                    <InputField
                        name="searchName"
                        label={i18n.t('Name')}
                        value={name}
                        onChange={({ value }: { value?: string }) => setName(value ?? '')}
                    />
                    <InputField
                        name="searchBirthDate"
                        label={i18n.t('Date of birth')}
                        type="date"
                        value={birthDate}
                        error={Boolean(nameError)}
                        validationText={nameError}
                        onChange={({ value }: { value?: string }) => setBirthDate(value ?? '')}
                    />
                    <Button type="submit">{i18n.t('Find by name and date of birth')}</Button>
                </form>
            </div>
            <div aria-live="polite">
                {state.status === 'searching' ? (
                    <div role="status" className="reg-searching">
                        <CircularLoader small /> {i18n.t('Searching…')}
                    </div>
                ) : null}
                {state.status === 'failed' ? <ErrorState message={state.message} /> : null}
                {state.status === 'done' && state.results.length === 0 ? (
                    <NoticeBox title={i18n.t('No record found')}>
                        <p>{i18n.t('She is not registered yet.')}</p>
                        {state.verified ? (
                            <p>
                                {i18n.t(
                                    'The details she just verified with her national ID fill the form: she does not need to verify again.'
                                )}
                            </p>
                        ) : null}
                        <Button
                            primary
                            onClick={() => {
                                if (state.verified) handOverVerifiedIdentity(state.verified)
                                navigate({ page: 'register' })
                            }}
                        >
                            {i18n.t('Register her')}
                        </Button>
                    </NoticeBox>
                ) : null}
                {state.status === 'done' && state.results.length > 0 ? (
                    <ResultList results={state.results} />
                ) : null}
            </div>
            <div className="reg-actions">
                <Button
                    primary
                    onClick={() => navigate({ page: 'register' })}
                    dataTest="new-registration"
                >
                    {i18n.t('New registration')}
                </Button>
            </div>
            <section aria-labelledby="recent-heading">
                <h2 id="recent-heading">
                    {clinic
                        ? i18n.t('Recent registrations at {{clinic}}', { clinic: clinic.name })
                        : i18n.t('Recent registrations')}
                </h2>
                {recent.isLoading ? <CircularLoader small /> : null}
                {recent.isError ? (
                    <ErrorState
                        message={i18n.t('Recent registrations could not be loaded.')}
                        onRetry={() => void recent.refetch()}
                    />
                ) : null}
                {recent.data && recent.data.length === 0 ? (
                    <EmptyState title={i18n.t('No registrations yet')} />
                ) : null}
                {recent.data && recent.data.length > 0 ? (
                    <ResultList results={recent.data} />
                ) : null}
            </section>
        </div>
    )
}
