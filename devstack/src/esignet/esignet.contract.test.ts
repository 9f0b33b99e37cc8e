/**
 * Contract tests: the eSignet stand-in must behave on the wire like MOSIP eSignet 1.6 (as read
 * in mosip/esignet v1.6.2 and esignet-mock-services v0.11.2; see src/esignet/README.md). Each test drives real HTTP: the browser half with manual redirects
 * and cookies through the stand-in's own pages, the relying-party half with private_key_jwt.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import {
    compactDecrypt,
    createRemoteJWKSet,
    decodeJwt,
    decodeProtectedHeader,
    exportJWK,
    generateKeyPair,
    importX509,
    jwtVerify,
    type JWK,
} from 'jose'
import { pairwiseSub } from '../common/pairwise'
import { DEV_KEYS_DIR, PATHS, readJwk } from './config'
import { startEsignet, type EsignetServer } from './server'
import {
    ASSERTION_TYPE,
    authorize,
    Browser,
    clientAssertion,
    location,
    startAuthorization,
    tokenRequest,
    type AuthorizeRequest,
} from '../../test-support/esignet-flow'

const RELAY = 'anc-relay'
const RELAY_REDIRECT = 'http://localhost:8080/api/apps/anc-registration/esignet-callback.html'
const relayKey = readJwk(path.join(DEV_KEYS_DIR, 'relay-client.private.dev.jwk.json'))
/** The mock identity system's certificate: its key signs userinfo, eSignet's JWKS never lists it. */
const identitySystemKey = () =>
    importX509(
        readFileSync(path.join(DEV_KEYS_DIR, 'mock-identity-system.dev.cert.pem'), 'utf8'),
        'RS256'
    )
const NIMALI = '5860125421' // has a photo
const DILINI = '6028461937' // no e-mail

let server: EsignetServer
let dir: string
let tokenEndpoint: string
let jweClientKey: JWK

beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'esignet-contract-'))
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
    jweClientKey = { ...(await exportJWK(privateKey)), kid: 'jwe-test' }
    server = await startEsignet({
        port: 0,
        dataDir: dir,
        quiet: true,
        extraClients: [
            {
                clientId: 'jwe-test-client',
                name: 'JWE test client',
                redirectUris: ['http://127.0.0.1:9/callback'],
                publicKey: { ...(await exportJWK(publicKey)), kid: 'jwe-test' },
                userClaims: ['name', 'birthdate'],
                acrValues: ['mosip:idp:acr:generated-code'],
                userinfoResponseType: 'JWE',
            },
        ],
    })
    tokenEndpoint = `${server.url}${PATHS.token}`
})

afterAll(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
})

function relayFlow(overrides: Partial<AuthorizeRequest> = {}) {
    return authorize({
        baseUrl: server.url,
        clientId: RELAY,
        redirectUri: RELAY_REDIRECT,
        individualId: NIMALI,
        prompt: 'consent',
        claims: {
            userinfo: {
                name: { essential: true },
                birthdate: { essential: true },
                gender: { essential: true },
                phone_number: { essential: false },
                email: { essential: false },
                picture: { essential: false },
                individual_id: { essential: false },
            },
        },
        ...overrides,
    })
}

async function redeem(
    code: string,
    codeVerifier: string | undefined,
    assertionOverrides: Partial<Parameters<typeof clientAssertion>[0]> = {},
    extra: Record<string, string | undefined> = {}
) {
    return tokenRequest(tokenEndpoint, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: RELAY_REDIRECT,
        client_id: RELAY,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await clientAssertion({
            clientId: RELAY,
            privateJwk: relayKey,
            aud: tokenEndpoint,
            ...assertionOverrides,
        }),
        code_verifier: codeVerifier,
        ...extra,
    })
}

