import { exportJWK, generateKeyPair, UnsecuredJWT } from 'jose'
import { buildRelay } from './app'
import type { Behaviour } from '../test-support/hostile-issuer'
import { REDIRECT_URI, ROUTE_SECRET, startFixture, type Fixture } from '../test-support/fixture'

const SUB = 'pairwise-sub-of-the-midwife'

describe('staff exchange against a hostile issuer', () => {
    let f: Fixture

    beforeAll(async () => {
        f = await startFixture()
    })
    afterAll(async () => {
        await f.close()
    })
    beforeEach(() => {
        f.issuer.behaviour = {}
    })

    const exchange = (
        body: unknown,
        headers: Record<string, string> = { 'x-anc-route-secret': ROUTE_SECRET }
    ) =>
        f.relay.inject({ method: 'POST', url: '/staff/exchange', headers, payload: body as object })

    it('returns verified claims and no token for a genuine login', async () => {
        const response = await exchange(f.login(SUB))
        expect(response.statusCode).toBe(200)
        expect(response.headers['cache-control']).toBe('no-store')
        expect(response.headers['set-cookie']).toBeUndefined()
        const body = response.json()
        expect(body).toEqual({
            sub: SUB,
            claims: { name: 'Nimali Perera', birthdate: '1994/03/12', gender: 'Female' },
            acr: 'mosip:idp:acr:generated-code',
            authTime: expect.any(Number),
        })
        for (const secret of f.issuer.secretsSeen) {
            expect(response.body).not.toContain(secret)
        }
    })

    it('signs a fresh, short-lived assertion with the exact token endpoint as audience', async () => {
        await exchange(f.login(SUB))
        await exchange(f.login(SUB))
        const [first, second] = f.issuer.assertions.slice(-2)
        expect(first?.aud).toBe(f.issuer.tokenEndpoint)
        expect(first?.iss).toBe('anc-relay')
        expect(first?.sub).toBe('anc-relay')
        expect(first?.jti).not.toBe(second?.jti)
        expect((first?.exp ?? 0) - (first?.iat ?? 0)).toBeLessThanOrEqual(60)
    })

    const now = () => Math.floor(Date.now() / 1000)
    const otherKey = () => generateKeyPair('RS256').then((pair) => pair.privateKey)

    const hostile: [string, () => Promise<Behaviour>, number, string, RegExp][] = [
        [
            'an id_token with a bad signature',
            async () => {
                const key = await otherKey()
                return { idToken: (claims, issuer) => issuer.sign(claims, { key }) }
            },
            502,
            'invalid_id_token',
            /signature does not verify/,
        ],
        [
            'an id_token with alg none',
            async () => ({ idToken: async (claims) => new UnsecuredJWT(claims).encode() }),
            502,
            'invalid_id_token',
            /algorithm not allowed|malformed/,
        ],
        [
            'an id_token signed with an unknown kid',
            async () => {
                const key = await otherKey()
                return {
                    idToken: (claims, issuer) => issuer.sign(claims, { key, kid: 'not-in-jwks' }),
                }
            },
            502,
            'invalid_id_token',
            /key not in/,
        ],
        [
            'an id_token for another audience',
            async () => ({ idTokenClaims: { aud: 'someone-else' } }),
            502,
            'invalid_id_token',
            /"aud"/,
        ],
        [
            'an id_token from another issuer',
            async () => ({ idTokenClaims: { iss: 'https://evil.example/v1/esignet' } }),
            502,
            'invalid_id_token',
            /"iss"/,
        ],
        [
            'an expired id_token',
            async () => ({ idTokenClaims: { iat: now() - 120, exp: now() - 60 } }),
            502,
            'invalid_id_token',
            /expired/,
        ],
        [
            'an id_token issued in the future',
            async () => ({ idTokenClaims: { iat: now() + 600, exp: now() + 3600 } }),
            502,
            'invalid_id_token',
            /"iat"/,
        ],
        [
            'an id_token with another nonce',
            async () => ({ idTokenClaims: { nonce: 'replayed' } }),
            401,
            'nonce_mismatch',
            /nonce/,
        ],
        [
            'an id_token with nonce null',
            async () => ({ idTokenClaims: { nonce: null } }),
            401,
            'nonce_mismatch',
            /nonce/,
        ],
        [
            'userinfo about another subject',
            async () => ({ userinfoClaims: { sub: 'someone-else' } }),
            502,
            'subject_mismatch',
            /another subject/,
        ],
        [
            'userinfo as unsigned JSON',
            async () => ({
                userinfo: async (claims) => ({
                    contentType: 'application/json',
                    body: JSON.stringify(claims),
                }),
            }),
            502,
            'invalid_userinfo',
            /unsigned JSON/,
        ],
        [
            'userinfo with alg none',
            async () => ({
                userinfo: async (claims) => ({
                    contentType: 'application/jwt',
                    body: new UnsecuredJWT(claims).encode(),
                }),
            }),
            502,
            'invalid_userinfo',
            /algorithm not allowed|malformed|not a signed/,
        ],
        [
            'userinfo signed with a foreign key',
            async () => {
                const key = await otherKey()
                return {
                    userinfo: async (claims, issuer) => ({
                        contentType: 'application/jwt',
                        body: await issuer.sign(claims, { key }),
                    }),
                }
            },
            502,
            'invalid_userinfo',
            /signature does not verify|key not in/,
        ],
        [
            'userinfo for another client',
            async () => ({ userinfoClaims: { aud: 'another-client' } }),
            502,
            'invalid_userinfo',
            /not meant for this client/,
        ],
        [
            'userinfo encrypted although no decryption key is configured',
            async () => {
                const { publicKey } = await generateKeyPair('RSA-OAEP-256')
                return { userinfoEncryptTo: publicKey }
            },
            502,
            'invalid_userinfo',
            /not a signed JWT/,
        ],
        [
            'a token endpoint answering 500',
            async () => ({ token: 'http500' }),
            502,
            'esignet_bad_response',
            /HTTP 500/,
        ],
        [
            'a token endpoint answering HTML',
            async () => ({ token: 'html' }),
            502,
            'esignet_bad_response',
            /without an id_token/,
        ],
    ]

    it.each(hostile)(
        'rejects %s with a typed error and writes nothing',
        async (_name, behaviour, status, code, reason) => {
            f.issuer.behaviour = await behaviour()
            const fhirRequests = f.fhir.requests.length
            for (const url of ['/staff/exchange', '/patient/session']) {
                const response = await f.relay.inject({
                    method: 'POST',
                    url,
                    headers: { 'x-anc-route-secret': ROUTE_SECRET },
                    payload: f.login(
                        SUB,
                        undefined,
                        url === '/patient/session' ? 'patient' : 'staff'
                    ),
                })
                expect(response.statusCode).toBe(status)
                expect(response.json()).toEqual({
                    error: code,
                    message: expect.stringMatching(reason),
                })
                expect(response.headers['set-cookie']).toBeUndefined()
                expect(response.headers['cache-control']).toBe('no-store')
            }
            // The FHIR record was never even consulted, let alone written.
            expect(f.fhir.requests.length).toBe(fhirRequests)
            expect(f.fhir.writes).toEqual([])
        }
    )

    it('rejects a reused code the way eSignet does', async () => {
        const login = f.login(SUB)
        expect((await exchange(login)).statusCode).toBe(200)
        const replay = await exchange(login)
        expect(replay.statusCode).toBe(400)
        expect(replay.json()).toEqual({ error: 'invalid_transaction', message: expect.any(String) })
    })

    it("passes eSignet's code through when the PKCE verifier does not match", async () => {
        const login = f.login(SUB)
        const response = await exchange({ ...login, codeVerifier: 'x'.repeat(43) })
        expect(response.statusCode).toBe(400)
        expect(response.json().error).toBe('pkce_failed')
    })

    it('refuses calls without the route secret (401) or with a wrong one (403) before calling eSignet', async () => {
        const before = f.issuer.tokenCalls
        const missing = await exchange(f.login(SUB), {})
        expect(missing.statusCode).toBe(401)
        expect(missing.json().error).toBe('missing_route_secret')
        const wrong = await exchange(f.login(SUB), {
            'x-anc-route-secret': `${ROUTE_SECRET.slice(0, -1)}X`,
        })
        expect(wrong.statusCode).toBe(403)
        expect(wrong.json().error).toBe('invalid_route_secret')
        const short = await exchange(f.login(SUB), { 'x-anc-route-secret': 'x' })
        expect(short.statusCode).toBe(403)
        expect(f.issuer.tokenCalls).toBe(before)
    })

    it('refuses a redirect URI that is not on the allow-list', async () => {
        const before = f.issuer.tokenCalls
        const response = await exchange({
            ...f.login(SUB),
            redirectUri: 'https://evil.example/callback.html',
        })
        expect(response.statusCode).toBe(400)
        expect(response.json().error).toBe('redirect_uri_not_allowed')
        expect(f.issuer.tokenCalls).toBe(before)
    })

    it('refuses malformed bodies, unknown fields and bodies over 64 kB', async () => {
        const { nonce: _nonce, ...withoutNonce } = f.login(SUB)
        expect((await exchange(withoutNonce)).json().error).toBe('invalid_request')
        expect((await exchange({ ...f.login(SUB), client_id: 'x' })).statusCode).toBe(400)
        const huge = await exchange({ ...f.login(SUB), nonce: 'n'.repeat(70 * 1024) })
        expect(huge.statusCode).toBe(413)
        expect(huge.json().error).toBe('payload_too_large')
        expect(huge.headers['cache-control']).toBe('no-store')
    })

    it('never logs codes, verifiers, tokens, assertions, userinfo or the route secret', async () => {
        await exchange(f.login(SUB))
        f.issuer.behaviour = { idTokenClaims: { aud: 'someone-else' } }
        await exchange(f.login(SUB))
        await exchange(f.login(SUB), { 'x-anc-route-secret': 'wrong-secret' })
        const log = f.log.text
        expect(log).toContain('staff login verified')
        expect(log).toContain('invalid_id_token')
        const secrets = [
            ...f.issuer.secretsSeen.filter((s) => s.length > 8),
            ROUTE_SECRET,
            'wrong-secret',
        ]
        expect(secrets.length).toBeGreaterThan(10)
        for (const secret of secrets) {
            expect(log).not.toContain(secret)
        }
    })
})

