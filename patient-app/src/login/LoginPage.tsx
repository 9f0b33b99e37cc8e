import type { PatientSigninOutcome } from '@anc/shared/esignet'
import { useLanguage } from '@anc/shared/i18n'
import { LanguageSwitch } from '@anc/shared/ui'
import { useConfig } from '@dhis2/app-runtime'
import i18n from '@dhis2/d2-i18n'
import { Button, CircularLoader, NoticeBox } from '@dhis2/ui'
import { useQueryClient } from '@tanstack/react-query'
import React, { lazy, Suspense, useEffect, useState } from 'react'
import { NoLinkedRecord } from '../portal/NoLinkedRecord'
import { endPatientSession, RECORD_QUERY_KEY } from '../portal/relay-api'
import { usePatientSignIn, type PatientSignIn } from '../portal/usePatientSignIn'
import { dhis2Url, useLoginConfig } from '../staff/login-config'
import { StaffSignIn } from '../staff/StaffSignIn'
import { pageStyles } from '../common/styles'

// The record view (FHIR mapping, calendar) is loaded only by those who open a record: staff
// sign-in stays light. Started early, on the patient's click, so it is there with the session.
const loadPortal = () => import('../portal/Portal')
const Portal = lazy(loadPortal)

/** Set while this tab has a patient session, so a reload reopens her record. */
export const PORTAL_FLAG = 'anc.patient-portal'
const LANGUAGE_KEY = 'anc.login-language'

type View =
    | { name: 'home'; notice?: 'signedOut' | 'logoutUnreached' }
    | { name: 'portal' }
    | { name: 'noLinkedRecord' }

function initialView(): View {
    return sessionStorage.getItem(PORTAL_FLAG) === '1' ? { name: 'portal' } : { name: 'home' }
}

const PatientCard = ({ signIn, notice }: { signIn: PatientSignIn; notice?: string }) => (
    <section className="anc-card anc-card--patient" aria-labelledby="patient-title">
        <h2 id="patient-title">{i18n.t('For mothers')}</h2>
        <p>
            {i18n.t(
                'See your visits, test results and next appointments. You need your national ID and the phone registered with it.'
            )}
        </p>
        {notice ? (
            <div role="status" className="anc-gap">
                <NoticeBox title={notice}>{null}</NoticeBox>
            </div>
        ) : null}
        <Button
            primary
            large
            onClick={() => {
                signIn.start()
                void loadPortal()
            }}
            loading={signIn.busy}
            disabled={signIn.busy || signIn.preparing || signIn.configError}
        >
            {i18n.t('My pregnancy record: sign in with National ID')}
        </Button>
        {signIn.configError ? (
            <div role="alert" className="anc-gap">
                <NoticeBox error title={i18n.t('National ID sign-in is not available')}>
                    {i18n.t(
                        'The national ID service cannot be reached right now. Please try again later.'
                    )}
                </NoticeBox>
            </div>
        ) : null}
        {signIn.failure ? (
            <div role="alert" className="anc-gap">
                <NoticeBox error title={i18n.t('Could not sign in')}>
                    <p>{signIn.failure.message}</p>
                    {signIn.failure.kind === 'popupBlocked' ? (
                        <Button large onClick={signIn.continueInThisWindow}>
                            {i18n.t('Continue in this window')}
                        </Button>
                    ) : null}
                </NoticeBox>
            </div>
        ) : null}
    </section>
)

export interface LoginPageProps {
    today?: string
    download?: (text: string, fileName: string) => void
}

