/**
 * What changes between the eSignet versions and identity systems the stand-in models (issue 22,
 * eSignet 1-4), each read in MOSIP's source: mosip/esignet v1.6.2, v1.7.1, v1.8.0 and
 * mosip/esignet-mock-services v0.11.2/v0.13.0. Each stand-in runs in-process on a free port.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose'
import { pairwiseSub } from '../common/pairwise'
import {
    authorize,
    location,
    redeemCode,
    startAuthorization,
    type AuthorizeRequest,
} from '../../test-support/esignet-flow'
import { DEV_KEYS_DIR, PATHS, readJwk, type EsignetOptions } from './config'
import { startEsignet, type EsignetServer } from './server'

const RELAY = 'anc-relay'
const REDIRECT = 'http://localhost:8080/api/apps/anc-registration/esignet-callback.html'
const relayKey = readJwk(path.join(DEV_KEYS_DIR, 'relay-client.private.dev.jwk.json'))
const NIMALI = '5860125421'

const root = mkdtempSync(path.join(tmpdir(), 'esignet-versions-'))
const servers: EsignetServer[] = []
afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()))
    rmSync(root, { recursive: true, force: true })
})

async function start(options: EsignetOptions): Promise<EsignetServer> {
    const server = await startEsignet({
        port: 0,
        quiet: true,
        dataDir: mkdtempSync(path.join(root, 'data-')),
        ...options,
    })
    servers.push(server)
    return server
}

const flow = (server: EsignetServer, overrides: Partial<AuthorizeRequest> = {}) =>
    authorize({
        baseUrl: server.url,
        clientId: RELAY,
        redirectUri: REDIRECT,
        individualId: NIMALI,
        claims: {
            userinfo: {
                name: { essential: true },
                gender: { essential: true },
                individual_id: { essential: false },
            },
        },
        ...overrides,
    })

function redeem(
    server: EsignetServer,
    code: string,
    codeVerifier: string,
    assertion: { alg?: string; aud?: string } = {}
) {
    return redeemCode({
        baseUrl: server.url,
        code,
        codeVerifier,
        redirectUri: REDIRECT,
        clientId: RELAY,
        privateJwk: relayKey,
        assertion,
    })
}

async function userinfoBody(server: EsignetServer, accessToken: string): Promise<string> {
    const response = await fetch(`${server.url}${PATHS.userinfo}`, {
        headers: { Authorization: `Bearer ${accessToken}` },
    })
    expect(response.status).toBe(200)
    return response.text()
}

describe('eSignet 1.6 with the mock identity system (the default)', () => {
    let server: EsignetServer
    beforeAll(async () => {
        server = await start({})
    })

    // TokenServiceImpl.getIDToken (v1.6.2) puts at_hash in every id_token.
    it('binds the access token into the id_token (at_hash)', async () => {
        const { code, codeVerifier } = await flow(server)
        const { json } = await redeem(server, code, codeVerifier)
        const idToken = decodeJwt(String(json.id_token))
        const digest = createHash('sha256').update(String(json.access_token)).digest()
        expect(idToken.at_hash).toBe(digest.subarray(0, 16).toString('base64url'))
    })

    // oidc-ui Authorize.js: JSON.parse(decodeURI(claims)), v1.4.1-v1.8.0.
    it('shows its error page for a claims parameter with a raw % (e.g. in a purpose)', async () => {
        const claims = { userinfo: { name: { essential: true, purpose: 'Fills 100% of it' } } }
        const { response } = await startAuthorization({
            baseUrl: server.url,
            clientId: RELAY,
            redirectUri: REDIRECT,
            individualId: NIMALI,
            claims,
        })
        expect(response.status).toBe(400)
        expect(await response.text()).toContain('data-error-code="parsing_error_msg"')
        // The same purpose written with a JSON escape reads as the same text and passes.
        const escaped = JSON.stringify(claims).replace(/%/g, '\\u0025')
        const fine = await startAuthorization({
            baseUrl: server.url,
            clientId: RELAY,
            redirectUri: REDIRECT,
            individualId: NIMALI,
            extra: { claims: escaped },
        })
        expect(fine.response.status).toBe(303)
    })

    // ClaimDetails.js:229 (v1.6.2): the claim details page's discontinue.
    it('answers a cancel on the claim details page with consent_details_rejected', async () => {
        const { browser, response, state } = await startAuthorization({
            baseUrl: server.url,
            clientId: RELAY,
            redirectUri: REDIRECT,
            individualId: NIMALI,
        })
        const interaction = location(response, server.url)
        await browser.get(interaction)
        const cancelled = await browser.postForm(`${interaction}/cancel`, [
            ['page', 'claim-details'],
        ])
        const resume = await browser.get(location(cancelled, server.url))
        const callback = new URL(location(resume, server.url))
        expect(callback.searchParams.get('error')).toBe('consent_details_rejected')
        expect(callback.searchParams.get('state')).toBe(state)
    })

    it('refuses a PS256 client assertion (RS256 only up to 1.6) and advertises RS256 only', async () => {
        const discovery = (await (
            await fetch(`${server.url}/.well-known/openid-configuration`)
        ).json()) as Record<string, unknown>
        expect(discovery.token_endpoint_auth_signing_alg_values_supported).toEqual(['RS256'])
        expect(discovery).not.toHaveProperty('pushed_authorization_request_endpoint')
        const { code, codeVerifier } = await flow(server)
        const { response, json } = await redeem(server, code, codeVerifier, { alg: 'PS256' })
        expect(response.status).toBe(400)
        expect(json.error).toBe('invalid_assertion')
    })
})

describe('MOSIP ID authentication instead of the mock (ESIGNET_IDENTITY_SYSTEM=ida)', () => {
    let server: EsignetServer
    beforeAll(async () => {
        server = await start({ identitySystem: 'ida' })
    })

    it("signs userinfo with a key in eSignet's JWKS, releases the login ID, tags with 2 letters", async () => {
        const { code, codeVerifier } = await flow(server, { claimsLocales: 'en si' })
        const { json } = await redeem(server, code, codeVerifier)
        const jwks = createRemoteJWKSet(new URL(`${server.url}${PATHS.jwks}`))
        const { payload } = await jwtVerify(
            await userinfoBody(server, String(json.access_token)),
            jwks
        )
        expect(payload.sub).toBe(pairwiseSub(NIMALI, RELAY))
        // The UIN/VID she signed in with, not her NIC.
        expect(payload.individual_id).toBe(NIMALI)
        expect(payload['name#en']).toBe('Nimali Perera')
        expect(payload['name#si']).toBe('නිමාලි පෙරේරා')
        expect(payload).not.toHaveProperty('name#eng')
    })
})

describe('eSignet 1.7', () => {
    let server: EsignetServer
    beforeAll(async () => {
        server = await start({
            version: '1.7.1',
            extraClients: [
                {
                    clientId: 'par-client',
                    name: 'A client registered for PAR',
                    redirectUris: [REDIRECT],
                    publicKey: readJwk(path.join(DEV_KEYS_DIR, 'relay-client.public.dev.jwk.json')),
                    userClaims: ['name'],
                    acrValues: ['mosip:idp:acr:generated-code'],
                    requirePar: true,
                },
            ],
        })
    })

    it('advertises PS256/ES256 assertions, PAR and RFC 9207 in discovery', async () => {
        const discovery = (await (
            await fetch(`${server.url}/.well-known/openid-configuration`)
        ).json()) as Record<string, unknown>
        expect(discovery.token_endpoint_auth_signing_alg_values_supported).toEqual([
            'RS256',
            'PS256',
            'ES256',
        ])
        expect(discovery.pushed_authorization_request_endpoint).toBe(`${server.url}${PATHS.par}`)
        expect(discovery.authorization_response_iss_parameter_supported).toBe(true)
        expect(discovery.require_pushed_authorization_requests).toBe(false)
    })

    // oidc-ui Consent.js (v1.7.1): URLSearchParams({state, code, iss}).
    it('redirects with an encoded query carrying iss, and accepts a PS256 assertion', async () => {
        const result = await flow(server)
        const callback = new URL(result.callback)
        expect(callback.searchParams.get('iss')).toBe(server.url)
        expect(callback.searchParams.get('state')).toBe(result.state)
        const { response, json } = await redeem(server, result.code, result.codeVerifier, {
            alg: 'PS256',
        })
        expect(response.status).toBe(200)
        expect(json.token_type).toBe('Bearer')
    })

    // ExceptionHandlerAdvice.handleOpenIdConnectControllerExceptions (v1.7.1).
    it('answers token errors with OAuth codes, the message as description, 400 and no-store', async () => {
        const result = await flow(server)
        const badVerifier = await redeem(server, result.code, 'x'.repeat(43))
        expect(badVerifier.response.status).toBe(400)
        expect(badVerifier.response.headers.get('cache-control')).toBe('no-store')
        expect(badVerifier.json).toEqual({
            error: 'invalid_request',
            error_description: 'Proof key challenge exchange failed.',
        })
        const unknownCode = await redeem(server, 'no-such-code', result.codeVerifier)
        expect(unknownCode.json.error).toBe('invalid_grant')
        const fresh = await flow(server)
        const wrongAud = await redeem(server, fresh.code, fresh.codeVerifier, {
            aud: `${server.url}/elsewhere`,
        })
        expect(wrongAud.json).toEqual({
            error: 'invalid_client',
            error_description: 'Invalid Client assertion.',
        })
    })

    // AuthorizationServiceImpl.assertPARRequiredIsFalse (v1.7.1).
    it('refuses a plain authorize request from a client registered for PAR', async () => {
        const { response } = await startAuthorization({
            baseUrl: server.url,
            clientId: 'par-client',
            redirectUri: REDIRECT,
            individualId: NIMALI,
        })
        expect(response.status).toBe(400)
        expect(await response.text()).toContain('data-error-code="invalid_request"')
    })
})

describe('eSignet 1.8', () => {
    it('has the fixed issuer and answers a consent cancel with access_denied', async () => {
        const server = await start({ version: '1.8.0' })
        expect(server.tokenIssuer).toBe(server.url)
        const { browser, response } = await startAuthorization({
            baseUrl: server.url,
            clientId: RELAY,
            redirectUri: REDIRECT,
            individualId: NIMALI,
        })
        const interaction = location(response, server.url)
        const cancelled = await browser.postForm(`${interaction}/cancel`, [])
        const resume = await browser.get(location(cancelled, server.url))
        expect(new URL(location(resume, server.url)).searchParams.get('error')).toBe(
            'access_denied'
        )
    })

    // esignet-server_profile.sql (v1.8.0): the fapi2.0 profile mandates PAR and DPoP.
    it('requires PAR for every client under the fapi2.0 server profile', async () => {
        const server = await start({ version: '1.8.0', serverProfile: 'fapi2.0' })
        const discovery = (await (
            await fetch(`${server.url}/.well-known/openid-configuration`)
        ).json()) as Record<string, unknown>
        expect(discovery.require_pushed_authorization_requests).toBe(true)
        const { response } = await startAuthorization({
            baseUrl: server.url,
            clientId: RELAY,
            redirectUri: REDIRECT,
            individualId: NIMALI,
        })
        expect(response.status).toBe(400)
    })

    it('refuses the fapi2.0 profile before 1.8', async () => {
        await expect(start({ version: '1.7.1', serverProfile: 'fapi2.0' })).rejects.toThrow(
            /fapi2.0 needs eSignet 1.8/
        )
    })
})