describe('token endpoint that hangs', () => {
    let f: Fixture
    beforeAll(async () => {
        f = await startFixture({ ESIGNET_TIMEOUT_MS: '300' })
        f.issuer.behaviour = { token: 'hang' }
    })
    afterAll(async () => {
        await f.close()
    })

    it('gives up after the configured timeout with esignet_timeout', async () => {
        const started = Date.now()
        const response = await f.relay.inject({
            method: 'POST',
            url: '/staff/exchange',
            headers: { 'x-anc-route-secret': ROUTE_SECRET },
            payload: f.login(SUB),
        })
        expect(response.statusCode).toBe(504)
        expect(response.json().error).toBe('esignet_timeout')
        expect(Date.now() - started).toBeLessThan(3000)
        expect(f.fhir.writes).toEqual([])
    })
})

describe('encrypted userinfo (JWE)', () => {
    let f: Fixture
    let relayPublicKey: CryptoKey
    beforeAll(async () => {
        const pair = await generateKeyPair('RSA-OAEP-256', { extractable: true })
        relayPublicKey = pair.publicKey
        f = await startFixture({
            ESIGNET_USERINFO_DECRYPTION_KEY_JWK: JSON.stringify(await exportJWK(pair.privateKey)),
        })
    })
    afterAll(async () => {
        await f.close()
    })
    const exchange = () =>
        f.relay.inject({
            method: 'POST',
            url: '/staff/exchange',
            headers: { 'x-anc-route-secret': ROUTE_SECRET },
            payload: f.login(SUB),
        })

    it('decrypts userinfo encrypted to the relay key and verifies the inner signature', async () => {
        f.issuer.behaviour = { userinfoEncryptTo: relayPublicKey }
        const response = await exchange()
        expect(response.statusCode).toBe(200)
        expect(response.json().claims.name).toBe('Nimali Perera')
    })

    it('rejects userinfo encrypted to another key', async () => {
        const { publicKey } = await generateKeyPair('RSA-OAEP-256')
        f.issuer.behaviour = { userinfoEncryptTo: publicKey }
        const response = await exchange()
        expect(response.statusCode).toBe(502)
        expect(response.json().error).toBe('invalid_userinfo')
    })

    it('rejects plain signed userinfo when encryption is configured', async () => {
        f.issuer.behaviour = {}
        const response = await exchange()
        expect(response.statusCode).toBe(502)
        expect(response.json().error).toBe('invalid_userinfo')
    })
})

