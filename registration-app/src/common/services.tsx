import { clinicToday } from '@anc/shared/anc'
import {
    type EsignetPublicConfig,
    exchangeStaffCode,
    relayUnreachable,
    type StaffSigninOutcome,
} from '@anc/shared/esignet'
import type * as SigninModuleType from '@anc/shared/esignet/signin'
import type { AncFhirClient } from '@anc/shared/fhir/client'
import { FhirOutbox, type Engine } from '@anc/shared/tracker'
import { useTrackerEngine } from '@anc/shared/tracker/react'
import { useConfig } from '@dhis2/app-runtime'
import type { Bundle } from '@medplum/fhirtypes'
import React, {
    createContext,
    useContext,
    useEffect,
    useMemo,
    useState,
    type ReactNode,
} from 'react'

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
    /** Loads what saving needs (the FHIR client) while she fills the form. */
    preloadForSave: () => void
    today: () => string
    now: () => Date
    outbox: FhirOutbox<Bundle>
}

const ServicesContext = createContext<Services | null>(null)

/*
 * The eSignet client (oidc-client-ts) and the FHIR client (fhirclient) are not needed for the
 * first screen: they load after it, keeping the initial JavaScript small. The sign-in module is
 * loaded together with the relay config (useRelayConfig), before "Verify" can be pressed, so the
 * popup still opens synchronously inside the click.
 */
type SigninModule = typeof SigninModuleType
let signinModule: SigninModule | undefined

export async function loadSignin(): Promise<SigninModule> {
    signinModule ??= await import('@anc/shared/esignet/signin')
    return signinModule
}

/** Runs `task` once the browser is idle after the first screen; returns a cancel function. */
export function whenIdle(task: () => void, timeoutMs = 2000): () => void {
    if (typeof window.requestIdleCallback === 'function') {
        const handle = window.requestIdleCallback(task, { timeout: timeoutMs })
        return () => window.cancelIdleCallback(handle)
    }
    const timer = setTimeout(task, timeoutMs)
    return () => clearTimeout(timer)
}

/** Whether the sign-in module is loaded: now (register page) or once idle (other pages). */
export function useSigninReady(when: 'now' | 'idle'): boolean {
    const [ready, setReady] = useState(Boolean(signinModule))
    useEffect(() => {
        if (ready) return undefined
        let active = true
        const start = () =>
            void loadSignin().then(
                () => active && setReady(true),
                () => undefined
            )
        let cancel: (() => void) | undefined
        if (when === 'now') start()
        else cancel = whenIdle(start)
        return () => {
            active = false
            cancel?.()
        }
    }, [ready, when])
    return ready
}

let fhirClient: Promise<AncFhirClient> | undefined

function fhirClientFor(baseUrl: string): Promise<AncFhirClient> {
    fhirClient ??= import('@anc/shared/fhir/client').then(
        ({ AncFhirClient }) => new AncFhirClient({ dhis2BaseUrl: baseUrl })
    )
    return fhirClient
}

function callbackUrl(): string {
    const url = new URL('esignet-callback.html', window.location.href)
    url.search = ''
    url.hash = ''
    return url.href
}

/** The real "Verify with National ID": eSignet popup, code redeemed by the relay through the route. */
export function makeVerifyIdentity(engine: Engine): Services['verifyIdentity'] {
    return (config, language) => {
        if (!signinModule) return Promise.resolve(relayUnreachable())
        return signinModule.signInWithEsignet({
            config,
            redirectUri: callbackUrl(),
            language,
            whenPopupBlocked: 'report',
            exchange: (request, signal) => exchangeStaffCode(engine, request, signal),
        })
    }
}

export function makeCompleteRedirect(engine: Engine): Services['completeVerifyInThisWindow'] {
    return async () =>
        (await loadSignin()).completeRedirectSignin({
            exchange: (request, signal) => exchangeStaffCode(engine, request, signal),
        })
}

export const RealServicesProvider = ({ children }: { children: ReactNode }) => {
    const { baseUrl } = useConfig()
    const engine = useTrackerEngine()
    const services = useMemo<Services>(() => {
        return {
            pushFhir: async (bundle) => (await fhirClientFor(baseUrl)).transaction(bundle),
            preloadForSave: () => void fhirClientFor(baseUrl).catch(() => undefined),
            verifyIdentity: makeVerifyIdentity(engine),
            verifyInThisWindow: async (config, language) =>
                (await loadSignin()).startRedirectSignin({
                    config,
                    redirectUri: callbackUrl(),
                    language,
                }),
            completeVerifyInThisWindow: makeCompleteRedirect(engine),
            today: () => clinicToday(),
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
