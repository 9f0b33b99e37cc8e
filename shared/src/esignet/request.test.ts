import { createHash } from 'node:crypto'
import { buildClaimsRequest } from './claims-request'
import { parseRelayConfig, RelayConfigError, uiLocalesFor } from './config'
import { STATE_STORE_PREFIX, consumePendingSignin, createAuthorizeRequest } from './request'
import { CONFIG, REDIRECT_URI, RELAY_CONFIG_BODY } from '../../test-support/relay-config'

const base64url = (bytes: Buffer) =>
    bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

function storedState(state: string): Record<string, unknown> {
    const raw = sessionStorage.getItem(STATE_STORE_PREFIX + state)
    expect(raw).not.toBeNull()
    return JSON.parse(raw as string)
}

beforeEach(() => sessionStorage.clear())

describe('createAuthorizeRequest', () => {
    it('sends an S256 challenge that is the SHA-256 of the stored verifier', async () => {
        const request = await createAuthorizeRequest({
            config: CONFIG,
            redirectUri: REDIRECT_URI,
            language: 'en',
        })
        const url = new URL(request.url)
        const verifier = storedState(request.state).code_verifier as string
        // RFC 7636 §4.1: 43-128 characters of the unreserved set.
        expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/)
        expect(url.searchParams.get('code_challenge_method')).toBe('S256')
        expect(url.searchParams.get('code_challenge')).toBe(
            base64url(createHash('sha256').update(verifier, 'ascii').digest())
        )
        // The verifier itself never leaves the browser in the authorize request.
        expect(request.url).not.toContain(verifier)
    })

    it('uses a URL-safe state and a fresh 256-bit nonce, both kept for the return', async () => {
        const first = await createAuthorizeRequest({
            config: CONFIG,
            redirectUri: REDIRECT_URI,
            language: 'en',
        })
        const second = await createAuthorizeRequest({
            config: CONFIG,
            redirectUri: REDIRECT_URI,
            language: 'en',
        })
        const url = new URL(first.url)
        expect(url.searchParams.get('state')).toBe(first.state)
        // eSignet <= 1.6 concatenates state into its redirect without encoding it.
        expect(first.state).toMatch(/^[A-Za-z0-9_-]{32,}$/)
        expect(first.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/)
        expect(url.searchParams.get('nonce')).toBe(first.nonce)
        expect(storedState(first.state).nonce).toBe(first.nonce)
        expect(second.state).not.toBe(first.state)
        expect(second.nonce).not.toBe(first.nonce)
    })

    it('puts the relay settings, claims request and the user language in the request', async () => {
        const request = await createAuthorizeRequest({
            config: CONFIG,
            redirectUri: REDIRECT_URI,
            language: 'si_LK',
        })
        const url = new URL(request.url)
        expect(`${url.origin}${url.pathname}`).toBe('http://localhost:8088/authorize')
        expect(url.searchParams.get('client_id')).toBe('anc-relay')
        expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI)
        expect(url.searchParams.get('response_type')).toBe('code')
        expect(url.searchParams.get('scope')).toBe('openid profile')
        expect(url.searchParams.get('acr_values')).toBe(
            'mosip:idp:acr:generated-code mosip:idp:acr:biometrics'
        )
        expect(url.searchParams.get('ui_locales')).toBe('si en')
        // One claims language (the relay's first): see the next test.
        expect(url.searchParams.get('claims_locales')).toBe('en')
        expect(JSON.parse(url.searchParams.get('claims') as string)).toEqual(CONFIG.claims)
    })

    // mock-identity-system AuthenticationServiceImpl.getKycValues (esignet-mock-services v0.11.2):
    // with several locales every claim comes tagged and a claim missing in one language is
    // dropped for it; up to plugin 1.3.0 only the first locale counts anyway.
    it('asks for claims in exactly one language, whatever the relay lists', async () => {
        for (const claimsLocales of [['en', 'si', 'ta'], ['si'], []]) {
            const request = await createAuthorizeRequest({
                config: { ...CONFIG, claimsLocales },
                redirectUri: REDIRECT_URI,
                language: 'ta',
            })
            const sent = new URL(request.url).searchParams.get('claims_locales')
            expect(sent).toBe(claimsLocales[0] ?? null)
        }
    })

    // eSignet's sign-in page runs decodeURI over the decoded `claims` parameter (oidc-ui
    // Authorize.js, mosip/esignet v1.4.1-v1.8.0): a raw `%` makes it throw and show an error.
    it('never puts a raw % in the claims parameter, and the purpose still reads the same', async () => {
        const purpose = 'Fills 100% of her record; 50%20 off is not a space'
        const request = await createAuthorizeRequest({
            config: CONFIG,
            redirectUri: REDIRECT_URI,
            language: 'en',
            claims: [{ claim: 'name', essential: true, purpose }],
        })
        const claims = new URL(request.url).searchParams.get('claims') as string
        expect(claims).not.toContain('%')
        const asEsignetReadsIt = JSON.parse(decodeURI(claims))
        expect(asEsignetReadsIt.userinfo.name).toEqual({ essential: true, purpose })
    })

    it('builds the claims request from the mapping config when given', async () => {
        const request = await createAuthorizeRequest({
            config: CONFIG,
            redirectUri: REDIRECT_URI,
            language: 'ta',
            claims: [
                { claim: 'name#sin', essential: true },
                { claim: 'name#eng', essential: false },
                { claim: 'email', essential: false },
            ],
        })
        const claims = JSON.parse(new URL(request.url).searchParams.get('claims') as string)
        expect(claims).toEqual({
            userinfo: { name: { essential: true }, email: { essential: false } },
        })
    })

    it('refuses a redirect URI with a query (eSignet <= 1.6 would append a second ?)', async () => {
        await expect(
            createAuthorizeRequest({
                config: CONFIG,
                redirectUri: `${REDIRECT_URI}?redirect=false`,
                language: 'en',
            })
        ).rejects.toThrow(/no query/)
    })
})