describe('issuer quirk setting', () => {
    it('accepts only the discovery issuer when strict', async () => {
        const f = await startFixture({ ESIGNET_ISSUER_QUIRK: 'strict' })
        try {
            const post = (payload: object) =>
                f.relay.inject({
                    method: 'POST',
                    url: '/staff/exchange',
                    headers: { 'x-anc-route-secret': ROUTE_SECRET },
                    payload,
                })
            expect((await post(f.login(SUB))).json().error).toBe('invalid_id_token')
            f.issuer.behaviour = { idTokenClaims: { iss: f.issuer.base } }
            expect((await post(f.login(SUB))).statusCode).toBe(200)
        } finally {
            await f.close()
        }
    })
})

describe('rate limit', () => {
    it('answers 429 with a typed error once an IP exceeds the limit', async () => {
        const f = await startFixture({ RELAY_RATE_LIMIT_MAX: '2' })
        try {
            const statuses: number[] = []
            let last
            for (let i = 0; i < 3; i++) {
                last = await f.relay.inject({
                    method: 'POST',
                    url: '/patient/session',
                    payload: { ...f.login(SUB), redirectUri: REDIRECT_URI },
                })
                statuses.push(last.statusCode)
            }
            expect(statuses[2]).toBe(429)
            expect(last?.json()).toEqual({ error: 'rate_limited', message: expect.any(String) })
        } finally {
            await f.close()
        }
    })
})

