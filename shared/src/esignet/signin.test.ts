import { createHash } from 'node:crypto'
import { CALLBACK_MESSAGE_TYPE, REDIRECT_RESULT_KEY, REDIRECT_RETURN_KEY } from './callback'
import type { ExchangeRequest } from './relay-client'
import { STATE_STORE_PREFIX } from './request'
import { completeRedirectSignin, signInWithEsignet } from './signin'
import { CONFIG } from '../../test-support/relay-config'

const ORIGIN = window.location.origin
const REDIRECT_URI = `${ORIGIN}/api/apps/anc-registration/esignet-callback.html`
const VERIFIED = { kind: 'verified', sub: 'psut-1', claims: {}, acr: 'x', authTime: 1 } as const

/** A popup as the opener sees it: we record where it is sent and whether it was closed. */
function fakePopup() {
    const popup = {
        closed: false,
        url: '',
        location: {
            replace: (url: string) => {
                popup.url = url
            },
        },
        close: () => {
            popup.closed = true
        },
    }
    return popup
}

type Popup = ReturnType<typeof fakePopup>

async function whenNavigated(popup: Popup): Promise<URL> {
    for (let i = 0; i < 200 && !popup.url; i++) await new Promise((r) => setTimeout(r, 5))
    expect(popup.url).not.toBe('')
    return new URL(popup.url)
}

function answer(
    popup: Popup | null,
    fields: Partial<Record<'state' | 'code' | 'error' | 'iss', string>>,
    origin = ORIGIN
) {
    window.dispatchEvent(
        new MessageEvent('message', {
            origin,
            source: popup as never,
            data: {
                type: CALLBACK_MESSAGE_TYPE,
                state: fields.state ?? null,
                code: fields.code ?? null,
                error: fields.error ?? null,
                error_description: null,
                iss: fields.iss ?? null,
                ambiguous: false,
            },
        })
    )
}

function start(popup: Popup | null, overrides: Record<string, unknown> = {}) {
    jest.spyOn(window, 'open').mockReturnValue(popup as unknown as Window)
    const exchange = jest.fn(async (_request: ExchangeRequest) => VERIFIED)
    const outcome = signInWithEsignet({
        config: CONFIG,
        redirectUri: REDIRECT_URI,
        language: 'en',
        exchange,
        ...overrides,
    })
    return { outcome, exchange }
}

beforeEach(() => sessionStorage.clear())
afterEach(() => jest.restoreAllMocks())