describe('discovery and keys', () => {
    test('discovery is eSignet 1.6s map at both paths, with the issuer quirk', async () => {
        for (const p of [PATHS.discovery, PATHS.discoveryEsignet]) {
            const response = await fetch(`${server.url}${p}`)
            expect(response.status).toBe(200)
            expect(response.headers.get('access-control-allow-origin')).toBe('*')
            const doc = (await response.json()) as Record<string, unknown>
            expect(doc.issuer).toBe(server.url)
            expect(doc.token_endpoint).toBe(`${server.url}/v1/esignet/oauth/v2/token`)
            expect(doc.userinfo_endpoint).toBe(`${server.url}/v1/esignet/oidc/userinfo`)
            expect(doc.authorization_endpoint).toBe(`${server.url}/authorize`)
            expect(doc.token_endpoint_auth_methods_supported).toEqual(['private_key_jwt'])
            expect(doc.subject_types_supported).toEqual(['pairwise'])
            expect(doc.acr_values_supported).toContain('mosip:idp:acr:generated-code')
            expect(doc).not.toHaveProperty('code_challenge_methods_supported')
        }
        expect(server.tokenIssuer).toBe(`${server.url}/v1/esignet`)
    })

    test('JWKS is served at both paths and carries only public keys', async () => {
        for (const p of [PATHS.jwks, PATHS.jwksEsignet]) {
            const response = await fetch(`${server.url}${p}`)
            expect(response.status).toBe(200)
            const { keys } = (await response.json()) as { keys: Record<string, unknown>[] }
            expect(keys.length).toBeGreaterThan(0)
            for (const key of keys) {
                expect(key.kty).toBe('RSA')
                expect(key).not.toHaveProperty('d')
            }
        }
    })
})

describe('authorization', () => {
    test('a full flow issues a code with the 1.6 redirect shape and verifiable tokens', async () => {
        const flow = await relayFlow({ claimsLocales: 'en si ta' })
        expect(flow.consentShown).toBe(true)
        // eSignet <= 1.6: redirect_uri + "?state=" + state + "&code=" + code, no iss
        expect(flow.callback).toBe(`${RELAY_REDIRECT}?state=${flow.state}&code=${flow.code}`)

        const { response, json } = await redeem(flow.code, flow.codeVerifier)
        expect(response.status).toBe(200)
        expect(response.headers.get('access-control-allow-origin')).toBeNull()
        expect(json.token_type).toBe('Bearer')
        expect(json).not.toHaveProperty('refresh_token')
        expect(json).not.toHaveProperty('scope')

        const jwks = createRemoteJWKSet(new URL(`${server.url}${PATHS.jwks}`))
        const idToken = await jwtVerify(String(json.id_token), jwks, {
            issuer: `${server.url}/v1/esignet`,
            audience: RELAY,
        })
        expect(idToken.payload.sub).toBe(pairwiseSub(NIMALI, RELAY))
        expect(idToken.payload.nonce).toBe(flow.nonce)
        expect(idToken.payload.acr).toBe('mosip:idp:acr:generated-code')
        // id_token never carries user claims
        expect(idToken.payload).not.toHaveProperty('name')
        expect(idToken.payload).not.toHaveProperty('birthdate')

        const userinfo = await fetch(`${server.url}${PATHS.userinfo}`, {
            headers: { Authorization: `Bearer ${String(json.access_token)}` },
        })
        expect(userinfo.status).toBe(200)
        expect(userinfo.headers.get('content-type')).toMatch(/^application\/jwt/)
        expect(userinfo.headers.get('access-control-allow-origin')).toBeNull()
        const body = await userinfo.text()
        // Signed by the mock identity system's own key, which eSignet's JWKS does not list
        // (esignet-mock-services v0.11.2 AuthenticationServiceImpl.signKyc; mosip/esignet#2417).
        await expect(jwtVerify(body, jwks)).rejects.toThrow(/no applicable key/)
        expect(decodeProtectedHeader(body).kid).toBe('mock-identity-system-dev-1')
        const verified = await jwtVerify(body, await identitySystemKey(), {
            issuer: `${server.url}/v1/esignet`,
            audience: RELAY,
        })
        const claims = verified.payload as Record<string, unknown>
        // The mock sends no iat or exp in userinfo.
        expect(claims).not.toHaveProperty('iat')
        expect(claims).not.toHaveProperty('exp')
        expect(claims.sub).toBe(pairwiseSub(NIMALI, RELAY))
        // raw formats: slashes in the date, labels for gender, tagged names per claims_locales
        expect(claims.birthdate).toBe('1996/05/14')
        expect(claims['gender#eng']).toBe('Female')
        expect(claims['gender#sin']).toBe('ස්ත්‍රී')
        expect(claims['name#eng']).toBe('Nimali Perera')
        expect(claims['name#sin']).toBe('නිමාලි පෙරේරා')
        expect(claims['name#tam']).toBe('நிமாலி பெரேரா')
        expect(claims).not.toHaveProperty('name')
        expect(String(claims.picture)).toMatch(/^data:image\/png;base64,/)
        expect(claims.phone_number).toBe('+94771234503')
        // requested with consent, but the mock's claims mapping has no individual_id
        expect(claims).not.toHaveProperty('individual_id')
    })

    test('one requested language gives plain keys; no claims_locales means English', async () => {
        const tamil = await relayFlow({ claimsLocales: 'ta' })
        const tamilClaims = await userinfoClaims(tamil.code, tamil.codeVerifier)
        expect(tamilClaims.name).toBe('நிமாலி பெரேரா')
        expect(tamilClaims.gender).toBe('பெண்')
        expect(Object.keys(tamilClaims).some((k) => k.includes('#'))).toBe(false)

        const none = await relayFlow({})
        const englishClaims = await userinfoClaims(none.code, none.codeVerifier)
        expect(englishClaims.name).toBe('Nimali Perera')
        expect(englishClaims.gender).toBe('Female')
    })
})

