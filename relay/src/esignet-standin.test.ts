/**
 * The relay against the eSignet stand-in (devstack/src/esignet), one stand-in process per eSignet
 * version and identity system: the compatibility table in relay/README.md, row by row. Each row
 * logs in through the stand-in's own pages (individual ID, OTP 111111, consent) and redeems the
 * code through the relay over HTTP, with exactly the settings the row says it needs, and shows
 * the relay failing without them. Sources: mosip/esignet v1.6.2/v1.7.1/v1.8.0,
 * esignet-mock-services v0.11.2 AuthenticationServiceImpl (userinfo signed by the identity
 * system's own key; mosip/esignet#2417).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import type { FastifyInstance } from 'fastify'
import { pairwiseSub } from '../../devstack/src/common/pairwise'
import { authorize } from '../../devstack/test-support/esignet-flow'
import { FhirDouble } from '../test-support/fhir-double'
import {
    LogCapture,
    PATIENT_REDIRECT_URI,
    REDIRECT_URI,
    ROUTE_SECRET,
    testRelaySettings,
} from '../test-support/fixture'
import { buildRelay } from './app'
import { parseSettings } from './config'

const NIMALI = '5860125421'
const REPO = path.resolve(__dirname, '../..')
const DEV_KEYS_DIR = path.join(REPO, 'devstack/keys')
const IDENTITY_SYSTEM_CERTIFICATE = path.join(DEV_KEYS_DIR, 'mock-identity-system.dev.cert.pem')

const root = mkdtempSync(path.join(tmpdir(), 'relay-esignet-'))
const children: ChildProcess[] = []
let fhir: FhirDouble

beforeAll(async () => {
    fhir = await FhirDouble.start('relay-service', 'fhir-password')
    fhir.add({
        resourceType: 'Patient',
        id: 'nimali',
        identifier: [{ system: 'urn:esignet:sub', value: pairwiseSub(NIMALI, 'anc-relay') }],
    })
})

afterAll(async () => {
    await fhir?.close()
    await Promise.all(
        children
            .filter((child) => child.exitCode === null)
            .map((child) => {
                const exited = new Promise((resolve) => child.once('exit', resolve))
                child.kill('SIGTERM')
                return exited
            })
    )
    rmSync(root, { recursive: true, force: true })
})

/** Starts a stand-in process with these ESIGNET_* settings (test-support/esignet-standin-process.ts). */
async function standIn(env: Record<string, string>): Promise<{ url: string; stop(): void }> {
    const child = spawn(
        process.execPath,
        [
            '--import',
            'tsx',
            path.join(__dirname, '../test-support/esignet-standin-process.ts'),
            mkdtempSync(path.join(root, 'esignet-')),
        ],
        { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } }
    )
    children.push(child)
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    const first = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve)
        child.once('exit', (code) => reject(new Error(`eSignet stand-in exited (${code})`)))
    })
    lines.close()
    return { ...(JSON.parse(first) as { url: string }), stop: () => child.kill('SIGTERM') }
}

interface RunningRelay {
    url: string
    app: FastifyInstance
    log: LogCapture
    close(): Promise<void>
}

/** A relay listening on a real socket, configured through the production settings parser. */
async function relayFor(
    esignetUrl: string,
    settings: Record<string, string>
): Promise<RunningRelay> {
    const config = await parseSettings({
        ESIGNET_ISSUER: esignetUrl,
        ESIGNET_CLIENT_ID: 'anc-relay',
        ESIGNET_CLIENT_PRIVATE_KEY_FILE: path.join(
            DEV_KEYS_DIR,
            'relay-client.private.dev.jwk.json'
        ),
        ...testRelaySettings(fhir),
        RELAY_COOKIE_SECURE: 'false',
        ...settings,
    })
    const log = new LogCapture()
    const app = await buildRelay(config, { logStream: log })
    const url = await app.listen({ host: '127.0.0.1', port: 0 })
    return { url, app, log, close: () => app.close() }
}

async function login(esignetUrl: string, redirectUri: string, relay: RunningRelay) {
    const config = (await (await fetch(`${relay.url}/config`)).json()) as {
        claims: unknown
        claimsLocales: string[]
    }
    return authorize({
        baseUrl: esignetUrl,
        clientId: 'anc-relay',
        redirectUri,
        individualId: NIMALI,
        claims: config.claims,
        claimsLocales: config.claimsLocales.join(' '),
    })
}

