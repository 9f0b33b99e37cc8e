/**
 * The relay as production runs it: `npm run build -w relay` (esbuild, relay/build.mjs), then
 * `node relay/dist/main.js` in its own process, configured through environment variables only,
 * against the hostile issuer (honest mode) and the FHIR double over real HTTP. The other relay
 * tests run the TypeScript source; this one proves the compiled bundle starts, loads its external
 * dependencies (jose is ESM-only, loaded from CommonJS) and serves every plugin.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { ROUTE_SECRET, startFixture, type Fixture } from '../test-support/fixture'

const REPO = path.resolve(__dirname, '../..')
const MAIN = path.join(REPO, 'relay/dist/main.js')
const COOKIE = '__Host-anc-patient-session'

let fixture: Fixture
let relay: ChildProcess
let base: string

/** The parent's environment without any relay setting, so only what the test passes counts. */
function cleanEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {}
    for (const [name, value] of Object.entries(process.env)) {
        if (!/^(RELAY_|ESIGNET_|FHIR_)/.test(name)) env[name] = value
    }
    return { ...env, ...settings }
}

/** Starts `node relay/dist/main.js` and resolves with its address from the listen log line. */
async function startCompiled(settings: Record<string, string>): Promise<string> {
    relay = spawn(process.execPath, [MAIN], {
        cwd: REPO,
        env: cleanEnv({ ...settings, RELAY_HOST: '127.0.0.1', RELAY_PORT: '0' }),
        stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    relay.stderr?.on('data', (chunk) => (stderr += String(chunk)))
    const lines = createInterface({ input: relay.stdout as NodeJS.ReadableStream })
    return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no listen line within 20 s')), 20000)
        relay.once('exit', (code) => {
            clearTimeout(timer)
            reject(new Error(`compiled relay exited (${code}): ${stderr}`))
        })
        lines.on('line', (line) => {
            const match = /Server listening at (http:\/\/[^"]+)/.exec(line)
            if (match?.[1]) {
                clearTimeout(timer)
                resolve(match[1])
            }
        })
    })
}

beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build', '-w', 'relay'], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 120000,
    })
    if (build.status !== 0) {
        throw new Error(`npm run build -w relay failed:\n${build.stdout}\n${build.stderr}`)
    }
    fixture = await startFixture()
    base = await startCompiled(fixture.settings)
}, 150000)

afterAll(async () => {
    if (relay && relay.exitCode === null && relay.signalCode === null) {
        relay.kill('SIGKILL')
    }
    await fixture?.close()
})

it('bundles the relay with its npm dependencies external and without test helpers', () => {
    const bundle = readFileSync(MAIN, 'utf8')
    expect(bundle).toContain('require("fastify")')
    expect(bundle).toContain('require("jose")')
    expect(bundle).not.toMatch(/HostileIssuer|FhirDouble|test-support/)
})

it('answers /health and /config from the compiled build', async () => {
    const health = await fetch(`${base}/health`)
    expect(health.status).toBe(200)
    expect(health.headers.get('cache-control')).toBe('no-store')
    expect(await health.json()).toEqual({ status: 'ok' })

    const config = await fetch(`${base}/config`)
    expect(config.status).toBe(200)
    const body = await config.json()
    expect(body.authorizationEndpoint).toBe(`${fixture.issuer.base}/authorize`)
    expect(body.clientId).toBe('anc-relay')
})

it('refuses staff calls without the route secret and verifies a login with it', async () => {
    const refused = await fetch(`${base}/staff/exchange`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fixture.login('staff-sub')),
    })
    expect(refused.status).toBe(401)
    expect((await refused.json()).error).toBe('missing_route_secret')

    const verified = await fetch(`${base}/staff/exchange`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-anc-route-secret': ROUTE_SECRET },
        body: JSON.stringify(fixture.login('staff-sub')),
    })
    expect(verified.status).toBe(200)
    const login = await verified.json()
    expect(login.sub).toBe('staff-sub')
    expect(JSON.stringify(login)).not.toMatch(/access_token|id_token/)
})

it('opens a patient session and serves only her record', async () => {
    fixture.fhir.add(
        {
            resourceType: 'Patient',
            id: 'compiled-p1',
            identifier: [{ system: 'urn:esignet:sub', value: 'patient-sub' }],
        },
        {
            resourceType: 'Patient',
            id: 'compiled-p2',
            identifier: [{ system: 'urn:esignet:sub', value: 'someone-else' }],
        }
    )
    const session = await fetch(`${base}/patient/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fixture.login('patient-sub', undefined, 'patient')),
    })
    expect(session.status).toBe(200)
    const setCookie = session.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/HttpOnly/i)
    const cookie = new RegExp(`${COOKIE}=([^;]+)`).exec(setCookie)?.[1]
    expect(cookie).toBeDefined()
    const headers = { cookie: `${COOKIE}=${cookie}` }

    const record = await fetch(`${base}/patient/record`, { headers })
    expect(record.status).toBe(200)
    expect(JSON.stringify(await record.json())).toContain('compiled-p1')

    const other = await fetch(`${base}/patient/resource/Patient/compiled-p2`, { headers })
    expect(other.status).toBe(404)

    const anonymous = await fetch(`${base}/patient/record`)
    expect(anonymous.status).toBe(401)
})

it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => relay.once('exit', resolve))
    relay.kill('SIGTERM')
    expect(await exited).toBe(0)
})

it('refuses to start on invalid settings, naming each one (exit 2)', () => {
    const { RELAY_ROUTE_SECRET: _secret, ...withoutSecret } = fixture.settings
    const run = spawnSync(process.execPath, [MAIN], {
        cwd: REPO,
        env: cleanEnv({ ...withoutSecret, RELAY_SESSION_SECRET: 'short' }),
        encoding: 'utf8',
        timeout: 20000,
    })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('RELAY_ROUTE_SECRET: missing')
    expect(run.stderr).toContain('RELAY_SESSION_SECRET: must be at least 32 characters')
    expect(run.stderr).not.toContain('short')
})