describe('authorization: consent and claims', () => {
    test('a declined voluntary claim is absent from userinfo; essential ones cannot be declined', async () => {
        const flow = await relayFlow({ decline: ['phone_number', 'picture'] })
        // essential claims are listed, not offered as checkboxes
        expect(flow.consentHtml).not.toContain('name="claim" value="name"')
        expect(flow.consentHtml).toContain('name="claim" value="phone_number"')
        const claims = await userinfoClaims(flow.code, flow.codeVerifier)
        expect(claims).not.toHaveProperty('phone_number')
        expect(claims).not.toHaveProperty('picture')
        expect(claims.email).toBe('nimali.perera@example.lk')
        expect(claims.birthdate).toBe('1996/05/14')
    })

    test('consent is remembered per client and person unless prompt=consent', async () => {
        await relayFlow({ individualId: DILINI, decline: ['phone_number'] })
        const again = await relayFlow({ individualId: DILINI, prompt: undefined })
        expect(again.consentShown).toBe(false)
        const claims = await userinfoClaims(again.code, again.codeVerifier)
        expect(claims).not.toHaveProperty('phone_number')
        // Dilini has no e-mail in the identity system: the claim is simply absent
        expect(claims).not.toHaveProperty('email')
        expect(claims.sub).toBe(pairwiseSub(DILINI, RELAY))
    })

    test('claims not registered for the client are never released', async () => {
        const flow = await authorize({
            baseUrl: server.url,
            clientId: 'dhis2-staff',
            redirectUri: 'http://localhost:8080/oauth2/code/esignet',
            individualId: '2374109628',
            prompt: 'consent',
            claims: { userinfo: { name: { essential: true }, birthdate: { essential: true } } },
        })
        const dhis2Key = readJwk(path.join(DEV_KEYS_DIR, 'dhis2-client.private.dev.jwk.json'))
        const { json } = await tokenRequest(tokenEndpoint, {
            grant_type: 'authorization_code',
            code: flow.code,
            redirect_uri: 'http://localhost:8080/oauth2/code/esignet',
            client_assertion_type: ASSERTION_TYPE,
            client_assertion: await clientAssertion({
                clientId: 'dhis2-staff',
                privateJwk: dhis2Key,
                aud: tokenEndpoint,
            }),
            code_verifier: flow.codeVerifier,
        })
        const userinfo = await fetch(`${server.url}${PATHS.userinfo}`, {
            headers: { Authorization: `Bearer ${String(json.access_token)}` },
        })
        const claims = decodeJwt(await userinfo.text())
        expect(claims.sub).toBe(pairwiseSub('2374109628', 'dhis2-staff'))
        expect(claims.sub).not.toBe(pairwiseSub('2374109628', RELAY))
        expect(claims.name).toBe('Ruwan Senanayake')
        expect(claims).not.toHaveProperty('birthdate')
    })
})