async function post(relay: RunningRelay, route: string, body: unknown) {
    const response = await fetch(`${relay.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-anc-route-secret': ROUTE_SECRET },
        body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function staffLogin(esignetUrl: string, relay: RunningRelay) {
    const { code, codeVerifier, nonce } = await login(esignetUrl, REDIRECT_URI, relay)
    return post(relay, '/staff/exchange', { code, codeVerifier, redirectUri: REDIRECT_URI, nonce })
}

/** The rows of relay/README.md "eSignet versions": what each eSignet and identity system needs. */
const ROWS: [string, Record<string, string>, Record<string, string>][] = [
    ['1.5 with the mock', { ESIGNET_VERSION: '1.5.1' }, { mock: 'yes' }],
    ['1.6 with the mock', { ESIGNET_VERSION: '1.6.2' }, { mock: 'yes' }],
    ['1.6 with IDA', { ESIGNET_VERSION: '1.6.2', ESIGNET_IDENTITY_SYSTEM: 'ida' }, {}],
    ['1.7 with the mock', { ESIGNET_VERSION: '1.7.1' }, { mock: 'yes' }],
    ['1.7 with IDA', { ESIGNET_VERSION: '1.7.1', ESIGNET_IDENTITY_SYSTEM: 'ida' }, {}],
    ['1.8 with the mock', { ESIGNET_VERSION: '1.8.0' }, { mock: 'yes' }],
    ['1.8 with IDA', { ESIGNET_VERSION: '1.8.0', ESIGNET_IDENTITY_SYSTEM: 'ida' }, {}],
]

describe.each(ROWS)('eSignet %s', (_row, esignetEnv, needs) => {
    // eSignet on its own host: its clock 45 s ahead, as npm start and the journeys run it.
    let esignet: { url: string; stop(): void }
    beforeAll(async () => {
        esignet = await standIn({ ...esignetEnv, ESIGNET_CLOCK_OFFSET_SECONDS: '45' })
    }, 30000)
    afterAll(() => esignet.stop())

    const needed: Record<string, string> = needs.mock
        ? { ESIGNET_IDENTITY_SYSTEM_CERTIFICATE_FILE: IDENTITY_SYSTEM_CERTIFICATE }
        : {}

    it('verifies a staff login and opens a patient session with what the row needs', async () => {
        const relay = await relayFor(esignet.url, needed)
        try {
            const staff = await staffLogin(esignet.url, relay)
            expect(staff.status).toBe(200)
            expect(staff.body.sub).toBe(pairwiseSub(NIMALI, 'anc-relay'))
            expect(staff.body.claims).toMatchObject({ name: 'Nimali Perera', gender: 'Female' })
            expect(staff.body.claims).not.toHaveProperty('iat')

            const patient = await login(esignet.url, PATIENT_REDIRECT_URI, relay)
            const session = await post(relay, '/patient/session', {
                code: patient.code,
                codeVerifier: patient.codeVerifier,
                redirectUri: PATIENT_REDIRECT_URI,
                nonce: patient.nonce,
            })
            expect(session).toEqual({ status: 200, body: { linked: true } })

            // Codes are single use: the relay passes eSignet's verdict on (1.7+ says it only in
            // error_description; the relay still tells the browser to start again).
            const replay = await post(relay, '/staff/exchange', {
                code: patient.code,
                codeVerifier: patient.codeVerifier,
                redirectUri: REDIRECT_URI,
                nonce: patient.nonce,
            })
            expect(replay.status).toBe(400)
            expect(['invalid_transaction', 'invalid_redirect_uri']).toContain(replay.body.error)
        } finally {
            await relay.close()
        }
    }, 30000)

    if (needs.mock) {
        it("fails every login without the identity system's certificate", async () => {
            const relay = await relayFor(esignet.url, {})
            try {
                const staff = await staffLogin(esignet.url, relay)
                expect(staff.status).toBe(502)
                expect(staff.body.error).toBe('invalid_userinfo')
            } finally {
                await relay.close()
            }
        }, 30000)
    }

    it("fails with the old 5 s clock tolerance (eSignet's clock is 45 s ahead)", async () => {
        const relay = await relayFor(esignet.url, {
            ...needed,
            ESIGNET_CLOCK_TOLERANCE_SECONDS: '5',
        })
        try {
            const staff = await staffLogin(esignet.url, relay)
            expect(staff.status).toBe(502)
            expect(staff.body).toEqual({
                error: 'invalid_id_token',
                message: expect.stringMatching(/"iat"/),
            })
        } finally {
            await relay.close()
        }
    }, 30000)
})

describe('client rules read from discovery at start-up', () => {
    it('signs PS256 assertions for eSignet 1.7 when asked, and refuses to start with PS256 on 1.6', async () => {
        const esignet17 = await standIn({ ESIGNET_VERSION: '1.7.1' })
        const esignet16 = await standIn({ ESIGNET_VERSION: '1.6.2' })
        try {
            const settings = {
                ESIGNET_CLIENT_ASSERTION_ALG: 'PS256',
                ESIGNET_IDENTITY_SYSTEM_CERTIFICATE_FILE: IDENTITY_SYSTEM_CERTIFICATE,
            }
            const relay = await relayFor(esignet17.url, settings)
            try {
                expect((await staffLogin(esignet17.url, relay)).status).toBe(200)
            } finally {
                await relay.close()
            }
            // TokenServiceImpl.verifyClientAssertionToken (v1.6.2): RS256 only.
            await expect(relayFor(esignet16.url, settings)).rejects.toThrow(
                /ESIGNET_CLIENT_ASSERTION_ALG=PS256 is not accepted by this eSignet \(it accepts RS256\)/
            )
        } finally {
            esignet17.stop()
            esignet16.stop()
        }
    }, 60000)

    // esignet-server_profile.sql (v1.8.0): fapi2.0 mandates PAR and DPoP for every client.
    it('refuses to start against eSignet 1.8 with the fapi2.0 server profile, saying why', async () => {
        const esignet = await standIn({
            ESIGNET_VERSION: '1.8.0',
            ESIGNET_SERVER_PROFILE: 'fapi2.0',
        })
        try {
            await expect(relayFor(esignet.url, {})).rejects.toThrow(
                /requires pushed authorization requests \(PAR, its fapi2.0 server profile\)/
            )
        } finally {
            esignet.stop()
        }
    }, 30000)
})
