/**
 * The eSignet client's trust checks (issue 16 point 6, issue 22 eSignet 1-3), each proved over a
 * real socket against a hostile eSignet: the relay listens on a port and is called with fetch.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { generateKeyPair, importJWK } from 'jose'
import type { Behaviour } from '../test-support/hostile-issuer'
import {
    PATIENT_REDIRECT_URI,
    REDIRECT_URI,
    ROUTE_SECRET,
    startFixture,
    type Fixture,
} from '../test-support/fixture'

const SUB = 'pairwise-sub-of-the-midwife'
const now = () => Math.floor(Date.now() / 1000)

async function listening(f: Fixture): Promise<string> {
    return f.relay.listen({ host: '127.0.0.1', port: 0 })
}

async function post(base: string, route: string, body: unknown) {
    const response = await fetch(`${base}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-anc-route-secret': ROUTE_SECRET },
        body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('id_token and redirect checks, over HTTP', () => {
    let f: Fixture
    let base: string
    beforeAll(async () => {
        f = await startFixture()
        base = await listening(f)
    })
    afterAll(() => f.close())
    beforeEach(() => {
        f.issuer.behaviour = {}
    })

    const refused: [string, Behaviour, number, string, RegExp][] = [
        [
            // a static PIN when the relay asked for OTP (ESIGNET_ACR_VALUES)
            'a weaker acr',
            { idTokenClaims: { acr: 'mosip:idp:acr:static-code' } },
            401,
            'insufficient_acr',
            /accepted authentication method/,
        ],
        ['no acr', { idTokenClaims: { acr: undefined } }, 401, 'insufficient_acr', /method/],
        [
            'an at_hash of another access token',
            { idTokenClaims: { at_hash: 'AAAAAAAAAAAAAAAAAAAAAA' } },
            502,
            'invalid_id_token',
            /at_hash does not match/,
        ],
        [
            'no at_hash',
            { idTokenClaims: { at_hash: undefined } },
            502,
            'invalid_id_token',
            /no at_hash/,
        ],
        [
            'a foreign azp',
            { idTokenClaims: { azp: 'another-client' } },
            502,
            'invalid_id_token',
            /azp is another client/,
        ],
        [
            'an iat two minutes in the future (beyond the 60 s tolerance)',
            { idTokenClaims: { iat: now() + 120, exp: now() + 3600 } },
            502,
            'invalid_id_token',
            /"iat"/,
        ],
        [
            'an id_token eleven minutes old, still unexpired',
            { idTokenClaims: { iat: now() - 660, exp: now() + 3000 } },
            502,
            'invalid_id_token',
            /too long ago/,
        ],
    ]

    it.each(refused)('refuses %s', async (_what, behaviour, status, error, message) => {
        f.issuer.behaviour = behaviour
        const answer = await post(base, '/staff/exchange', f.login(SUB))
        expect(answer).toEqual({ status, body: { error, message: expect.stringMatching(message) } })
        expect(f.fhir.writes).toEqual([])
    })

    it("accepts an iat 45 s ahead (eSignet's own clock)", async () => {
        f.issuer.behaviour = { idTokenClaims: { iat: now() + 45, exp: now() + 3600 } }
        expect((await post(base, '/staff/exchange', f.login(SUB))).status).toBe(200)
    })

    it('never opens a patient session with a code issued to a staff app, and back', async () => {
        const calls = f.issuer.tokenCalls
        const staffCode = f.login(SUB)
        const atPatient = await post(base, '/patient/session', staffCode)
        expect(atPatient.status).toBe(400)
        expect(atPatient.body.error).toBe('redirect_uri_not_allowed')
        // Naming the patient callback does not help: eSignet binds the code to its redirect URI.
        const relabelled = await post(base, '/patient/session', {
            ...staffCode,
            redirectUri: PATIENT_REDIRECT_URI,
        })
        expect(relabelled.status).toBe(400)
        expect(relabelled.body.error).toBe('invalid_redirect_uri')
        const patientCode = f.login(SUB, undefined, 'patient')
        const atStaff = await post(base, '/staff/exchange', patientCode)
        expect(atStaff.body.error).toBe('redirect_uri_not_allowed')
        expect(f.issuer.tokenCalls).toBe(calls + 1)
        expect(staffCode.redirectUri).toBe(REDIRECT_URI)
    })

    // ExceptionHandlerAdvice + messages.properties (mosip/esignet v1.7.1): codes collapse, the
    // message tells them apart.
    it.each([
        ['invalid_request', 'Proof key challenge exchange failed.', 400, 'pkce_failed'],
        [
            'invalid_grant',
            'Invalid transaction or transaction expired.',
            400,
            'invalid_transaction',
        ],
        ['invalid_client', 'Invalid Client assertion.', 502, 'invalid_assertion'],
        ['invalid_request', 'KYC data exchange failed.', 502, 'data_exchange_failed'],
        ['invalid_grant', 'Something new.', 400, 'invalid_grant'],
    ])('reads a 1.7+ token error %s "%s" as %s %s', async (error, description, status, code) => {
        f.issuer.behaviour = { tokenError: { status: 400, error, error_description: description } }
        const answer = await post(base, '/staff/exchange', f.login(SUB))
        expect(answer.status).toBe(status)
        expect(answer.body.error).toBe(code)
    })
})

describe("userinfo signed by the identity system's key (MOSIP mock identity system)", () => {
    // esignet-mock-services v0.11.2 AuthenticationServiceImpl.signKyc; mosip/esignet#2417.
    it("is refused with eSignet's JWKS alone", async () => {
        const f = await startFixture()
        try {
            f.issuer.behaviour = { userinfoSignedByIdentitySystem: true }
            const answer = await post(await listening(f), '/staff/exchange', f.login(SUB))
            expect(answer.status).toBe(502)
            expect(answer.body).toEqual({
                error: 'invalid_userinfo',
                message: expect.stringMatching(/key not in/),
            })
        } finally {
            await f.close()
        }
    })

    it("is accepted with the identity system's JWKS URL, and a third key still is not", async () => {
        const f = await startFixture((issuer) => ({
            ESIGNET_IDENTITY_SYSTEM_JWKS_URL: issuer.identitySystemJwksUrl,
        }))
        try {
            const base = await listening(f)
            f.issuer.behaviour = { userinfoSignedByIdentitySystem: true }
            const answer = await post(base, '/staff/exchange', f.login(SUB))
            expect(answer.status).toBe(200)
            expect(answer.body.claims).toEqual({
                name: 'Nimali Perera',
                birthdate: '1994/03/12',
                gender: 'Female',
            })
            // eSignet's own key still verifies (IDA's keys are in its JWKS).
            f.issuer.behaviour = {}
            expect((await post(base, '/staff/exchange', f.login(SUB))).status).toBe(200)
            const { privateKey } = await generateKeyPair('RS256')
            f.issuer.behaviour = {
                userinfo: async (claims, issuer) => ({
                    contentType: 'application/jwt',
                    body: await issuer.sign(claims, { key: privateKey, kid: 'identity-system-1' }),
                }),
            }
            const forged = await post(base, '/staff/exchange', f.login(SUB))
            expect(forged.status).toBe(502)
            expect(forged.body).toEqual({
                error: 'invalid_userinfo',
                message: expect.stringMatching(/neither in eSignet's key set nor/),
            })
        } finally {
            await f.close()
        }
    })

    it('is accepted with a pinned certificate of the identity system', async () => {
        const f = await startFixture({
            ESIGNET_IDENTITY_SYSTEM_CERTIFICATE_FILE: path.resolve(
                __dirname,
                '../../devstack/keys/mock-identity-system.dev.cert.pem'
            ),
        })
        try {
            const base = await listening(f)
            // Signed with the committed development key whose certificate is pinned.
            const jwk = JSON.parse(
                readFileSync(
                    path.resolve(
                        __dirname,
                        '../../devstack/keys/mock-identity-system.private.dev.jwk.json'
                    ),
                    'utf8'
                )
            )
            const key = await importJWK(jwk, 'RS256')
            f.issuer.behaviour = {
                userinfo: async (claims, issuer) => ({
                    contentType: 'application/jwt',
                    body: await issuer.sign(claims, { key: key as CryptoKey, kid: jwk.kid }),
                }),
            }
            expect((await post(base, '/staff/exchange', f.login(SUB))).status).toBe(200)
        } finally {
            await f.close()
        }
    })
})

describe('production mode (RELAY_MODE=production, the default)', () => {
    /** Starts the relay's real entry point with these settings; resolves its exit and stderr. */
    function startRelayProcess(env: Record<string, string>) {
        return new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn(
                process.execPath,
                ['--import', 'tsx', path.resolve(__dirname, 'main.ts')],
                {
                    cwd: path.resolve(__dirname, '../..'),
                    env: { PATH: process.env.PATH ?? '', ...env },
                    stdio: ['ignore', 'ignore', 'pipe'],
                }
            )
            let stderr = ''
            child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
            const timer = setTimeout(() => child.kill('SIGKILL'), 20000)
            child.on('exit', (code) => {
                clearTimeout(timer)
                resolve({ code, stderr })
            })
        })
    }

    it('refuses to start with an http eSignet or the committed development key, naming them', async () => {
        const { code, stderr } = await startRelayProcess({
            ESIGNET_ISSUER: 'http://esignet.example.lk',
            ESIGNET_CLIENT_ID: 'anc-relay',
            ESIGNET_CLIENT_PRIVATE_KEY_FILE: 'devstack/keys/relay-client.private.dev.jwk.json',
            RELAY_STAFF_REDIRECT_URIS: 'https://dhis2.example.lk/api/apps/anc-doctor/cb.html',
            RELAY_PATIENT_REDIRECT_URIS: 'https://dhis2.example.lk/api/apps/login/cb.html',
            FHIR_BASE_URL: 'https://fhir.example.lk/fhir',
            RELAY_ROUTE_SECRET: 'r'.repeat(40),
            RELAY_SESSION_SECRET: 's'.repeat(40),
        })
        expect(code).toBe(2)
        expect(stderr).toMatch(/ESIGNET_ISSUER: must use https in production/)
        expect(stderr).toMatch(/ESIGNET_CLIENT_PRIVATE_KEY_FILE: is the committed development key/)
    }, 30000)
})
