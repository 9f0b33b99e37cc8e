import {
    CALLBACK_CHANNEL,
    CALLBACK_MESSAGE_TYPE,
    REDIRECT_RESULT_KEY,
    REDIRECT_RETURN_KEY,
    isCallbackMessage,
    runEsignetCallback,
} from './callback'
import { parseCallbackUrl } from './callback-params'

const ORIGIN = 'http://localhost:8080'
const PAGE = `${ORIGIN}/api/apps/anc-registration/esignet-callback.html`

/** The parts of `window` the callback page touches. */
function callbackWindow(search: string, opener: unknown = null) {
    return {
        location: {
            href: `${PAGE}${search}`,
            origin: ORIGIN,
            pathname: '/api/apps/anc-registration/esignet-callback.html',
            replace: jest.fn(),
        },
        history: { replaceState: jest.fn() },
        opener,
        close: jest.fn(),
        sessionStorage,
    }
}

beforeEach(() => sessionStorage.clear())

describe('parseCallbackUrl', () => {
    it('reads the eSignet <= 1.6 success redirect (state not encoded)', () => {
        expect(parseCallbackUrl(`${PAGE}?state=3f2a9c_b-01&code=Zk9x-_abc`)).toEqual({
            state: '3f2a9c_b-01',
            code: 'Zk9x-_abc',
            error: null,
            error_description: null,
            iss: null,
            ambiguous: false,
        })
    })

    it('reads the eSignet 1.7+ success redirect with its issuer (RFC 9207)', () => {
        const issuer = 'https://esignet.example.lk'
        const query = new URLSearchParams({ state: 's1', code: 'c1', iss: issuer })
        expect(parseCallbackUrl(`${PAGE}?${query.toString()}`)).toMatchObject({
            state: 's1',
            code: 'c1',
            iss: issuer,
            ambiguous: false,
        })
        expect(parseCallbackUrl(`${PAGE}?state=s1&code=c1&iss=a&iss=b`).ambiguous).toBe(true)
    })

    it('survives a second ? appended to an existing query', () => {
        expect(parseCallbackUrl(`${PAGE}?redirect=false?state=s1&code=c1`)).toMatchObject({
            state: 's1',
            code: 'c1',
        })
    })

    it('reads an error redirect with an encoded description', () => {
        expect(
            parseCallbackUrl(
                `${PAGE}?error_description=Consent+request+rejected&state=s1&error=consent_request_rejected`
            )
        ).toMatchObject({
            state: 's1',
            error: 'consent_request_rejected',
            error_description: 'Consent request rejected',
        })
    })

    it('keeps a malformed escape instead of throwing', () => {
        expect(parseCallbackUrl(`${PAGE}?state=s1&code=ab%E0%A4%A`).code).toBe('ab%E0%A4%A')
    })

    it('flags two different states (parameter pollution)', () => {
        expect(parseCallbackUrl(`${PAGE}?state=mine&code=c&state=theirs`)).toMatchObject({
            state: 'mine',
            ambiguous: true,
        })
    })

    it('accepts the answer in the fragment when a proxy moved it there', () => {
        expect(parseCallbackUrl(`${PAGE}#state=s1&code=c1`)).toMatchObject({
            state: 's1',
            code: 'c1',
        })
    })
})

describe('runEsignetCallback', () => {
    it('posts the answer to the opener, on its own origin only, then closes', () => {
        const opener = { closed: false, postMessage: jest.fn() }
        const win = callbackWindow('?state=s1&code=c1', opener)
        expect(runEsignetCallback(win as unknown as Window)).toBe('posted')
        expect(opener.postMessage).toHaveBeenCalledTimes(1)
        expect(opener.postMessage).toHaveBeenCalledWith(
            {
                type: CALLBACK_MESSAGE_TYPE,
                state: 's1',
                code: 'c1',
                error: null,
                error_description: null,
                iss: null,
                ambiguous: false,
            },
            ORIGIN
        )
        expect(win.close).toHaveBeenCalled()
        // The code is removed from the address bar and history.
        expect(win.history.replaceState).toHaveBeenCalledWith(
            null,
            '',
            '/api/apps/anc-registration/esignet-callback.html'
        )
    })

    it('without an opener, stores the answer and goes back to the return URL', () => {
        sessionStorage.setItem(REDIRECT_RETURN_KEY, `${ORIGIN}/apps/anc-registration#/register`)
        const win = callbackWindow('?state=s1&error=auth_failed')
        expect(runEsignetCallback(win as unknown as Window)).toBe('redirected')
        expect(win.location.replace).toHaveBeenCalledWith(
            `${ORIGIN}/apps/anc-registration#/register`
        )
        const stored = JSON.parse(sessionStorage.getItem(REDIRECT_RESULT_KEY) as string)
        expect(stored).toMatchObject({ state: 's1', error: 'auth_failed', code: null })
        expect(sessionStorage.getItem(REDIRECT_RETURN_KEY)).toBeNull()
    })

    it('never navigates to a return URL on another origin', () => {
        sessionStorage.setItem(REDIRECT_RETURN_KEY, 'https://evil.example/steal')
        const win = callbackWindow('?state=s1&code=c1')
        const received: unknown[] = []
        const listener = new BroadcastChannel(CALLBACK_CHANNEL)
        listener.onmessage = (event) => received.push(event.data)
        expect(runEsignetCallback(win as unknown as Window)).toBe('broadcast')
        expect(win.location.replace).not.toHaveBeenCalled()
        expect(sessionStorage.getItem(REDIRECT_RESULT_KEY)).toBeNull()
        listener.close()
    })

    it('uses the same-origin channel when the opener link was cut', async () => {
        const win = callbackWindow('?state=s1&code=c1', { closed: true, postMessage: jest.fn() })
        const listener = new BroadcastChannel(CALLBACK_CHANNEL)
        const received = new Promise((resolve) => {
            listener.onmessage = (event) => resolve(event.data)
        })
        expect(runEsignetCallback(win as unknown as Window)).toBe('broadcast')
        expect(await received).toMatchObject({ state: 's1', code: 'c1' })
        listener.close()
    })
})

describe('isCallbackMessage', () => {
    it.each([
        null,
        'string',
        {
            type: 'other',
            state: 's',
            code: 'c',
            error: null,
            error_description: null,
            iss: null,
            ambiguous: false,
        },
        {
            type: CALLBACK_MESSAGE_TYPE,
            state: 1,
            code: 'c',
            error: null,
            error_description: null,
            iss: null,
            ambiguous: false,
        },
        {
            type: CALLBACK_MESSAGE_TYPE,
            state: 's',
            code: 'c',
            error: null,
            error_description: null,
        },
    ])('rejects %j', (data) => {
        expect(isCallbackMessage(data)).toBe(false)
    })
})
