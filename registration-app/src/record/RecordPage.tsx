import { useLoadedAncConfig } from '@anc/shared/config/react'
import { isFailure } from '@anc/shared/esignet'
import { useLanguage } from '@anc/shared/i18n'
import { ATTRIBUTES, DATA_ELEMENTS, DATASTORE, PROGRAM_ANC } from '@anc/shared/metadata'
import type { TrackedEntity } from '@anc/shared/tracker'
import { trackerKeys, useTrackedEntity, useTrackerEngine } from '@anc/shared/tracker/react'
import { ErrorState, PatientBanner, PhnCard } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { Button, CircularLoader, NoticeBox } from '@dhis2/ui'
import { useQueryClient } from '@tanstack/react-query'
import React, { useState } from 'react'
import { DuplicatePanel } from '../common/DuplicatePanel'
import { takeFlash } from '../common/flash'
import { attributeValue, personValue } from '../common/person'
import { useRelayConfig } from '../common/queries'
import { sendToFhir, verifyExistingRecord } from './verify-later'
import { navigate } from '../common/routes'
import { useServices, useSigninReady } from '../common/services'

type Action =
    | { kind: 'idle' }
    | { kind: 'working'; what: 'verify' | 'send' }
    | { kind: 'message'; tone: 'success' | 'warning' | 'error'; text: string }
    | { kind: 'duplicate'; existing: TrackedEntity[] }

function firstContactValue(te: TrackedEntity, dataElement: string): string | undefined {
    const enrollment = te.enrollments?.find((e) => e.program === PROGRAM_ANC)
    for (const event of enrollment?.events ?? []) {
        const value = event.dataValues.find((dv) => dv.dataElement === dataElement)?.value
        if (value) return value
    }
    return undefined
}