describe('GET /config', () => {
    it("serves the browser's public parameters, with the claims request built from settings", async () => {
        const f = await startFixture({
            ESIGNET_ESSENTIAL_CLAIMS: 'name,birthdate',
            ESIGNET_VOLUNTARY_CLAIMS: 'phone_number',
        })
        try {
            const response = await f.relay.inject({ method: 'GET', url: '/config' })
            expect(response.statusCode).toBe(200)
            expect(response.headers['cache-control']).toBe('no-store')
            expect(response.json()).toEqual({
                authorizationEndpoint: `${f.issuer.base}/authorize`,
                clientId: 'anc-relay',
                scope: 'openid profile',
                acrValues: ['mosip:idp:acr:generated-code'],
                claims: {
                    userinfo: {
                        name: { essential: true },
                        birthdate: { essential: true },
                        phone_number: { essential: false },
                    },
                    id_token: {},
                },
                claimsLocales: ['en'],
                uiLocalesSupported: ['en', 'si', 'ta'],
                issuer: f.issuer.base,
            })
            expect(response.body).not.toMatch(/"d"|PRIVATE/)
        } finally {
            await f.close()
        }
    })

    it('reports an unreachable eSignet as a typed 502', async () => {
        const f = await startFixture()
        const relay = await buildRelay(
            {
                ...f.config,
                esignet: {
                    ...f.config.esignet,
                    discoveryUrl: 'http://127.0.0.1:9/.well-known/openid-configuration',
                },
            },
            { logStream: { write: () => undefined } }
        )
        try {
            const response = await relay.inject({ method: 'GET', url: '/config' })
            expect(response.statusCode).toBe(502)
            expect(response.json().error).toBe('esignet_unreachable')
        } finally {
            await relay.close()
            await f.close()
        }
    })
})
