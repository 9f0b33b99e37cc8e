import type { ClaimToRequest } from './claims-request'
import {
    CALLBACK_CHANNEL,
    REDIRECT_RESULT_KEY,
    REDIRECT_RETURN_KEY,
    isCallbackMessage,
    type CallbackMessage,
} from './callback'
import type { EsignetPublicConfig } from './config'
import { mapEsignetError } from './errors'
import { cancelled, popupBlocked, timedOut, type SigninFailure } from './outcomes'
import type { ExchangeRequest } from './relay-client'
import { consumePendingSignin, createAuthorizeRequest, discardPendingSignin } from './request'

/** The relay call: staff route or patient session. */
export type Exchange<T> = (request: ExchangeRequest, signal?: AbortSignal) => Promise<T>

export interface SigninOptions<T> {
    config: EsignetPublicConfig
    /** The app's esignet-callback.html (same origin as the app). */
    redirectUri: string
    /** The user's UI language; becomes `ui_locales`. */
    language: string
    /** Requested claims from the mapping config; defaults to the relay's claims request. */
    claims?: readonly ClaimToRequest[]
    exchange: Exchange<T>
    /**
     * When the browser blocks the popup: `report` resolves `popupBlocked` (the app can offer
     * "continue in this window"); `redirect` leaves the page for eSignet at once.
     */
    whenPopupBlocked?: 'report' | 'redirect'
    /** Where the redirect fallback comes back to; defaults to the top window's address. */
    returnUrl?: string
    /** eSignet codes live 600 s; an abandoned popup is given up after this. */
    timeoutMs?: number
    signal?: AbortSignal
    /** The app's window (tests pass their own). */
    win?: Window
    storage?: Storage
}

export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000
const CLOSED_POLL_MS = 400
const POPUP_NAME = 'anc-esignet'

/**
 * DHIS2 2.42+ runs apps in an iframe: eSignet must open from the top window (or a popup of
 * it). window.top is usable only when it is same-origin; otherwise the app's own window is.
 */
export function hostWindowOf(win: Window): Window {
    try {
        const top = win.top
        if (top && top !== win && top.location.origin === win.location.origin) return top
    } catch {
        // Cross-origin top: reading its location throws.
    }
    return win
}

function popupFeatures(host: Window): string {
    const width = 520
    const height = 760
    const left = Math.max(0, (host.screenX ?? 0) + ((host.outerWidth ?? width) - width) / 2)
    const top = Math.max(0, (host.screenY ?? 0) + ((host.outerHeight ?? height) - height) / 2)
    return `popup=yes,width=${width},height=${height},left=${Math.round(left)},top=${Math.round(top)}`
}

function safeClose(popup: Window | null): void {
    try {
        if (popup && !popup.closed) popup.close()
    } catch {
        // A window we cannot close is the user's to close.
    }
}

/** Turns a checked callback message into the outcome, redeeming the code at the relay. */
async function completeFromMessage<T>(
    message: CallbackMessage,
    storage: Storage,
    exchange: Exchange<T>,
    signal?: AbortSignal
): Promise<T | SigninFailure> {
    if (message.ambiguous || !message.state) {
        if (message.state) await discardPendingSignin(message.state, storage)
        return mapEsignetError('invalid_state')
    }
    const pending = await consumePendingSignin(message.state, storage)
    if (!pending) return mapEsignetError('invalid_state')
    // RFC 9207 (eSignet 1.7+): an answer naming another issuer comes from another server than
    // the one this sign-in went to (mix-up): never redeem it. Up to 1.6 there is no `iss`.
    if (message.iss != null && message.iss !== pending.issuer) {
        return mapEsignetError('invalid_issuer')
    }
    if (message.error) return mapEsignetError(message.error)
    if (!message.code) return mapEsignetError('invalid_response')
    const { issuer: _issuer, ...request } = pending
    return exchange({ code: message.code, ...request }, signal)
}

/**
 * Starts the sign-in. Call it synchronously from the click handler: the popup is opened before
 * the first `await`, so popup blockers see the user's gesture.
 */
export function signInWithEsignet<T>(options: SigninOptions<T>): Promise<T | SigninFailure> {
    const win = options.win ?? window
    const storage = options.storage ?? win.sessionStorage
    const host = hostWindowOf(win)
    const origin = win.location.origin
    if (new URL(options.redirectUri, origin).origin !== origin) {
        // The callback page can only post to its own origin; a foreign one would never answer.
        return Promise.resolve(mapEsignetError('invalid_redirect_uri'))
    }
    storage.removeItem(REDIRECT_RETURN_KEY)

    let popup: Window | null = null
    try {
        popup = host.open('about:blank', POPUP_NAME, popupFeatures(host))
    } catch {
        popup = null
    }
    if (!popup || popup.closed) {
        if (options.whenPopupBlocked === 'redirect') {
            return startRedirectSignin(options).then(() => popupBlocked())
        }
        return Promise.resolve(popupBlocked())
    }
    return runPopup(options, popup, host, storage, origin)
}

