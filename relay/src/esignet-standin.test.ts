/**
 * The happy path against the local eSignet stand-in (devstack/src/esignet): a real OpenID
 * provider with eSignet's paths, issuer quirk and private_key_jwt, driven through its own HTML
 * interaction (individual ID, OTP 111111, consent), then redeemed by the relay with the committed
 * development key of the `anc-relay` client.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import type { FastifyInstance } from 'fastify'
import { pairwiseSub } from '../../devstack/src/common/pairwise'
import { authorize } from '../../devstack/test-support/esignet-flow'
import { buildRelay } from './app'
import { parseSettings } from './config'
import { FhirDouble } from '../test-support/fhir-double'
import { LogCapture, REDIRECT_URI, ROUTE_SECRET, testRelaySettings } from '../test-support/fixture'

const NIMALI = '5860125421'
const COOKIE = 'anc-patient-session'

const REPO = path.resolve(__dirname, '../..')
const DEV_KEYS_DIR = path.join(REPO, 'devstack/keys')

let esignet: { url: string }
let child: ChildProcess | undefined
let fhir: FhirDouble
let relay: FastifyInstance
let dir: string
const log = new LogCapture()
let claimsRequest: unknown

beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'relay-esignet-'))
    esignet = await startStandIn(dir)
    fhir = await FhirDouble.start('relay-service', 'fhir-password')
    const config = await parseSettings({
        ESIGNET_ISSUER: esignet.url,
        ESIGNET_CLIENT_ID: 'anc-relay',
        ESIGNET_CLIENT_PRIVATE_KEY_FILE: path.join(
            DEV_KEYS_DIR,
            'relay-client.private.dev.jwk.json'
        ),
        ...testRelaySettings(fhir),
        RELAY_COOKIE_SECURE: 'false',
    })
    relay = await buildRelay(config, { logStream: log })
    claimsRequest = (await relay.inject({ method: 'GET', url: '/config' })).json().claims
}, 30000)

afterAll(async () => {
    await relay?.close()
    await fhir?.close()
    if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child?.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
    }
    rmSync(dir, { recursive: true, force: true })
})

/** Starts the stand-in as a child process (see test-support/esignet-standin-process.ts). */
async function startStandIn(dataDir: string): Promise<{ url: string }> {
    // One process (not the tsx CLI's wrapper and grandchild), so stopping it stops the server.
    child = spawn(
        process.execPath,
        [
            '--import',
            'tsx',
            path.join(__dirname, '../test-support/esignet-standin-process.ts'),
            dataDir,
        ],
        {
            cwd: REPO,
            stdio: ['ignore', 'pipe', 'inherit'],
        }
    )
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    const first = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve)
        child?.once('exit', (code) => reject(new Error(`eSignet stand-in exited (${code})`)))
    })
    lines.close()
    return JSON.parse(first) as { url: string }
}

const login = () =>
    authorize({
        baseUrl: esignet.url,
        clientId: 'anc-relay',
        redirectUri: REDIRECT_URI,
        individualId: NIMALI,
        claims: claimsRequest,
    })

it('verifies a staff login end to end and returns the pairwise sub with the consented claims', async () => {
    const { code, codeVerifier, nonce } = await login()
    const response = await relay.inject({
        method: 'POST',
        url: '/staff/exchange',
        headers: { 'x-anc-route-secret': ROUTE_SECRET },
        payload: { code, codeVerifier, redirectUri: REDIRECT_URI, nonce },
    })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.sub).toBe(pairwiseSub(NIMALI, 'anc-relay'))
    expect(body.acr).toEqual(expect.stringContaining('generated-code'))
    expect(Object.keys(body.claims).join(' ')).toMatch(/name/)
    expect(log.text).not.toContain(code)

    // eSignet codes are single use: the stand-in refuses a replay and the relay passes its code on.
    const replay = await relay.inject({
        method: 'POST',
        url: '/staff/exchange',
        headers: { 'x-anc-route-secret': ROUTE_SECRET },
        payload: { code, codeVerifier, redirectUri: REDIRECT_URI, nonce },
    })
    expect(replay.statusCode).toBe(400)
    expect(replay.json().error).toBe('invalid_transaction')
}, 30000)

it('opens a patient session for the record linked to the verified sub', async () => {
    const sub = pairwiseSub(NIMALI, 'anc-relay')
    fhir.add({
        resourceType: 'Patient',
        id: 'nimali',
        identifier: [{ system: 'urn:esignet:sub', value: sub }],
    })
    const { code, codeVerifier, nonce } = await login()
    const session = await relay.inject({
        method: 'POST',
        url: '/patient/session',
        payload: { code, codeVerifier, redirectUri: REDIRECT_URI, nonce },
    })
    expect(session.statusCode).toBe(200)
    const cookie = session.cookies.find((c) => c.name === COOKIE)
    expect(cookie?.secure).toBeFalsy()
    const record = await relay.inject({
        method: 'GET',
        url: '/patient/record',
        cookies: { [COOKIE]: cookie?.value ?? '' },
    })
    expect(record.statusCode).toBe(200)
    expect(record.json().entry[0].resource.id).toBe('nimali')
    expect(fhir.writes).toEqual([])
}, 30000)