/** The DHIS2 login page: the patient's way in, staff sign-in, and the patient's record. */
export const LoginPage = ({ today, download }: LoginPageProps) => {
    const [language, setLanguage] = useLanguage()
    const { baseUrl } = useConfig()
    const { loading, config } = useLoginConfig()
    const queryClient = useQueryClient()
    const [view, setView] = useState<View>(initialView)

    useEffect(() => {
        const saved = localStorage.getItem(LANGUAGE_KEY)
        if (saved) setLanguage(saved as typeof language)
    }, [setLanguage])
    useEffect(() => {
        document.documentElement.lang = language
    }, [language])
    const chooseLanguage = (next: typeof language) => {
        localStorage.setItem(LANGUAGE_KEY, next)
        setLanguage(next)
    }

    const onPatientOutcome = (outcome: PatientSigninOutcome) => {
        if (outcome.kind === 'sessionStarted') {
            sessionStorage.setItem(PORTAL_FLAG, '1')
            // A fresh session: never show a record fetched under an earlier one.
            queryClient.removeQueries({ queryKey: RECORD_QUERY_KEY })
            setView({ name: 'portal' })
        } else if (outcome.kind === 'noLinkedRecord') {
            setView({ name: 'noLinkedRecord' })
        }
    }
    const signIn = usePatientSignIn(onPatientOutcome)
    const leavePortal = ({
        signedOut,
        logoutReached,
    }: {
        signedOut: boolean
        logoutReached: boolean
    }) => {
        sessionStorage.removeItem(PORTAL_FLAG)
        setView({
            name: 'home',
            ...(signedOut ? { notice: logoutReached ? 'signedOut' : 'logoutUnreached' } : {}),
        })
    }

    const title = config.applicationTitle || i18n.t('DHIS2')
    const logo =
        config.useCustomLogoFront && config.loginPageLogo
            ? dhis2Url(config.loginPageLogo, baseUrl, window.location.href)
            : undefined
    const notice =
        view.name === 'home' && view.notice === 'signedOut'
            ? i18n.t('You are signed out.')
            : view.name === 'home' && view.notice === 'logoutUnreached'
              ? i18n.t(
                    'We could not reach the server to end your session. Close this browser window to be safe.'
                )
              : undefined

    return (
        <div className="anc-login">
            <style>{pageStyles}</style>
            <header className="anc-login__header">
                <div className="anc-login__brand">
                    {logo ? <img src={logo} alt="" className="anc-login__logo" /> : null}
                    <div>
                        <h1>{title}</h1>
                        {config.applicationDescription ? (
                            <p className="anc-muted">{config.applicationDescription}</p>
                        ) : null}
                    </div>
                </div>
                <div className="anc-login__language">
                    <LanguageSwitch value={language} onChange={chooseLanguage} />
                </div>
            </header>
            <main className="anc-login__main">
                {config.applicationNotification ? (
                    <div className="anc-gap">
                        <NoticeBox>{config.applicationNotification}</NoticeBox>
                    </div>
                ) : null}
                {loading ? (
                    <div role="status" className="anc-loading">
                        <CircularLoader small />
                    </div>
                ) : view.name === 'portal' ? (
                    <Suspense
                        fallback={
                            <div role="status" className="anc-loading">
                                <CircularLoader small />
                            </div>
                        }
                    >
                        <Portal
                            signIn={signIn}
                            onLeave={leavePortal}
                            {...(today ? { today } : {})}
                            {...(download ? { download } : {})}
                        />
                    </Suspense>
                ) : view.name === 'noLinkedRecord' ? (
                    <NoLinkedRecord
                        signingOut={false}
                        onSignOut={() => {
                            // No session was opened; make sure none lingers from before.
                            void endPatientSession()
                            leavePortal({ signedOut: false, logoutReached: true })
                        }}
                    />
                ) : (
                    <div className="anc-login__cards">
                        <PatientCard signIn={signIn} {...(notice ? { notice } : {})} />
                        <StaffSignIn oidcProviders={config.oidcProviders ?? []} />
                    </div>
                )}
            </main>
            {config.applicationLeftSideFooter || config.applicationRightSideFooter ? (
                <footer className="anc-login__footer anc-muted">
                    <span>{config.applicationLeftSideFooter}</span>
                    <span>{config.applicationRightSideFooter}</span>
                </footer>
            ) : null}
        </div>
    )
}
