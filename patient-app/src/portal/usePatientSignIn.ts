import {
    fetchPatientRelayConfig,
    isFailure,
    startPatientSession,
    type EsignetPublicConfig,
    type PatientSigninOutcome,
} from '@anc/shared/esignet'
import {
    completeRedirectSignin,
    signInWithEsignet,
    startRedirectSignin,
} from '@anc/shared/esignet/signin'
import { useLanguage } from '@anc/shared/i18n'
import { useQuery } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState } from 'react'

/** The app's eSignet callback page, beside index.html, without query or hash (eSignet <= 1.6). */
export const callbackUrl = (pageUrl: string = window.location.href): string =>
    new URL('esignet-callback.html', pageUrl).href

export interface PatientSignIn {
    /** Relay config is still loading (the popup must open inside the click, so it is fetched first). */
    preparing: boolean
    configError: boolean
    busy: boolean
    /** Last failure (translated), or null. */
    failure: { kind: string; message: string } | null
    start: () => void
    /** After `popupBlocked`: the same sign-in in this window. */
    continueInThisWindow: () => void
}

/**
 * "Sign in with National ID" for the patient: shared/esignet's PKCE flow, then the relay opens
 * its HttpOnly session (`startPatientSession`). `onOutcome` hears sessionStarted and
 * noLinkedRecord; failures stay here for the sign-in card to show.
 */
export function usePatientSignIn(
    onOutcome: (outcome: PatientSigninOutcome) => void
): PatientSignIn {
    const [language] = useLanguage()
    const config = useQuery<EsignetPublicConfig>({
        queryKey: ['relay-config'],
        queryFn: ({ signal }) => fetchPatientRelayConfig({ signal }),
        staleTime: Infinity,
        retry: 1,
        retryDelay: 500,
    })
    const [busy, setBusy] = useState(false)
    const [failure, setFailure] = useState<PatientSignIn['failure']>(null)
    const onOutcomeRef = useRef(onOutcome)
    onOutcomeRef.current = onOutcome

    const settle = useCallback((outcome: PatientSigninOutcome) => {
        setBusy(false)
        if (isFailure(outcome)) {
            setFailure(outcome as { kind: string; message: string })
            return
        }
        setFailure(null)
        onOutcomeRef.current(outcome)
    }, [])

    // A sign-in that went through the redirect fallback comes back to this page.
    useEffect(() => {
        let active = true
        void completeRedirectSignin({ exchange: (request) => startPatientSession(request) }).then(
            (outcome) => {
                if (active && outcome) settle(outcome)
            }
        )
        return () => {
            active = false
        }
    }, [settle])

    const start = () => {
        if (!config.data || busy) return
        setBusy(true)
        setFailure(null)
        // Synchronous up to window.open inside signInWithEsignet: popup blockers allow it.
        void signInWithEsignet<PatientSigninOutcome>({
            config: config.data,
            redirectUri: callbackUrl(),
            language,
            exchange: (request, signal) => startPatientSession(request, { signal }),
            whenPopupBlocked: 'report',
        }).then(settle)
    }

    const continueInThisWindow = () => {
        if (!config.data) return
        setBusy(true)
        void startRedirectSignin({
            config: config.data,
            redirectUri: callbackUrl(),
            language,
            returnUrl: window.location.href,
        })
    }

    return {
        preparing: config.isPending,
        configError: config.isError,
        busy,
        failure,
        start,
        continueInThisWindow,
    }
}
