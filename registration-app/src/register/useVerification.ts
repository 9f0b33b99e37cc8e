import {
    isFailure,
    relayUnreachable,
    type SigninFailure,
    type StaffSigninOutcome,
    type VerifiedIdentity,
} from '@anc/shared/esignet'
import { useLanguage } from '@anc/shared/i18n'
import { useEffect, useRef, useState } from 'react'
import { useRelayConfig } from '../common/queries'
import { useServices, useSigninReady } from '../common/services'
import { takeVerifiedIdentity } from './verified-handoff'

export type VerifyState =
    | { kind: 'idle' }
    | { kind: 'verifying' }
    | { kind: 'failed'; failure: SigninFailure }
    | { kind: 'manual' }

export interface NationalIdVerification {
    state: VerifyState
    /** The relay config is still loading, or failed (then the button explains why). */
    available: 'loading' | 'ready' | 'unavailable'
    /** Must run inside the click: the popup opens before the first await. */
    verify: () => void
    verifyInThisWindow: () => void
    registerManually: () => void
    reset: () => void
}

/**
 * "Verify with National ID" on the form: the eSignet popup (or this window when the popup is
 * blocked), and the identity verified a moment ago while searching or on coming back from
 * "continue in this window", each used once. `onVerified` fills the form.
 */
export function useVerification(
    onVerified: (identity: VerifiedIdentity) => void
): NationalIdVerification {
    const services = useServices()
    const [language] = useLanguage()
    const relayConfig = useRelayConfig()
    const signinReady = useSigninReady('now')
    const [state, setState] = useState<VerifyState>({ kind: 'idle' })
    const onVerifiedRef = useRef(onVerified)
    onVerifiedRef.current = onVerified

    const apply = (outcome: StaffSigninOutcome) => {
        if (isFailure(outcome)) {
            setState({ kind: 'failed', failure: outcome })
            return
        }
        if (outcome.kind !== 'verified') return
        onVerifiedRef.current(outcome)
        setState({ kind: 'idle' })
    }

    const checked = useRef(false)
    useEffect(() => {
        if (checked.current) return
        checked.current = true
        const handed = takeVerifiedIdentity(services.now())
        if (handed) {
            apply(handed)
            return
        }
        services.completeVerifyInThisWindow().then(
            (outcome) => {
                if (outcome) apply(outcome)
            },
            () => undefined
        )
        // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on opening the form
    }, [])

    return {
        state,
        available: relayConfig.isError
            ? 'unavailable'
            : relayConfig.isSuccess && signinReady
              ? 'ready'
              : 'loading',
        verify: () => {
            if (!relayConfig.data) return
            setState({ kind: 'verifying' })
            services
                .verifyIdentity(relayConfig.data, language)
                .then(apply)
                .catch(() => setState({ kind: 'failed', failure: relayUnreachable() }))
        },
        verifyInThisWindow: () => {
            if (relayConfig.data) void services.verifyInThisWindow(relayConfig.data, language)
        },
        registerManually: () => setState({ kind: 'manual' }),
        reset: () => setState({ kind: 'idle' }),
    }
}