/** One woman's record: who she is, her PHN card, and "verify now" if she was registered unverified. */
export const RecordPage = ({ trackedEntity }: { trackedEntity: string }) => {
    const record = useTrackedEntity(trackedEntity, PROGRAM_ANC)
    const engine = useTrackerEngine()
    const services = useServices()
    const config = useLoadedAncConfig()
    const [language] = useLanguage()
    const relayConfig = useRelayConfig()
    const signinReady = useSigninReady('now')
    const queryClient = useQueryClient()
    const [flash] = useState(() => takeFlash())
    const [action, setAction] = useState<Action>({ kind: 'idle' })

    if (record.isLoading) {
        return (
            <div className="reg-page" role="status">
                <CircularLoader small /> {i18n.t('Loading her record…')}
            </div>
        )
    }
    if (record.isError) {
        return (
            <ErrorState
                message={i18n.t('Her record could not be loaded.')}
                onRetry={() => void record.refetch()}
            />
        )
    }
    const te = record.data
    if (!te) {
        return (
            <NoticeBox error title={i18n.t('Record not found')}>
                {i18n.t('This record does not exist or you cannot see it.')}
            </NoticeBox>
        )
    }
    const value = (attribute: string) => attributeValue(te, attribute)
    const verified = value(ATTRIBUTES.verificationStatus) === 'VERIFIED'
    const name = personValue(te, config.claims, 'fullName') ?? '—'
    const birthDate = personValue(te, config.claims, 'birthDate')
    const phn = value(ATTRIBUTES.phn)
    const today = services.today()
    const refresh = () => queryClient.invalidateQueries({ queryKey: trackerKeys.all })
    const afterSend = (fhir: string, success: string) => {
        if (fhir !== 'sent') {
            void queryClient.invalidateQueries({
                queryKey: trackerKeys.outbox(DATASTORE.outboxNamespace),
            })
        }
        setAction({
            kind: 'message',
            tone: fhir === 'sent' ? 'success' : 'warning',
            text:
                fhir === 'sent'
                    ? success
                    : i18n.t(
                          'The national record could not be reached. It will be sent automatically.'
                      ),
        })
    }

    const verifyNow = () => {
        if (!relayConfig.data) return
        setAction({ kind: 'working', what: 'verify' })
        services
            .verifyIdentity(relayConfig.data, language)
            .then(async (outcome) => {
                if (isFailure(outcome)) {
                    setAction({ kind: 'message', tone: 'warning', text: outcome.message })
                    return
                }
                if (outcome.kind !== 'verified') return
                const result = await verifyExistingRecord({
                    engine,
                    trackedEntity: te,
                    identity: outcome,
                    locale: language,
                    today,
                    now: services.now(),
                    outbox: services.outbox,
                    pushFhir: services.pushFhir,
                    config,
                })
                if (result.kind === 'duplicate') {
                    setAction({ kind: 'duplicate', existing: result.existing })
                    return
                }
                if (result.kind === 'rejected') {
                    setAction({
                        kind: 'message',
                        tone: 'error',
                        text: [
                            ...Object.values(result.problems.fields).flat(),
                            ...result.problems.general.map((p) => p.message),
                        ].join(' '),
                    })
                    return
                }
                await refresh()
                afterSend(
                    result.fhir,
                    i18n.t('Verified with national ID and updated in the national record.')
                )
            })
            .catch(() =>
                setAction({
                    kind: 'message',
                    tone: 'error',
                    text: i18n.t(
                        'The record could not be updated. Check the connection and try again.'
                    ),
                })
            )
    }

    const resend = () => {
        setAction({ kind: 'working', what: 'send' })
        void sendToFhir(
            { today, outbox: services.outbox, pushFhir: services.pushFhir, config },
            te
        ).then((fhir) => afterSend(fhir, i18n.t('Sent to the national record.')))
    }

    return (
        <div className="reg-page">
            {flash ? (
                <div role="alert">
                    <NoticeBox warning title={i18n.t('She is already registered')}>
                        {flash}
                    </NoticeBox>
                </div>
            ) : null}
            <PatientBanner
                name={name}
                verified={verified}
                {...(value(ATTRIBUTES.verifiedAt)
                    ? { verifiedAt: value(ATTRIBUTES.verifiedAt) }
                    : {})}
                {...(birthDate ? { birthDate } : {})}
                {...(phn ? { phn } : {})}
                phnConfig={config.phn}
                {...(firstContactValue(te, DATA_ELEMENTS.lmp)
                    ? { lmp: firstContactValue(te, DATA_ELEMENTS.lmp) }
                    : {})}
                today={today}
            />
            <div className="reg-actions">
                {!verified ? (
                    <Button
                        primary
                        onClick={verifyNow}
                        disabled={!relayConfig.data || !signinReady || action.kind === 'working'}
                        loading={action.kind === 'working' && action.what === 'verify'}
                        dataTest="verify-record"
                    >
                        {i18n.t('Verify with National ID')}
                    </Button>
                ) : null}
                <Button
                    onClick={resend}
                    disabled={action.kind === 'working'}
                    loading={action.kind === 'working' && action.what === 'send'}
                >
                    {i18n.t('Send to national record')}
                </Button>
                <Button secondary onClick={() => navigate({ page: 'find' })}>
                    {i18n.t('Back to search')}
                </Button>
            </div>
            {action.kind === 'message' ? (
                <div role={action.tone === 'error' ? 'alert' : 'status'}>
                    <NoticeBox
                        error={action.tone === 'error'}
                        warning={action.tone === 'warning'}
                        title={action.tone === 'success' ? i18n.t('Done') : i18n.t('Please note')}
                    >
                        {action.text}
                    </NoticeBox>
                </div>
            ) : null}
            {action.kind === 'duplicate' ? (
                <DuplicatePanel
                    candidates={action.existing.map((existing) => ({
                        trackedEntity: existing,
                        reasons: ['sameIdentity'],
                    }))}
                    onOpen={(uid) => navigate({ page: 'record', trackedEntity: uid })}
                />
            ) : null}
            {phn ? (
                <PhnCard
                    phn={phn}
                    phnConfig={config.phn}
                    name={name}
                    {...(birthDate ? { birthDate } : {})}
                />
            ) : null}
        </div>
    )
}