describe('consumePendingSignin', () => {
    it('returns the verifier, nonce and redirect URI once, then never again', async () => {
        const request = await createAuthorizeRequest({
            config: CONFIG,
            redirectUri: REDIRECT_URI,
            language: 'en',
        })
        const pending = await consumePendingSignin(request.state, sessionStorage)
        expect(pending).toEqual({
            codeVerifier: storedStateFrom(pending),
            redirectUri: REDIRECT_URI,
            nonce: request.nonce,
            issuer: CONFIG.issuer,
        })
        expect(await consumePendingSignin(request.state, sessionStorage)).toBeNull()
    })

    it('does not accept a state this browser never issued', async () => {
        expect(
            await consumePendingSignin('0123456789abcdef0123456789abcdef', sessionStorage)
        ).toBeNull()
    })

    it('does not accept a state older than 15 minutes', async () => {
        const request = await createAuthorizeRequest({
            config: CONFIG,
            redirectUri: REDIRECT_URI,
            language: 'en',
        })
        const later = () => Date.now() + 16 * 60 * 1000
        expect(await consumePendingSignin(request.state, sessionStorage, later)).toBeNull()
    })
})

function storedStateFrom(pending: { codeVerifier: string } | null): string {
    expect(pending?.codeVerifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/)
    return pending?.codeVerifier ?? ''
}

describe('buildClaimsRequest', () => {
    it('keeps a claim essential when any mapping entry needs it', () => {
        expect(
            buildClaimsRequest([
                { claim: 'phone_number', essential: false },
                { claim: 'phone_number', essential: true },
            ])
        ).toEqual({ userinfo: { phone_number: { essential: true } } })
    })

    it.each(['', 'name"}', 'a b', '__proto__#x"'])('rejects the claim name %j', (claim) => {
        expect(() => buildClaimsRequest([{ claim, essential: true }])).toThrow(/Invalid claim/)
    })

    it('enforces eSignet purpose length', () => {
        expect(() =>
            buildClaimsRequest([{ claim: 'name', essential: true, purpose: 'no' }])
        ).toThrow(/3 to 300/)
    })
})

describe('parseRelayConfig', () => {
    it('reads the relay body in camelCase or discovery spelling', () => {
        expect(parseRelayConfig(RELAY_CONFIG_BODY)).toEqual(CONFIG)
        expect(
            parseRelayConfig({
                authorization_endpoint: 'https://esignet.example.lk/authorize',
                client_id: 'anc-relay',
                scope: 'openid profile',
                acr_values: 'mosip:idp:acr:generated-code',
                ui_locales_supported: ['en'],
            })
        ).toMatchObject({
            authorizationEndpoint: 'https://esignet.example.lk/authorize',
            acrValues: ['mosip:idp:acr:generated-code'],
            claims: {},
            claimsLocales: [],
        })
    })

    it.each([
        ['a string', 'not an object', 'object'],
        [
            'plain http to a remote host',
            { ...RELAY_CONFIG_BODY, authorizationEndpoint: 'http://esignet.example.lk/authorize' },
            'https',
        ],
        [
            'a javascript: URL',
            { ...RELAY_CONFIG_BODY, authorizationEndpoint: 'javascript:alert(1)' },
            'https',
        ],
        ['an empty client id', { ...RELAY_CONFIG_BODY, clientId: '' }, 'clientId'],
        ['a scope without openid', { ...RELAY_CONFIG_BODY, scope: 'profile' }, 'openid'],
    ])('rejects %s', (_label, body, reason) => {
        expect(() => parseRelayConfig(body)).toThrow(RelayConfigError)
        expect(() => parseRelayConfig(body)).toThrow(new RegExp(reason))
    })
})

describe('uiLocalesFor', () => {
    it.each([
        ['si', ['en', 'si', 'ta'], 'si en'],
        ['ta_LK', ['en', 'ta'], 'ta en'],
        ['si', ['en'], 'en'],
        ['en', [], 'en'],
        ['fr', [], 'fr en'],
    ])('%s with %j gives %s', (language, supported, expected) => {
        expect(uiLocalesFor(language, supported)).toBe(expected)
    })
})
