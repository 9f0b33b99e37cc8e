import { AppRoot } from '@anc/shared/app'
import { AncConfigProvider } from '@anc/shared/config/react'
import { useLanguage } from '@anc/shared/i18n'
import { useFhirOutbox } from '@anc/shared/tracker/react'
import { PendingSyncIndicator } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { CircularLoader } from '@dhis2/ui'
import React, { Suspense, lazy } from 'react'
// English bundled; Sinhala and Tamil load when the user's language needs them.
import './translations'
import { FindPage } from './find/FindPage'
import { hrefOf, useRoute } from './common/routes'
import { RealServicesProvider, useServices } from './common/services'

import { loadRecordPage, loadRegisterPage } from './common/lazy-pages'

const RegisterPage = lazy(() => loadRegisterPage().then((m) => ({ default: m.RegisterPage })))
const RecordPage = lazy(() => loadRecordPage().then((m) => ({ default: m.RecordPage })))

const PendingSync = () => {
    const { pushFhir } = useServices()
    const outbox = useFhirOutbox(pushFhir, { intervalMs: 60_000 })
    if (outbox.loading) return null
    return (
        <PendingSyncIndicator
            count={outbox.count}
            retrying={outbox.retrying}
            onRetry={() => void outbox.retryNow()}
        />
    )
}

/** The pages inside the providers; tests render this with their own services. */
export const RegistrationApp = () => {
    useLanguage()
    const route = useRoute()
    return (
        <div className="reg-app">
            <header className="reg-header">
                <h1>{i18n.t('ANC Registration')}</h1>
                <nav aria-label={i18n.t('Registration pages')}>
                    <a
                        href={hrefOf({ page: 'find' })}
                        aria-current={route.page === 'find' ? 'page' : undefined}
                    >
                        {i18n.t('Find')}
                    </a>
                    <a
                        href={hrefOf({ page: 'register' })}
                        aria-current={route.page === 'register' ? 'page' : undefined}
                    >
                        {i18n.t('Register')}
                    </a>
                </nav>
                <PendingSync />
            </header>
            <main>
                {/* The operator's settings (PHN format, claims and FHIR mappings) before any page. */}
                <AncConfigProvider>
                    <Suspense
                        fallback={
                            <div role="status" className="reg-searching">
                                <CircularLoader small /> {i18n.t('Loading…')}
                            </div>
                        }
                    >
                        {route.page === 'find' ? <FindPage /> : null}
                        {route.page === 'register' ? <RegisterPage /> : null}
                        {route.page === 'record' ? (
                            <RecordPage
                                key={route.trackedEntity}
                                trackedEntity={route.trackedEntity}
                            />
                        ) : null}
                    </Suspense>
                </AncConfigProvider>
            </main>
            <style>{`
                .reg-app { max-width: 1040px; margin: 0 auto; padding: 16px; }
                .reg-header { display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
                .reg-header h1 { font-size: 22px; margin: 0; }
                .reg-header nav { display: flex; gap: 16px; }
                .reg-header nav a[aria-current='page'] { font-weight: 600; }
                .reg-page { display: flex; flex-direction: column; gap: 16px; padding-top: 8px; }
                .reg-section { border-top: 1px solid #d5dde5; padding-top: 8px; }
                .reg-section h2, .reg-page h2 { font-size: 18px; margin: 8px 0; }
                .reg-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px 16px; margin: 12px 0; }
                .reg-inline, .reg-actions { display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }
                .reg-verify, .reg-verified, .reg-manual { display: flex; flex-direction: column; gap: 8px; align-items: flex-start; }
                .reg-hint { color: #4a5768; font-size: 14px; }
                .reg-summary { align-self: end; font-weight: 500; padding-bottom: 8px; }
                .reg-error { color: #b71c1c; }
                .reg-find { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 24px; }
                .reg-find form { display: flex; flex-direction: column; gap: 8px; align-items: flex-start; }
                .reg-searching { display: flex; gap: 8px; align-items: center; margin: 12px 0; }
                .reg-results, .reg-duplicates { padding-left: 20px; }
                .reg-results li, .reg-duplicates li { margin: 6px 0; }
                @media print { .reg-header, .reg-actions { display: none; } }
            `}</style>
        </div>
    )
}

/** Every query is tried twice; a midwife's window regaining focus does not refetch. */
export const REGISTRATION_QUERIES = { retry: 1, refetchOnWindowFocus: false }

/** ANC Registration: the midwife's registration journey. */
const App = () => (
    <AppRoot queries={REGISTRATION_QUERIES}>
        <RealServicesProvider>
            <RegistrationApp />
        </RealServicesProvider>
    </AppRoot>
)

export default App
