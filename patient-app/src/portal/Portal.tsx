import { clinicToday } from '@anc/shared/anc'
import { bundleToAncRecord } from '@anc/shared/fhir'
import i18n from '@dhis2/d2-i18n'
import { Button, CircularLoader, NoticeBox } from '@dhis2/ui'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import React, { useState } from 'react'
import { RecordView } from './RecordView'
import { NoLinkedRecord } from './NoLinkedRecord'
import { endPatientSession, fetchPatientRecord, RECORD_QUERY_KEY, RecordFailure } from './relay-api'
import type { PatientSignIn } from './usePatientSignIn'

export interface PortalProps {
    signIn: PatientSignIn
    /** Back to the sign-in page; `signedOut` tells it to say so. */
    onLeave: (result: { signedOut: boolean; logoutReached: boolean }) => void
    /** Today's date (tests fix it). */
    today?: string
    download?: (text: string, fileName: string) => void
}

/** The patient's side after sign-in: one request for the whole record, then read-only views. */
export const Portal = ({ signIn, onLeave, today = clinicToday(), download }: PortalProps) => {
    const queryClient = useQueryClient()
    const [signingOut, setSigningOut] = useState(false)
    const record = useQuery({
        queryKey: RECORD_QUERY_KEY,
        queryFn: ({ signal }) => fetchPatientRecord({ signal }),
        retry: false,
        refetchOnWindowFocus: false,
        select: (bundle) => bundleToAncRecord(bundle, today),
    })

    const signOut = async () => {
        setSigningOut(true)
        const logoutReached = await endPatientSession()
        // Her record must not stay in memory for the next person using this phone.
        queryClient.removeQueries({ queryKey: RECORD_QUERY_KEY })
        setSigningOut(false)
        onLeave({ signedOut: true, logoutReached })
    }

    const back = (
        <Button secondary large onClick={() => onLeave({ signedOut: false, logoutReached: true })}>
            {i18n.t('Back to the sign-in page')}
        </Button>
    )

    if (record.isPending) {
        return (
            <div className="anc-card anc-loading" role="status" aria-live="polite">
                <CircularLoader small />
                <p>{i18n.t('Opening your pregnancy record…')}</p>
            </div>
        )
    }
    if (record.isError) {
        const kind = record.error instanceof RecordFailure ? record.error.kind : 'server'
        if (kind === 'sessionExpired') {
            return (
                <div className="anc-card" role="alert">
                    <NoticeBox warning title={i18n.t('You have been signed out')}>
                        {i18n.t(
                            'For your privacy, your session ends after a while without activity. Sign in again with your national ID to see your record.'
                        )}
                    </NoticeBox>
                    <div className="anc-actions">
                        <Button
                            primary
                            large
                            onClick={signIn.start}
                            loading={signIn.busy}
                            disabled={signIn.busy || signIn.preparing}
                        >
                            {i18n.t('Sign in again with National ID')}
                        </Button>
                        {back}
                    </div>
                    {signIn.failure ? (
                        <NoticeBox error title={i18n.t('Could not sign in')}>
                            {signIn.failure.message}
                        </NoticeBox>
                    ) : null}
                </div>
            )
        }
        if (kind === 'noLinkedRecord')
            return <NoLinkedRecord onSignOut={signOut} signingOut={signingOut} />
        return (
            <div className="anc-card" role="alert">
                <NoticeBox error title={i18n.t('Your record could not be opened')}>
                    {kind === 'unreachable'
                        ? i18n.t(
                              'The record service cannot be reached right now. Check your connection and try again in a few minutes.'
                          )
                        : i18n.t('Something went wrong on our side. Please try again later.')}
                </NoticeBox>
                <div className="anc-actions">
                    <Button primary large onClick={() => void record.refetch()}>
                        {i18n.t('Try again')}
                    </Button>
                    {back}
                </div>
            </div>
        )
    }
    return (
        <RecordView
            record={record.data}
            today={today}
            onSignOut={() => void signOut()}
            signingOut={signingOut}
            {...(download ? { download } : {})}
        />
    )
}

// The default export is what LoginPage loads lazily (React.lazy).
export default Portal
