import { AppRoot } from '@anc/shared/app'
import { AncConfigProvider } from '@anc/shared/config/react'
import { useLanguage } from '@anc/shared/i18n'
import { useFhirOutbox } from '@anc/shared/tracker/react'
import { PendingSyncIndicator } from '@anc/shared/ui'
import { useDataQuery } from '@dhis2/app-runtime'
import i18n from '@dhis2/d2-i18n'
import { CircularLoader } from '@dhis2/ui'
import type { Bundle } from '@medplum/fhirtypes'
import React, { lazy, Suspense, useState } from 'react'
import { DoctorProvider, useDoctor } from './common/context'
import { navigate, useRoute } from './common/routes'
import { FindPage } from './find/FindPage'
import { readRecent, rememberRecent } from './find/recent'
// English bundled; Sinhala and Tamil load when the user's language needs them.
import './translations'

/** The doctor never maps eSignet claims: only the FHIR mapping and the PHN format apply here. */
const DOCTOR_CONFIG_PARTS = ['fhir', 'phn'] as const

/** The record page (FHIR mapping, charts, visit form) loads when a record is opened. */
const RecordPage = lazy(() =>
    import('./record/RecordPage').then((m) => ({ default: m.RecordPage }))
)

const ME_QUERY = { me: { resource: 'me', params: { fields: 'id' } } }

const OutboxStatus = () => {
    const { fhir } = useDoctor()
    const outbox = useFhirOutbox<Bundle>((bundle) => fhir.transaction(bundle))
    return (
        <PendingSyncIndicator
            count={outbox.count}
            retrying={outbox.retrying}
            onRetry={outbox.retryNow}
        />
    )
}

/** The pages, without providers (tests wrap them in their own). */
export const DoctorPages = () => {
    useLanguage()
    const { data } = useDataQuery<{ me: { id: string } }>(ME_QUERY)
    const userId = data?.me.id ?? 'unknown'
    const route = useRoute()
    const [recent, setRecent] = useState(() => readRecent(userId))
    const [recentFor, setRecentFor] = useState(userId)
    if (recentFor !== userId) {
        setRecentFor(userId)
        setRecent(readRecent(userId))
    }
    return (
        <main className="doctor-app">
            <header className="doctor-app__header">
                <h1>{i18n.t('ANC Doctor')}</h1>
                <OutboxStatus />
            </header>
            {/* The operator's settings (PHN format, FHIR mapping) before any page. */}
            <AncConfigProvider parts={DOCTOR_CONFIG_PARTS}>
                {route.page === 'patient' ? (
                    <Suspense
                        fallback={
                            <div role="status" className="doctor-app__loading">
                                <CircularLoader aria-label={i18n.t('Opening the record')} />
                            </div>
                        }
                    >
                        <RecordPage
                            key={route.phn}
                            phn={route.phn}
                            onBack={() => navigate({ page: 'find' })}
                            onOpened={(opened) =>
                                setRecent(
                                    rememberRecent(userId, {
                                        phn: opened.phn,
                                        name: opened.record.patient?.name ?? opened.phn,
                                    })
                                )
                            }
                        />
                    </Suspense>
                ) : (
                    <FindPage
                        recent={recent}
                        userId={userId}
                        onRecentCleared={() => setRecent([])}
                        onOpen={(phn) => navigate({ page: 'patient', phn })}
                    />
                )}
            </AncConfigProvider>
            <style>{`
                .doctor-app__header { display: flex; justify-content: space-between; align-items: center; padding: 8px 16px; border-bottom: 1px solid #d5dde5; }
                .doctor-app__header h1 { font-size: 20px; margin: 0; }
                .doctor-app__loading { display: flex; justify-content: center; padding: 48px; }
            `}</style>
        </main>
    )
}

/** ANC Doctor: find a patient by PHN, see her whole record from FHIR, record the visit. */
const App = () => (
    <AppRoot queries={{ retry: false }}>
        <DoctorProvider>
            <DoctorPages />
        </DoctorProvider>
    </AppRoot>
)

export default App