describe('authorization: refusals on the sign-in pages', () => {
    test('wrong OTP and unknown individual ID are refused on the page', async () => {
        const { browser, response } = await startAuthorization({
            baseUrl: server.url,
            clientId: RELAY,
            redirectUri: RELAY_REDIRECT,
            individualId: NIMALI,
        })
        const interactionUrl = location(response, server.url)
        const unknown = await browser.postForm(`${interactionUrl}/login`, [
            ['individualId', '1111111111'],
        ])
        expect(unknown.status).toBe(400)
        expect(await unknown.text()).toContain('data-error-code="invalid_individual_id"')
        await browser.postForm(`${interactionUrl}/login`, [['individualId', NIMALI]])
        const wrongOtp = await browser.postForm(`${interactionUrl}/otp`, [['otp', '222222']])
        expect(wrongOtp.status).toBe(400)
        expect(await wrongOtp.text()).toContain('data-error-code="auth_failed"')
    })

    test('another browser cannot use the interaction', async () => {
        const { response } = await startAuthorization({
            baseUrl: server.url,
            clientId: RELAY,
            redirectUri: RELAY_REDIRECT,
            individualId: NIMALI,
        })
        const interactionUrl = location(response, server.url)
        const stranger = await new Browser().postForm(`${interactionUrl}/login`, [
            ['individualId', NIMALI],
        ])
        expect(stranger.status).toBe(400)
        expect(await stranger.text()).toContain('invalid_transaction')
    })

    test('cancel redirects back with consent_request_rejected and the state', async () => {
        const { browser, response, state } = await startAuthorization({
            baseUrl: server.url,
            clientId: RELAY,
            redirectUri: RELAY_REDIRECT,
            individualId: NIMALI,
        })
        const interactionUrl = location(response, server.url)
        const cancelled = await browser.postForm(`${interactionUrl}/cancel`, [])
        const resume = await browser.get(location(cancelled, server.url))
        const callback = new URL(resume.headers.get('location') ?? '')
        expect(`${callback.origin}${callback.pathname}`).toBe(RELAY_REDIRECT)
        expect(callback.searchParams.get('error')).toBe('consent_request_rejected')
        expect(callback.searchParams.get('state')).toBe(state)
        expect(callback.searchParams.has('code')).toBe(false)
    })

    test.each([
        [
            'no PKCE challenge',
            { code_challenge: undefined, code_challenge_method: undefined },
            'invalid_pkce_challenge',
        ],
        ['plain PKCE', { code_challenge_method: 'plain' }, 'unsupported_pkce_challenge_method'],
        [
            'unregistered redirect_uri',
            { redirect_uri: 'http://localhost:8080/evil' },
            'invalid_redirect_uri',
        ],
        ['unknown client', { client_id: 'nobody' }, 'invalid_client_id'],
        [
            'malformed claims',
            { claims: '{"userinfo":{"name":{"essential":"yes"}}}' },
            'invalid_claim',
        ],
    ])('%s is shown on the error page, not redirected', async (_label, extra, code) => {
        const { response } = await startAuthorization({
            baseUrl: server.url,
            clientId: RELAY,
            redirectUri: RELAY_REDIRECT,
            individualId: NIMALI,
            extra,
        })
        expect(response.status).toBe(400)
        expect(response.headers.get('location')).toBeNull()
        expect(await response.text()).toContain(`data-error-code="${code}"`)
    })
})

async function userinfoClaims(
    code: string,
    codeVerifier: string
): Promise<Record<string, unknown>> {
    const { response, json } = await redeem(code, codeVerifier)
    expect(response.status).toBe(200)
    const userinfo = await fetch(`${server.url}${PATHS.userinfo}`, {
        headers: { Authorization: `Bearer ${String(json.access_token)}` },
    })
    expect(userinfo.status).toBe(200)
    return (await jwtVerify(await userinfo.text(), await identitySystemKey())).payload as Record<
        string,
        unknown
    >
}