function runPopup<T>(
    options: SigninOptions<T>,
    popup: Window,
    host: Window,
    storage: Storage,
    origin: string
): Promise<T | SigninFailure> {
    return new Promise<T | SigninFailure>((resolve) => {
        let state: string | null = null
        let settled = false
        let closedPolls = 0
        const early: CallbackMessage[] = []
        const channel =
            typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CALLBACK_CHANNEL)

        const stop = () => {
            settled = true
            host.removeEventListener('message', onMessage)
            channel?.close()
            clearInterval(poll)
            clearTimeout(timer)
            options.signal?.removeEventListener('abort', onAbort)
            safeClose(popup)
        }
        const give = (outcome: Promise<T | SigninFailure> | T | SigninFailure) => {
            Promise.resolve(outcome).then(resolve, () => resolve(mapEsignetError('client_error')))
        }
        const giveUp = (failure: SigninFailure) => {
            if (settled) return
            stop()
            give(state ? discardPendingSignin(state, storage).then(() => failure) : failure)
        }
        const accept = (message: CallbackMessage, fromOurPopup: boolean) => {
            if (settled) return
            if (state === null) {
                // The request is still being built; a real answer cannot exist yet.
                if (fromOurPopup) early.push(message)
                return
            }
            if (message.state !== state || message.ambiguous) {
                // Another tab's flow may answer on the shared channel: ignore those. From our
                // own popup, a wrong state is a forged or replayed answer: stop.
                if (fromOurPopup) giveUp(mapEsignetError('invalid_state'))
                return
            }
            stop()
            give(completeFromMessage(message, storage, options.exchange, options.signal))
        }
        function onMessage(event: MessageEvent) {
            if (event.origin !== origin) return
            if (event.source !== popup) return
            if (!isCallbackMessage(event.data)) return
            accept(event.data, true)
        }
        function onAbort() {
            giveUp(cancelled())
        }

        host.addEventListener('message', onMessage)
        if (channel) {
            channel.onmessage = (event: MessageEvent) => {
                if (isCallbackMessage(event.data)) accept(event.data, false)
            }
        }
        const poll = setInterval(() => {
            // Two polls in a row, so an answer posted just before closing still wins.
            closedPolls = popup.closed ? closedPolls + 1 : 0
            if (closedPolls >= 2) giveUp(cancelled())
        }, CLOSED_POLL_MS)
        const timer = setTimeout(() => giveUp(timedOut()), options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
        options.signal?.addEventListener('abort', onAbort)
        if (options.signal?.aborted) onAbort()

        createAuthorizeRequest({
            config: options.config,
            redirectUri: options.redirectUri,
            language: options.language,
            display: 'popup',
            storage,
            ...(options.claims ? { claims: options.claims } : {}),
        }).then(
            (request) => {
                if (settled) {
                    void discardPendingSignin(request.state, storage)
                    return
                }
                state = request.state
                popup.location.replace(request.url)
                for (const message of early.splice(0)) accept(message, true)
            },
            () => giveUp(mapEsignetError('client_error'))
        )
    })
}

/**
 * The fallback when no popup can open: the top window goes to eSignet and the callback page
 * brings the answer back to `returnUrl`, where `completeRedirectSignin` finishes.
 */
export async function startRedirectSignin(
    options: Omit<SigninOptions<unknown>, 'exchange'>
): Promise<void> {
    const win = options.win ?? window
    const host = hostWindowOf(win)
    const storage = options.storage ?? win.sessionStorage
    const request = await createAuthorizeRequest({
        config: options.config,
        redirectUri: options.redirectUri,
        language: options.language,
        display: 'page',
        storage,
        ...(options.claims ? { claims: options.claims } : {}),
    })
    storage.setItem(REDIRECT_RETURN_KEY, options.returnUrl ?? host.location.href)
    host.location.assign(request.url)
}

/**
 * On app start: finishes a sign-in that went through the redirect fallback. Resolves null when
 * there is none. The stored answer is removed first, so it is used at most once.
 */
export async function completeRedirectSignin<T>(options: {
    exchange: Exchange<T>
    storage?: Storage
    signal?: AbortSignal
}): Promise<T | SigninFailure | null> {
    const storage = options.storage ?? window.sessionStorage
    const raw = storage.getItem(REDIRECT_RESULT_KEY)
    if (raw === null) return null
    storage.removeItem(REDIRECT_RESULT_KEY)
    let message: unknown
    try {
        message = JSON.parse(raw)
    } catch {
        return mapEsignetError('invalid_response')
    }
    if (!isCallbackMessage(message)) return mapEsignetError('invalid_response')
    return completeFromMessage(message, storage, options.exchange, options.signal)
}