describe('signInWithEsignet (popup)', () => {
    it('opens eSignet in a popup and gives the relay the code, verifier, redirect URI and nonce', async () => {
        const popup = fakePopup()
        const { outcome, exchange } = start(popup)
        expect(window.open).toHaveBeenCalledWith('about:blank', 'anc-esignet', expect.any(String))
        const url = await whenNavigated(popup)
        const state = url.searchParams.get('state') as string
        answer(popup, { state, code: 'auth-code-1' })

        await expect(outcome).resolves.toEqual(VERIFIED)
        expect(exchange).toHaveBeenCalledTimes(1)
        const sent = exchange.mock.calls[0]?.[0] as ExchangeRequest
        expect(sent.code).toBe('auth-code-1')
        expect(sent.redirectUri).toBe(REDIRECT_URI)
        expect(sent.nonce).toBe(url.searchParams.get('nonce'))
        const challenge = createHash('sha256').update(sent.codeVerifier).digest('base64url')
        expect(challenge).toBe(url.searchParams.get('code_challenge'))
        expect(popup.closed).toBe(true)
        // Single use: the pending state is gone.
        expect(sessionStorage.getItem(STATE_STORE_PREFIX + state)).toBeNull()
    })

    it('ignores messages from another origin or another window', async () => {
        const popup = fakePopup()
        const { outcome, exchange } = start(popup)
        const state = (await whenNavigated(popup)).searchParams.get('state') as string

        answer(popup, { state, code: 'forged-1' }, 'https://evil.example')
        answer(fakePopup(), { state, code: 'forged-2' })
        answer(null, { state, code: 'forged-3' })
        await new Promise((r) => setTimeout(r, 20))
        expect(exchange).not.toHaveBeenCalled()

        answer(popup, { state, code: 'real' })
        await expect(outcome).resolves.toEqual(VERIFIED)
        expect(exchange).toHaveBeenCalledTimes(1)
        expect(exchange.mock.calls[0]?.[0].code).toBe('real')
    })

    it('rejects an answer whose state does not match and never calls the relay', async () => {
        const popup = fakePopup()
        const { outcome, exchange } = start(popup)
        await whenNavigated(popup)
        answer(popup, { state: 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0', code: 'stolen' })
        await expect(outcome).resolves.toMatchObject({
            kind: 'esignetError',
            code: 'invalid_state',
        })
        expect(exchange).not.toHaveBeenCalled()
        expect(popup.closed).toBe(true)
    })

    it('reports a declined consent as such, without a relay call', async () => {
        const popup = fakePopup()
        const { outcome, exchange } = start(popup)
        const state = (await whenNavigated(popup)).searchParams.get('state') as string
        answer(popup, { state, error: 'consent_request_rejected' })
        const result = await outcome
        expect(result.kind).toBe('consentDeclined')
        expect(exchange).not.toHaveBeenCalled()
        expect(sessionStorage.getItem(STATE_STORE_PREFIX + state)).toBeNull()
    })

    // eSignet 1.7+ adds `iss` = its discovery issuer (oidc-ui Consent.js, mosip/esignet v1.7.1).
    it('redeems an answer naming the issuer it went to, and never one naming another', async () => {
        const popup = fakePopup()
        const good = start(popup)
        const state = (await whenNavigated(popup)).searchParams.get('state') as string
        answer(popup, { state, code: 'c1', iss: CONFIG.issuer as string })
        await expect(good.outcome).resolves.toEqual(VERIFIED)

        jest.restoreAllMocks()
        const popup2 = fakePopup()
        const mixedUp = start(popup2)
        const state2 = (await whenNavigated(popup2)).searchParams.get('state') as string
        answer(popup2, { state: state2, code: 'c2', iss: 'https://attacker.example' })
        await expect(mixedUp.outcome).resolves.toMatchObject({
            kind: 'esignetError',
            code: 'invalid_issuer',
        })
        expect(mixedUp.exchange).not.toHaveBeenCalled()
        expect(sessionStorage.getItem(STATE_STORE_PREFIX + state2)).toBeNull()
    })

    // Cancel on eSignet 1.6+'s claim details page (oidc-ui ClaimDetails.js:229, v1.6.2).
    it('reports consent_details_rejected as a declined consent', async () => {
        const popup = fakePopup()
        const { outcome, exchange } = start(popup)
        const state = (await whenNavigated(popup)).searchParams.get('state') as string
        answer(popup, { state, error: 'consent_details_rejected' })
        await expect(outcome).resolves.toMatchObject({ kind: 'consentDeclined' })
        expect(exchange).not.toHaveBeenCalled()
    })

    it('maps an eSignet error code to a readable message', async () => {
        const popup = fakePopup()
        const { outcome } = start(popup)
        const state = (await whenNavigated(popup)).searchParams.get('state') as string
        answer(popup, { state, error: 'auth_failed' })
        await expect(outcome).resolves.toEqual({
            kind: 'esignetError',
            code: 'auth_failed',
            message:
                'The national ID or the one-time code was not accepted. Check them and try again.',
        })
    })

    it('reports cancelled when the person closes the popup', async () => {
        const popup = fakePopup()
        const { outcome, exchange } = start(popup)
        const state = (await whenNavigated(popup)).searchParams.get('state') as string
        popup.close()
        await expect(outcome).resolves.toMatchObject({ kind: 'cancelled' })
        expect(exchange).not.toHaveBeenCalled()
        expect(sessionStorage.getItem(STATE_STORE_PREFIX + state)).toBeNull()
    })

    it('gives up after the timeout and closes the popup', async () => {
        const popup = fakePopup()
        const { outcome } = start(popup, { timeoutMs: 60 })
        await expect(outcome).resolves.toMatchObject({ kind: 'timedOut' })
        expect(popup.closed).toBe(true)
    })

    it('reports popupBlocked when the browser refuses the popup', async () => {
        const { outcome } = start(null)
        await expect(outcome).resolves.toMatchObject({ kind: 'popupBlocked' })
        expect(Object.keys(sessionStorage)).toEqual([])
    })

    it('passes the relay outcome through (relay unreachable)', async () => {
        const popup = fakePopup()
        jest.spyOn(window, 'open').mockReturnValue(popup as unknown as Window)
        const outcome = signInWithEsignet({
            config: CONFIG,
            redirectUri: REDIRECT_URI,
            language: 'en',
            exchange: async () => ({ kind: 'relayUnreachable', message: 'down' }) as const,
        })
        const state = (await whenNavigated(popup)).searchParams.get('state') as string
        answer(popup, { state, code: 'c' })
        await expect(outcome).resolves.toEqual({ kind: 'relayUnreachable', message: 'down' })
    })

    it('refuses a callback page on another origin', async () => {
        const { outcome } = start(fakePopup(), { redirectUri: 'https://other.example/cb.html' })
        await expect(outcome).resolves.toMatchObject({ code: 'invalid_redirect_uri' })
        expect(window.open).not.toHaveBeenCalled()
    })
})

describe('redirect fallback', () => {
    /** A top-level window whose popups are blocked; navigation is recorded, not performed. */
    function blockedWindow() {
        const win = {
            location: {
                origin: ORIGIN,
                href: `${ORIGIN}/apps/anc-registration#/register`,
                assign: jest.fn(),
            },
            open: () => null,
            sessionStorage,
            addEventListener: jest.fn(),
            removeEventListener: jest.fn(),
        } as Record<string, unknown>
        win.top = win
        return win as unknown as Window & { location: { assign: jest.Mock } }
    }

    it('sends the top window to eSignet and finishes when the app loads again', async () => {
        const win = blockedWindow()
        const exchange = jest.fn(async (_request: ExchangeRequest) => VERIFIED)
        const outcome = await signInWithEsignet({
            config: CONFIG,
            redirectUri: REDIRECT_URI,
            language: 'en',
            exchange,
            whenPopupBlocked: 'redirect',
            win,
        })
        expect(outcome.kind).toBe('popupBlocked')
        expect(win.location.assign).toHaveBeenCalledTimes(1)
        const url = new URL(win.location.assign.mock.calls[0][0])
        expect(url.searchParams.get('display')).toBe('page')
        expect(sessionStorage.getItem(REDIRECT_RETURN_KEY)).toBe(
            `${ORIGIN}/apps/anc-registration#/register`
        )

        // What the callback page leaves behind (see callback.test.ts), then the app reloads.
        const state = url.searchParams.get('state')
        sessionStorage.setItem(
            REDIRECT_RESULT_KEY,
            JSON.stringify({
                type: CALLBACK_MESSAGE_TYPE,
                state,
                code: 'code-9',
                error: null,
                error_description: null,
                ambiguous: false,
            })
        )
        await expect(completeRedirectSignin({ exchange })).resolves.toEqual(VERIFIED)
        expect(exchange.mock.calls[0]?.[0]).toMatchObject({
            code: 'code-9',
            nonce: url.searchParams.get('nonce'),
        })
        // Used once: a reload does not replay it.
        await expect(completeRedirectSignin({ exchange })).resolves.toBeNull()
    })

    it('does not redeem a stored answer for a state this tab never issued', async () => {
        const exchange = jest.fn()
        sessionStorage.setItem(
            REDIRECT_RESULT_KEY,
            JSON.stringify({
                type: CALLBACK_MESSAGE_TYPE,
                state: 'ffffffffffffffffffffffffffffffff',
                code: 'injected',
                error: null,
                error_description: null,
                ambiguous: false,
            })
        )
        await expect(completeRedirectSignin({ exchange })).resolves.toMatchObject({
            code: 'invalid_state',
        })
        expect(exchange).not.toHaveBeenCalled()
    })
})