describe('token endpoint rejects what eSignet rejects, with eSignet codes', () => {
    test('assertion signed with the wrong key: 400 invalid_assertion, code still usable', async () => {
        const flow = await relayFlow()
        const { privateKey } = await generateKeyPair('RS256', { extractable: true })
        const wrong = { ...(await exportJWK(privateKey)), kid: relayKey.kid }
        const rejected = await redeem(flow.code, flow.codeVerifier, { privateJwk: wrong })
        expect(rejected.response.status).toBe(400)
        expect(rejected.json).toEqual({
            error: 'invalid_assertion',
            error_description: 'invalid_assertion',
        })
        const accepted = await redeem(flow.code, flow.codeVerifier)
        expect(accepted.response.status).toBe(200)
    })

    test('client_secret_post (no assertion): 400 invalid_assertion_type', async () => {
        const flow = await relayFlow()
        const { response, json } = await tokenRequest(tokenEndpoint, {
            grant_type: 'authorization_code',
            code: flow.code,
            redirect_uri: RELAY_REDIRECT,
            client_id: RELAY,
            client_secret: 'secret',
            code_verifier: flow.codeVerifier,
        })
        expect(response.status).toBe(400)
        expect(json.error).toBe('invalid_assertion_type')
    })

    test('missing code_verifier: 500 invalid_pkce_code_verifier; wrong one: 500 pkce_failed', async () => {
        const flow = await relayFlow()
        const missing = await redeem(flow.code, undefined)
        expect(missing.response.status).toBe(500)
        expect(missing.json.error).toBe('invalid_pkce_code_verifier')
        const wrong = await redeem(flow.code, 'a'.repeat(43))
        expect(wrong.response.status).toBe(500)
        expect(wrong.json.error).toBe('pkce_failed')
    })

    test('a reused jti is rejected: 400 invalid_assertion', async () => {
        const first = await relayFlow()
        const second = await relayFlow()
        const jti = `jti-${Date.now()}`
        expect((await redeem(first.code, first.codeVerifier, { jti })).response.status).toBe(200)
        const replay = await redeem(second.code, second.codeVerifier, { jti })
        expect(replay.response.status).toBe(400)
        expect(replay.json.error).toBe('invalid_assertion')
    })

    test.each([
        ['the issuer', () => server.url],
        ['the token-issuer', () => `${server.url}/v1/esignet`],
        ['the v1 token endpoint', () => `${server.url}/v1/esignet/oauth/token`],
        ['the endpoint with a trailing slash', () => `${tokenEndpoint}/`],
    ])('aud = %s is rejected: 400 invalid_assertion', async (_label, aud) => {
        const flow = await relayFlow()
        const { response, json } = await redeem(flow.code, flow.codeVerifier, { aud: aud() })
        expect(response.status).toBe(400)
        expect(json.error).toBe('invalid_assertion')
    })

    test('sub different from client_id, or a non-RS256 assertion: 400 invalid_assertion', async () => {
        const flow = await relayFlow()
        expect(
            (await redeem(flow.code, flow.codeVerifier, { sub: 'someone-else' })).json.error
        ).toBe('invalid_assertion')
        expect((await redeem(flow.code, flow.codeVerifier, { alg: 'PS256' })).json.error).toBe(
            'invalid_assertion'
        )
    })

    test('a used code and an unknown code: 400 invalid_transaction', async () => {
        const flow = await relayFlow()
        expect((await redeem(flow.code, flow.codeVerifier)).response.status).toBe(200)
        const reused = await redeem(flow.code, flow.codeVerifier)
        expect(reused.response.status).toBe(400)
        expect(reused.json.error).toBe('invalid_transaction')
        const unknown = await redeem('x'.repeat(43), flow.codeVerifier)
        expect(unknown.json.error).toBe('invalid_transaction')
    })

    test('redirect_uri different from the authorize one: 400 invalid_redirect_uri', async () => {
        const flow = await relayFlow()
        const other = 'http://localhost:8080/api/apps/anc-doctor/esignet-callback.html'
        const { response, json } = await redeem(
            flow.code,
            flow.codeVerifier,
            {},
            { redirect_uri: other }
        )
        expect(response.status).toBe(400)
        expect(json.error).toBe('invalid_redirect_uri')
    })

    test('wrong grant_type: 400 invalid_grant_type', async () => {
        const { json } = await tokenRequest(tokenEndpoint, { grant_type: 'client_credentials' })
        expect(json.error).toBe('invalid_grant_type')
    })
})

