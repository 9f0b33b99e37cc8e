import http from 'node:http'
import { DEFAULT_FHIR_MAPPING } from '../../../shared/src/fhir/config'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { ORG_UNITS } from '../../../devstack/src/dhis2/seed'
import {
    ADMIN,
    spawnDhis2,
    type SpawnedDhis2,
    tempDataRoot,
} from '../../../devstack/src/dhis2/testing/helpers'
import { PROGRAM_ANC } from '../../../shared/src/metadata/ids'
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
            'content-type': 'application/json',
            ...(init.headers ?? {}),
        },
    })
    const text = await response.text()
    return text === '' ? undefined : (JSON.parse(text) as unknown)
}

/** Everything the install touches, as the API shows it. */
const serverState = async () => ({
    apps: await api('/api/apps'),
    routes: await api('/api/routes?fields=*&paging=false'),
    program: await api(`/api/programs/${PROGRAM_ANC}?fields=*`),
    claims: await api('/api/dataStore/anc/claims-mapping'),
    fhir: await api('/api/dataStore/anc/fhir-config'),
})

/** What the route upstream received: proves which secret DHIS2 now sends. */
const runRoute = async (code: string) =>
    (await api(`/api/routes/${code}/run/echo`, { method: 'POST', body: '{}' })) as {
        url: string
        headers: Record<string, string>
    }

const pending = (result: DeployResult) => result.changes.filter((c) => c.action !== 'unchanged')

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

    it('replaces a different datastore value but keeps the old one beside it', async () => {
        const edited = { version: 1, edited: true }
        await api('/api/dataStore/anc/fhir-config', { method: 'PUT', body: JSON.stringify(edited) })
        const outcome = await run().result
        expect(pending(outcome).map((c) => c.target)).toEqual(['anc/fhir-config'])
        expect(await api('/api/dataStore/anc/fhir-config.previous')).toEqual(edited)
        // restored to the shipped default, in the shape shared/src/fhir reads
        expect(await api('/api/dataStore/anc/fhir-config')).toEqual(
            JSON.parse(JSON.stringify(DEFAULT_FHIR_MAPPING))
        )
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
