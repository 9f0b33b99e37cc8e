import {
    AncFhirClient,
    completeRedirectSignin,
    FhirOutbox,
    exchangeStaffCode,
    signInWithEsignet,
    startRedirectSignin,
    todayIn,
    useTrackerEngine,
    type Engine,
    type EsignetPublicConfig,
    type StaffSigninOutcome,
} from '@anc/shared'
import { useConfig } from '@dhis2/app-runtime'
import type { Bundle } from '@medplum/fhirtypes'
import React, { createContext, useContext, useMemo, type ReactNode } from 'react'
import { CLINIC_TIME_ZONE } from './registration/config'

/**
 * What the pages need from the outside world besides DHIS2's data engine: the FHIR push, the
 * eSignet sign-in and the clock. Tests pass their own; the app uses the real ones.
 */
export interface Services {
    pushFhir: (bundle: Bundle) => Promise<unknown>
    /** Must open the popup synchronously: call it straight from a click handler. */
    verifyIdentity: (config: EsignetPublicConfig, language: string) => Promise<StaffSigninOutcome>
    /** Leaves the page for eSignet (when the popup is blocked); comes back to the same hash. */
    verifyInThisWindow: (config: EsignetPublicConfig, language: string) => Promise<void>
    /** After coming back from "continue in this window": the outcome, once; null otherwise. */
    completeVerifyInThisWindow: () => Promise<StaffSigninOutcome | null>
    today: () => string
    now: () => Date
    outbox: FhirOutbox<Bundle>
}

const ServicesContext = createContext<Services | null>(null)

function callbackUrl(): string {
    const url = new URL('esignet-callback.html', window.location.href)
    url.search = ''
    url.hash = ''
    return url.href
}

/** The real "Verify with National ID": eSignet popup, code redeemed by the relay through the route. */
export function makeVerifyIdentity(engine: Engine): Services['verifyIdentity'] {
    return (config, language) =>
        signInWithEsignet({
            config,
            redirectUri: callbackUrl(),
            language,
            whenPopupBlocked: 'report',
            exchange: (request, signal) => exchangeStaffCode(engine, request, signal),
        })
}

export function makeCompleteRedirect(engine: Engine): Services['completeVerifyInThisWindow'] {
    return () =>
        completeRedirectSignin({
            exchange: (request, signal) => exchangeStaffCode(engine, request, signal),
        })
}

export const RealServicesProvider = ({ children }: { children: ReactNode }) => {
    const { baseUrl } = useConfig()
    const engine = useTrackerEngine()
    const services = useMemo<Services>(() => {
        const fhir = new AncFhirClient({ dhis2BaseUrl: baseUrl })
        return {
            pushFhir: (bundle) => fhir.transaction(bundle),
            verifyIdentity: makeVerifyIdentity(engine),
            verifyInThisWindow: (config, language) =>
                startRedirectSignin({ config, redirectUri: callbackUrl(), language }),
            completeVerifyInThisWindow: makeCompleteRedirect(engine),
            today: () => todayIn(CLINIC_TIME_ZONE),
            now: () => new Date(),
            outbox: new FhirOutbox<Bundle>(engine),
        }
    }, [baseUrl, engine])
    return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>
}

export const ServicesProvider = ServicesContext.Provider

export function useServices(): Services {
    const services = useContext(ServicesContext)
    if (!services) throw new Error('useServices needs a ServicesProvider')
    return services
}