describe('userinfo and CORS', () => {
    test('userinfo without a token, or with a bad one: 401, empty body, error="invalid_token"', async () => {
        const attempts: Record<string, string>[] = [{}, { Authorization: 'Bearer not-a-token' }]
        for (const headers of attempts) {
            const response = await fetch(`${server.url}${PATHS.userinfo}`, { headers })
            expect(response.status).toBe(401)
            expect(await response.text()).toBe('')
            expect(response.headers.get('www-authenticate')).toBe('error="invalid_token"')
        }
    })

    test('no CORS on token or userinfo, for browsers of a registered redirect origin too', async () => {
        const origin = 'http://localhost:8080'
        for (const p of [PATHS.token, PATHS.userinfo]) {
            const preflight = await fetch(`${server.url}${p}`, {
                method: 'OPTIONS',
                headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
            })
            expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
            expect(preflight.status).toBeGreaterThanOrEqual(400)
        }
        const flow = await relayFlow()
        const token = await tokenRequest(tokenEndpoint, {
            grant_type: 'authorization_code',
            code: flow.code,
            redirect_uri: RELAY_REDIRECT,
            client_assertion_type: ASSERTION_TYPE,
            client_assertion: await clientAssertion({
                clientId: RELAY,
                privateJwk: relayKey,
                aud: tokenEndpoint,
            }),
            code_verifier: flow.codeVerifier,
        })
        expect(token.response.headers.get('access-control-allow-origin')).toBeNull()
        const userinfo = await fetch(`${server.url}${PATHS.userinfo}`, {
            headers: { Authorization: `Bearer ${String(token.json.access_token)}`, Origin: origin },
        })
        expect(userinfo.status).toBe(200)
        expect(userinfo.headers.get('access-control-allow-origin')).toBeNull()
    })

    test('a client registered for JWE gets userinfo encrypted to its key, signed inside', async () => {
        const redirectUri = 'http://127.0.0.1:9/callback'
        const flow = await authorize({
            baseUrl: server.url,
            clientId: 'jwe-test-client',
            redirectUri,
            individualId: NIMALI,
            claims: { userinfo: { name: { essential: true }, birthdate: { essential: true } } },
        })
        const { json } = await tokenRequest(tokenEndpoint, {
            grant_type: 'authorization_code',
            code: flow.code,
            redirect_uri: redirectUri,
            client_assertion_type: ASSERTION_TYPE,
            client_assertion: await clientAssertion({
                clientId: 'jwe-test-client',
                privateJwk: jweClientKey,
                aud: tokenEndpoint,
            }),
            code_verifier: flow.codeVerifier,
        })
        const response = await fetch(`${server.url}${PATHS.userinfo}`, {
            headers: { Authorization: `Bearer ${String(json.access_token)}` },
        })
        const jwe = await response.text()
        expect(jwe.split('.')).toHaveLength(5)
        const { plaintext, protectedHeader } = await compactDecrypt(
            jwe,
            await importPrivate(jweClientKey)
        )
        expect(protectedHeader.alg).toBe('RSA-OAEP-256')
        expect(protectedHeader.enc).toBe('A256GCM')
        const inner = await jwtVerify(
            new TextDecoder().decode(plaintext),
            await identitySystemKey()
        )
        expect(inner.payload.birthdate).toBe('1996/05/14')
    })
})

async function importPrivate(jwk: JWK) {
    const { importJWK } = await import('jose')
    return importJWK(jwk, 'RSA-OAEP-256')
}

test('a taken port gives a message that names the service, the port and ESIGNET_PORT', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, resolve))
    const port = (blocker.address() as { port: number }).port
    try {
        await expect(startEsignet({ port, dataDir: dir, quiet: true })).rejects.toThrow(
            new RegExp(`Port ${port} for the esignet stand-in is already taken.*ESIGNET_PORT`)
        )
    } finally {
        await new Promise((resolve) => blocker.close(resolve))
    }
})
