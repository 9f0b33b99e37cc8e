import { parseCallbackUrl } from './callback-params'

/**
 * The script of the apps' static `esignet-callback.html` (the registered redirect_uri). It
 * never sees the code verifier and never talks to the relay: it only hands eSignet's answer
 * back to the window that started the sign-in, on this origin only.
 */

export const CALLBACK_MESSAGE_TYPE = 'anc-esignet-callback'
/** Set by the redirect fallback before leaving the app: where the callback page returns to. */
export const REDIRECT_RETURN_KEY = 'anc.esignet.redirect-return'
/** Where the callback page leaves the result for the app when there is no opener. */
export const REDIRECT_RESULT_KEY = 'anc.esignet.redirect-result'
/** Used only when the opener link was cut (e.g. by a Cross-Origin-Opener-Policy). */
export const CALLBACK_CHANNEL = 'anc-esignet-callback'

export interface CallbackMessage {
    type: typeof CALLBACK_MESSAGE_TYPE
    state: string | null
    code: string | null
    error: string | null
    error_description: string | null
    iss: string | null
    ambiguous: boolean
}

export type CallbackDelivery = 'posted' | 'redirected' | 'broadcast' | 'nowhere'

function sameOriginUrl(candidate: string | null, origin: string): string | null {
    if (!candidate) return null
    try {
        const url = new URL(candidate, origin)
        return url.origin === origin ? url.href : null
    } catch {
        return null
    }
}

export function runEsignetCallback(win: Window = window): CallbackDelivery {
    const message: CallbackMessage = {
        type: CALLBACK_MESSAGE_TYPE,
        ...parseCallbackUrl(win.location.href),
    }
    const origin = win.location.origin
    // Keep the one-time code out of the history and out of any Referer.
    try {
        win.history.replaceState(null, '', win.location.pathname)
    } catch {
        // Not fatal: the code is single use and bound to the PKCE verifier anyway.
    }

    const opener = win.opener as Window | null
    if (opener && !opener.closed) {
        // The target origin makes the browser drop the message unless the opener is ours.
        opener.postMessage(message, origin)
        win.close()
        return 'posted'
    }

    const storage = win.sessionStorage
    const returnUrl = sameOriginUrl(storage.getItem(REDIRECT_RETURN_KEY), origin)
    if (returnUrl) {
        storage.removeItem(REDIRECT_RETURN_KEY)
        storage.setItem(REDIRECT_RESULT_KEY, JSON.stringify(message))
        win.location.replace(returnUrl)
        return 'redirected'
    }

    if (typeof BroadcastChannel !== 'undefined') {
        // Same-origin by construction; the app still checks the state.
        const channel = new BroadcastChannel(CALLBACK_CHANNEL)
        channel.postMessage(message)
        channel.close()
        win.close()
        return 'broadcast'
    }
    return 'nowhere'
}

/** Type guard for messages arriving at the app; anything else on the channel is ignored. */
export function isCallbackMessage(data: unknown): data is CallbackMessage {
    if (typeof data !== 'object' || data === null) return false
    const candidate = data as Record<string, unknown>
    const optionalString = (value: unknown) => value === null || typeof value === 'string'
    return (
        candidate.type === CALLBACK_MESSAGE_TYPE &&
        optionalString(candidate.state) &&
        optionalString(candidate.code) &&
        optionalString(candidate.error) &&
        optionalString(candidate.error_description) &&
        // Absent in messages from a callback page built before `iss` was read.
        (candidate.iss === undefined || optionalString(candidate.iss)) &&
        typeof candidate.ambiguous === 'boolean'
    )
}
