import { useLoadedAncConfig } from '@anc/shared/config/react'
import { DATASTORE } from '@anc/shared/metadata'
import { FhirOutbox } from '@anc/shared/tracker'
import { trackerKeys, useTrackerEngine } from '@anc/shared/tracker/react'
import { ErrorState } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { Button, CircularLoader, NoticeBox } from '@dhis2/ui'
import type { Bundle } from '@medplum/fhirtypes'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import React, { useEffect, useMemo } from 'react'
import { useDoctor } from '../common/context'
import { describeProblem } from '../common/problems'
import { saveVisit, type SaveVisitResult, type VisitValues } from '../visit/save-visit'
import { VisitForm } from '../visit/VisitForm'
import { openRecordByPhn, type OpenedRecord } from './open-record'
import { RecordView } from './RecordView'

export interface RecordPageProps {
    phn: string
    onBack: () => void
    onOpened?: (opened: OpenedRecord) => void
}

function SaveOutcome({ result, onReload }: { result: SaveVisitResult; onReload: () => void }) {
    switch (result.kind) {
        case 'saved':
            return result.fhir === 'sent' ? (
                <NoticeBox valid title={i18n.t('Visit saved')}>
                    {i18n.t('Saved in DHIS2 and in the national record.')}
                </NoticeBox>
            ) : (
                <NoticeBox
                    warning
                    title={i18n.t('Visit saved in DHIS2; the national record will follow')}
                >
                    {i18n.t(
                        'The national record could not be reached. The visit waits in the outbox and is sent automatically; nothing is lost.'
                    )}
                </NoticeBox>
            )
        case 'stale':
            return (
                <NoticeBox error title={i18n.t('This record changed since you opened it')}>
                    <p>
                        {result.where === 'dhis2'
                            ? i18n.t(
                                  'Someone recorded a visit ({{what}}) that is not on your screen.',
                                  { what: result.detail }
                              )
                            : i18n.t('The national record was updated by someone else.')}{' '}
                        {i18n.t(
                            'Nothing was saved and nothing was overwritten. Reload the record, review the changes, then enter your visit again.'
                        )}
                    </p>
                    <Button small onClick={onReload}>
                        {i18n.t('Reload the record')}
                    </Button>
                </NoticeBox>
            )
        case 'fhirConflict':
            return (
                <NoticeBox
                    error
                    title={i18n.t('The national record changed while you were saving')}
                >
                    <p>
                        {i18n.t(
                            'Your visit is saved in DHIS2. The national record was changed by someone else at the same moment, so it was not overwritten. Reload the record to review it.'
                        )}
                    </p>
                    <Button small onClick={onReload}>
                        {i18n.t('Reload the record')}
                    </Button>
                </NoticeBox>
            )
        case 'rejected':
            return (
                <NoticeBox error title={i18n.t('DHIS2 did not accept the visit')}>
                    <ul>
                        {result.messages.map((m) => (
                            <li key={m}>{m}</li>
                        ))}
                    </ul>
                </NoticeBox>
            )
    }
}

export const RecordPage = ({ phn, onBack, onOpened }: RecordPageProps) => {
    const { fhir, today } = useDoctor()
    const config = useLoadedAncConfig()
    const engine = useTrackerEngine()
    const queryClient = useQueryClient()
    const outbox = useMemo(() => new FhirOutbox<Bundle>(engine), [engine])
    const record = useQuery({
        queryKey: ['anc-record', phn],
        queryFn: () => openRecordByPhn(fhir, phn, today(), config.fhir),
        retry: false,
        refetchOnWindowFocus: false,
        // A record open on screen is the version the doctor saw: never swap it under her.
        staleTime: Infinity,
    })
    useEffect(() => {
        if (record.data) onOpened?.(record.data)
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [record.data])
    const save = useMutation({
        mutationFn: (values: VisitValues) =>
            saveVisit({
                engine,
                fhir,
                outbox,
                opened: record.data!,
                values,
                today: today(),
                config: config.fhir,
            }),
        onSuccess: (result) => {
            if (result.kind === 'saved')
                void queryClient.invalidateQueries({
                    queryKey: trackerKeys.outbox(DATASTORE.outboxNamespace),
                })
        },
    })
    const reload = () => {
        save.reset()
        void record.refetch()
    }

    if (record.isPending || (record.isFetching && !record.data)) {
        return (
            <div className="patient-page__loading" role="status">
                <CircularLoader aria-label={i18n.t('Opening the record')} />
                <p>{i18n.t('Opening the record from the national record…')}</p>
            </div>
        )
    }
    if (record.isError) {
        const problem = describeProblem(record.error)
        return (
            <div className="patient-page">
                <ErrorState
                    title={problem.title}
                    message={problem.message}
                    {...(problem.detail ? { detail: problem.detail } : {})}
                    {...(problem.kind === 'patientNotFound'
                        ? {}
                        : { onRetry: () => void record.refetch() })}
                />
                <Button onClick={onBack}>{i18n.t('Find another patient')}</Button>
            </div>
        )
    }
    const opened = record.data
    return (
        <div className="patient-page">
            <div className="patient-page__bar">
                <Button small onClick={onBack}>
                    {i18n.t('Find another patient')}
                </Button>
                {record.isFetching ? (
                    <CircularLoader small aria-label={i18n.t('Reloading the record')} />
                ) : null}
            </div>
            <RecordView record={opened.record} today={today()} phnConfig={config.phn} />
            {save.data?.kind === 'saved' ? (
                <div role="status" className="patient-page__outcome">
                    <SaveOutcome result={save.data} onReload={reload} />
                    <Button onClick={reload}>{i18n.t('Show the updated record')}</Button>
                </div>
            ) : (
                <>
                    {save.data ? (
                        <div role="alert" className="patient-page__outcome">
                            <SaveOutcome result={save.data} onReload={reload} />
                        </div>
                    ) : null}
                    {save.isError ? (
                        <ErrorState
                            title={describeProblem(save.error).title}
                            message={describeProblem(save.error).message}
                            {...(describeProblem(save.error).detail
                                ? { detail: describeProblem(save.error).detail! }
                                : {})}
                        />
                    ) : null}
                    <VisitForm
                        key={opened.bundle.id ?? opened.patientId}
                        record={opened.record}
                        today={today()}
                        saving={save.isPending}
                        onSave={(values) => save.mutate(values)}
                    />
                </>
            )}
            <style>{`
                .patient-page__bar { display: flex; gap: 8px; align-items: center; padding: 8px 16px; }
                .patient-page__loading { display: flex; flex-direction: column; align-items: center; padding: 48px; }
                .patient-page { padding-bottom: 32px; }
                .patient-page__outcome { display: flex; flex-direction: column; align-items: flex-start; gap: 8px; padding: 8px 16px; }
            `}</style>
        </div>
    )
}
