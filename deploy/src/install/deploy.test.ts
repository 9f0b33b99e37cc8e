import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { ORG_UNITS, SEED_USERS } from '../../../devstack/src/dhis2/seed'
import {
    ADMIN,
    MIDWIFE,
    spawnDhis2,
    type SpawnedDhis2,
    tempDataRoot,
} from '../../../devstack/test-support/dhis2'
import { PROGRAM_ANC } from '@anc/shared/metadata'
import { buildDatastoreDefaults } from '../metadata'
import type { RouteSettings } from '../routes'
import { deploy, type DeployResult } from './deploy'
import { createDhis2Client } from './dhis2-client'

// Against a fresh DHIS2 stand-in (own process, temporary data dir, free port). The stand-in is
// seeded with the same metadata and with development routes; the apps are not installed.
jest.setTimeout(120_000)

let dhis2: SpawnedDhis2
const data = tempDataRoot()
let upstream: http.Server
let upstreamUrl: string
let tinyServer: http.Server | undefined

const repo = path.resolve(__dirname, '../../..')
const APP_DIRS = ['registration-app', 'doctor-app', 'patient-app'].map((d) => path.join(repo, d))

const settings = (overrides: Partial<RouteSettings> = {}): RouteSettings => ({
    relayUrl: `${upstreamUrl}/relay`,
    relaySecret: 'deploy-test-route-secret-0123456789abcdef',
    fhirUrl: `${upstreamUrl}/fhir/`,
    fhirUsername: 'anc-fhir-client',
    fhirPassword: 'fhir-password-1',
    ...overrides,
})

const run = (
    options: {
        dryRun?: boolean
        resetConfig?: boolean
        routes?: RouteSettings
        username?: string
        password?: string
        url?: string
    } = {}
) => {
    const lines: string[] = []
    const username = options.username ?? 'admin'
    const client = createDhis2Client({
        url: options.url ?? dhis2.url,
        username,
        password: options.password ?? 'district',
    })
    const result = deploy(
        {
            client,
            routes: options.routes ?? settings(),
            appDirs: APP_DIRS,
            dryRun: options.dryRun,
            resetConfig: options.resetConfig,
            log: (l) => lines.push(l),
        },
        username
    )
    return { result, lines }
}

const api = async (pathAndQuery: string, init: RequestInit = {}): Promise<unknown> => {
    const response = await fetch(`${dhis2.url}${pathAndQuery}`, {
        ...init,
        headers: {
            authorization: ADMIN,
            // Not on a bodiless DELETE: Fastify refuses an empty JSON body.
            ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(init.headers ?? {}),
        },
    })
    const text = await response.text()
    return text === '' ? undefined : (JSON.parse(text) as unknown)
}

const CLAIMS_KEY = '/api/dataStore/anc/claims-mapping'
const FHIR_KEY = '/api/dataStore/anc/fhir-config'
const PHN_KEY = '/api/dataStore/anc/phn-config'

/** The shipped defaults as the datastore returns them (JSON, no undefined). */
const shipped = JSON.parse(JSON.stringify(buildDatastoreDefaults().anc)) as Record<string, unknown>
const defaults = {
    claims: shipped['claims-mapping'] as Record<string, unknown>,
    fhir: shipped['fhir-config'] as { systems: Record<string, string> },
    phn: shipped['phn-config'] as Record<string, unknown>,
}

interface SharingObject {
    publicAccess: string
    externalAccess: boolean
    userAccesses: { id: string; access: string }[]
}

const uidOf = async (key: string) => ((await api(`${key}/metaData`)) as { id: string }).id

const sharingOf = async (key: string) =>
    ((await api(`/api/sharing?type=dataStore&id=${await uidOf(key)}`)) as { object: SharingObject })
        .object

const setSharing = async (key: string, object: Partial<SharingObject>) =>
    api(`/api/sharing?type=dataStore&id=${await uidOf(key)}`, {
        method: 'POST',
        body: JSON.stringify({ object }),
    })

/** Everything the install touches, as the API shows it. */
const serverState = async () => ({
    apps: await api('/api/apps'),
    routes: await api('/api/routes?fields=*&paging=false'),
    program: await api(`/api/programs/${PROGRAM_ANC}?fields=*`),
    claims: await api(CLAIMS_KEY),
    fhir: await api(FHIR_KEY),
    phn: await api(PHN_KEY),
    sharing: await Promise.all([CLAIMS_KEY, FHIR_KEY, PHN_KEY].map(sharingOf)),
})

/** What the route upstream received: proves which secret DHIS2 now sends. */
const runRoute = async (code: string) =>
    (await api(`/api/routes/${code}/run/echo`, { method: 'POST', body: '{}' })) as {
        url: string
        headers: Record<string, string>
    }

/** What a run changes (or would): a kept configuration is no change. */
const pending = (result: DeployResult) =>
    result.changes.filter((c) => c.action !== 'unchanged' && c.action !== 'kept')

beforeAll(async () => {
    upstream = http.createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ url: req.url, headers: req.headers }))
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    dhis2 = await spawnDhis2(data.dir)
})

afterAll(async () => {
    await dhis2?.stop()
    await new Promise((resolve) => upstream?.close(resolve))
    await new Promise((resolve) => (tinyServer ? tinyServer.close(resolve) : resolve(undefined)))
    data.remove()
})

describe('npm run deploy against a fresh DHIS2', () => {
    it('--dry-run prints the plan and changes nothing', async () => {
        const before = await serverState()
        const { result, lines } = run({ dryRun: true })
        const outcome = await result
        expect(outcome.applied).toBe(0)
        expect(
            pending(outcome).map((c) => `${c.step}:${c.target.split(' ')[0]}:${c.action}`)
        ).toEqual(
            expect.arrayContaining([
                'apps:anc-registration:create',
                'apps:anc-doctor:create',
                'apps:login:create',
                'routes:anc-relay:update',
            ])
        )
        expect(lines.join('\n')).toMatch(/would create/)
        expect(lines.join('\n')).toMatch(/Dry run: \d+ change\(s\) planned, nothing was changed/)
        expect(await serverState()).toEqual(before)
    })

    it('installs the apps, sets the routes with the secrets from the environment, and reports it', async () => {
        const { result, lines } = run()
        const outcome = await result
        expect(outcome.applied).toBeGreaterThan(0)
        const apps = (await api('/api/apps')) as { key: string; version: string }[]
        expect(apps.map((a) => a.key).sort()).toEqual(['anc-doctor', 'anc-registration', 'login'])
        // The routes now point at our upstream and carry the configured secrets.
        const relay = await runRoute('anc-relay')
        expect(relay.url).toBe('/relay/echo')
        expect(relay.headers['x-anc-route-secret']).toBe(settings().relaySecret)
        const fhir = await runRoute('anc-fhir')
        expect(fhir.url).toBe('/fhir/echo')
        expect(fhir.headers.authorization).toBe(
            `Basic ${Buffer.from('anc-fhir-client:fhir-password-1').toString('base64')}`
        )
        expect(lines.join('\n')).toMatch(/Done: \d+ change\(s\) applied/)
        expect(outcome.remoteServersAllowed).toBe(upstreamUrl)
    })

    it('a second run changes nothing, says so, and the API shows the same state', async () => {
        const before = await serverState()
        const { result, lines } = run()
        const outcome = await result
        expect(pending(outcome)).toEqual([])
        expect(outcome.applied).toBe(0)
        expect(lines.join('\n')).toContain('Nothing to change')
        expect(await serverState()).toEqual(before)
    })

    it('notices a rotated secret although DHIS2 never returns secrets, and rewrites only that route', async () => {
        const rotated = settings({ relaySecret: 'rotated-route-secret-abcdefghijklmnopqrstuvwxyz' })
        const outcome = await run({ routes: rotated }).result
        expect(pending(outcome).map((c) => `${c.target}:${c.detail}`)).toEqual([
            'anc-relay:differs: secret',
        ])
        expect((await runRoute('anc-relay')).headers['x-anc-route-secret']).toBe(
            rotated.relaySecret
        )
        // The route description holds a fingerprint, never the secret itself.
        expect(JSON.stringify(await api('/api/routes?fields=*&paging=false'))).not.toContain(
            rotated.relaySecret
        )
        expect(pending(await run({ routes: rotated }).result)).toEqual([])
    })

    it('repairs edited metadata and keeps the clinics assigned to the program on the server', async () => {
        const program = (await api(`/api/programs/${PROGRAM_ANC}?fields=*`)) as Record<
            string,
            unknown
        >
        await api('/api/metadata?importStrategy=CREATE_AND_UPDATE', {
            method: 'POST',
            body: JSON.stringify({ programs: [{ ...program, name: 'Edited by hand' }] }),
        })
        const outcome = await run().result
        const metadata = outcome.changes.find((c) => c.step === 'metadata')
        expect(metadata?.action).toBe('update')
        expect(metadata?.detail).toContain(`programs/${PROGRAM_ANC} (name)`)
        const after = (await api(`/api/programs/${PROGRAM_ANC}?fields=*`)) as Record<
            string,
            unknown
        >
        expect(after.name).toBe('Antenatal care')
        expect(after.organisationUnits).toEqual([
            { id: ORG_UNITS.clinicA },
            { id: ORG_UNITS.clinicB },
        ])
    })

    it("keeps the operator's configuration, says so, and names the settings the apps would ignore", async () => {
        // What an operator stored: one valid change (FHIR) and one the apps refuse (PHN).
        const fhir = {
            ...defaults.fhir,
            systems: { ...defaults.fhir.systems, phn: 'https://moh.example.lk/fhir/phn' },
        }
        const phn = { ...defaults.phn, serialLength: 99 }
        await api(FHIR_KEY, { method: 'PUT', body: JSON.stringify(fhir) })
        await api(PHN_KEY, { method: 'PUT', body: JSON.stringify(phn) })

        // The dry run already shows all of it.
        const dry = run({ dryRun: true })
        await dry.result
        expect(dry.lines.join('\n')).toContain(
            'ignored by the apps: phn-config.serialLength: must be an integer from 1 to 30'
        )

        const { result, lines } = run()
        const outcome = await result
        const datastore = outcome.changes.filter((c) => c.step === 'datastore')
        expect(datastore.map((c) => `${c.target}:${c.action}`)).toEqual([
            'anc/claims-mapping:unchanged',
            'anc/fhir-config:kept',
            'anc/phn-config:kept',
        ])
        expect(datastore.find((c) => c.target === 'anc/fhir-config')?.problems).toEqual([])
        expect(datastore.find((c) => c.target === 'anc/phn-config')?.problems).toEqual([
            { path: 'phn-config.serialLength', reason: 'must be an integer from 1 to 30' },
        ])
        const output = lines.join('\n')
        expect(output).toMatch(/anc\/fhir-config +kept \(differs from the shipped default/)
        expect(output).toContain(
            'ignored by the apps: phn-config.serialLength: must be an integer from 1 to 30'
        )
        expect(output).toMatch(/Warning: .*--reset-config/)
        // Kept is not a change: the run is a no-op and leaves both values as they were.
        expect(pending(outcome)).toEqual([])
        expect(output).toContain('Nothing to change')
        expect(await api(FHIR_KEY)).toEqual(fhir)
        expect(await api(PHN_KEY)).toEqual(phn)
        expect(await api(`${FHIR_KEY}.previous`)).toEqual(
            expect.objectContaining({ httpStatusCode: 404 })
        )
    })

    it('--reset-config restores the shipped defaults and keeps the old values beside them', async () => {
        const before = { fhir: await api(FHIR_KEY), phn: await api(PHN_KEY) }
        const dry = await run({ dryRun: true, resetConfig: true }).result
        expect(pending(dry).map((c) => `${c.target}:${c.action}`)).toEqual([
            'anc/fhir-config:update',
            'anc/phn-config:update',
        ])
        expect(await api(FHIR_KEY)).toEqual(before.fhir)

        const outcome = await run({ resetConfig: true }).result
        expect(outcome.applied).toBe(2)
        expect(await api(FHIR_KEY)).toEqual(defaults.fhir)
        expect(await api(PHN_KEY)).toEqual(defaults.phn)
        expect(await api(`${FHIR_KEY}.previous`)).toEqual(before.fhir)
        expect(await api(`${PHN_KEY}.previous`)).toEqual(before.phn)
        // The backup is protected like the key: a midwife cannot plant a value to restore.
        const forged = await fetch(`${dhis2.url}${PHN_KEY}.previous`, {
            method: 'PUT',
            headers: { authorization: MIDWIFE, 'content-type': 'application/json' },
            body: '{}',
        })
        expect(forged.status).toBe(403)
        expect(pending(await run({ resetConfig: true }).result)).toEqual([])
    })

    it('makes the configuration public read-only, and repairs it on every run', async () => {
        const midwifeWrites = async () =>
            (
                await fetch(`${dhis2.url}${PHN_KEY}`, {
                    method: 'PUT',
                    headers: { authorization: MIDWIFE, 'content-type': 'application/json' },
                    body: JSON.stringify({ ...defaults.phn, algorithm: 'verhoeff' }),
                })
            ).status
        // Someone opened the key to everyone, and gave one user write access on purpose.
        const grant = { id: SEED_USERS.doctor.id, access: 'rw------' }
        await setSharing(PHN_KEY, { publicAccess: 'rw------', userAccesses: [grant] })
        expect(await midwifeWrites()).toBe(200)
        await api(PHN_KEY, { method: 'PUT', body: JSON.stringify(defaults.phn) })
        // A key that is missing is created, and protected the same way.
        await api(CLAIMS_KEY, { method: 'DELETE' })

        const dry = await run({ dryRun: true }).result
        expect(pending(dry).map((c) => `${c.step}:${c.target}:${c.action}`)).toEqual([
            'datastore:anc/claims-mapping:create',
            'sharing:anc/claims-mapping:update',
            'sharing:anc/phn-config:update',
        ])
        expect((await sharingOf(PHN_KEY)).publicAccess).toBe('rw------')

        const { result, lines } = run()
        const outcome = await result
        expect(outcome.applied).toBe(3)
        expect(lines.join('\n')).toMatch(
            /sharing +anc\/phn-config +updated \(public access rw------ → r-------; 1 user\/group grant\(s\) kept\)/
        )
        for (const key of [CLAIMS_KEY, FHIR_KEY, PHN_KEY]) {
            expect(await sharingOf(key)).toEqual(
                expect.objectContaining({ publicAccess: 'r-------', externalAccess: false })
            )
        }
        expect(await api(CLAIMS_KEY)).toEqual(defaults.claims)
        expect(await midwifeWrites()).toBe(403)
        // The operator's grant survives; the second run changes nothing.
        expect((await sharingOf(PHN_KEY)).userAccesses).toEqual([expect.objectContaining(grant)])
        const again = run()
        expect(pending(await again.result)).toEqual([])
        expect(again.lines.join('\n')).toContain('Nothing to change')
    })
})

describe('clear errors', () => {
    it('names the missing authorities of a user who may not install', async () => {
        const outcome = run({ username: 'midwife', password: 'Anc#2026dev' }).result
        await expect(outcome).rejects.toThrow(
            /lacks authorities.*M_dhis-web-app-management.*F_METADATA_IMPORT.*F_ROUTE_PUBLIC_ADD or F_ROUTE_PRIVATE_ADD/
        )
    })

    it('says the credentials were refused on 401', async () => {
        await expect(run({ password: 'wrong-password' }).result).rejects.toThrow(
            /refused the credentials of user "admin" \(401\)/
        )
    })

    it('says the server is unreachable', async () => {
        const closed = http.createServer()
        await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
        const port = (closed.address() as AddressInfo).port
        await new Promise((resolve) => closed.close(resolve))
        await expect(run({ url: `http://127.0.0.1:${port}` }).result).rejects.toThrow(
            /Cannot reach DHIS2 at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/
        )
    })

    it.each([
        ['2.40.3', /DHIS2 2\.40\.3 .* is too old: the ANC apps need DHIS2 2\.41 or newer/],
        ['2.41.2', /DHIS2 2\.41\.2 .* api-headers route authentication of DHIS2 2\.41\.4 or newer/],
        ['not-a-version', /has no DHIS2 version/],
    ])('refuses a server reporting version %s', async (version, message) => {
        let requests = 0
        tinyServer = http.createServer((req, res) => {
            requests++
            res.writeHead(req.url === '/api/system/info' ? 200 : 500, {
                'content-type': 'application/json',
            })
            res.end(JSON.stringify({ version }))
        })
        await new Promise<void>((resolve) => tinyServer?.listen(0, '127.0.0.1', resolve))
        const url = `http://127.0.0.1:${(tinyServer.address() as AddressInfo).port}`
        try {
            await expect(run({ url }).result).rejects.toThrow(message)
            expect(requests).toBe(1) // nothing else was attempted
        } finally {
            await new Promise((resolve) => tinyServer?.close(resolve))
            tinyServer = undefined
        }
    })

    it('asks for `npm run build` when an app zip is missing, before changing anything', async () => {
        const before = await serverState()
        const client = createDhis2Client({
            url: dhis2.url,
            username: 'admin',
            password: 'district',
        })
        const outcome = deploy(
            {
                client,
                routes: settings({ relaySecret: 'another-secret-0123456789abcdefghijkl' }),
                appDirs: [data.dir],
            },
            'admin'
        )
        await expect(outcome).rejects.toThrow(/App zips not built .*Run `npm run build`/)
        expect(await serverState()).toEqual(before)
    })
})
