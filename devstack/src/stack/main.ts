import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { portOf, type ServiceName, urlOf } from '../common/ports'
import { DEV_SECRETS } from './dev-secrets'

/**
 * The whole local product behind the root `npm start`: the eSignet, FHIR and DHIS2 stand-ins and
 * the relay, each its own process on loopback, started with this stack's settings. Waits until
 * every service answers its health check, prints URLs and logins, stops cleanly on Ctrl-C.
 * `--reset` wipes the data directory first (everything reseeds).
 */
const REPO_ROOT = path.resolve(__dirname, '../../..')
const TSX_CLI = require.resolve('tsx/cli')

interface Service {
    name: ServiceName
    label: string
    script: string
    health: string
    env: Record<string, string>
}

function services(env: NodeJS.ProcessEnv): Service[] {
    const dhis2 = urlOf('dhis2', env)
    const esignet = urlOf('esignet', env)
    const fhir = urlOf('fhir', env)
    const relay = urlOf('relay', env)
    const callbacks = [
        `${dhis2}/api/apps/anc-registration/esignet-callback.html`,
        `${dhis2}/api/apps/anc-doctor/esignet-callback.html`,
        `${dhis2}/api/apps/login/esignet-callback.html`,
        `${dhis2}/dhis-web-login/esignet-callback.html`,
    ]
    return [
        {
            name: 'esignet',
            label: 'eSignet stand-in',
            script: 'devstack/src/esignet/main.ts',
            health: `${esignet}/.well-known/openid-configuration`,
            env: {},
        },
        {
            name: 'fhir',
            label: 'FHIR R4 stand-in',
            script: 'devstack/src/fhir/main.ts',
            health: `${fhir}/fhir/metadata`,
            env: {
                FHIR_BASIC_USER: DEV_SECRETS.fhirUsername,
                FHIR_BASIC_PASSWORD: DEV_SECRETS.fhirPassword,
                // @medplum/core 5 needs WebSocket, which Node 20 has only behind this flag.
                NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --experimental-websocket`.trim(),
            },
        },
        {
            name: 'relay',
            label: 'relay',
            script: 'relay/src/main.ts',
            health: `${relay}/health`,
            env: {
                ESIGNET_ISSUER: esignet,
                ESIGNET_CLIENT_ID: 'anc-relay',
                ESIGNET_CLIENT_PRIVATE_KEY_FILE: path.join(
                    REPO_ROOT,
                    'devstack/keys/relay-client.private.dev.jwk.json'
                ),
                FHIR_BASE_URL: `${fhir}/fhir`,
                FHIR_USERNAME: DEV_SECRETS.fhirUsername,
                FHIR_PASSWORD: DEV_SECRETS.fhirPassword,
                RELAY_ROUTE_SECRET: DEV_SECRETS.relayRouteSecret,
                RELAY_SESSION_SECRET: DEV_SECRETS.relaySessionSecret,
                RELAY_ALLOWED_REDIRECT_URIS: callbacks.join(','),
                RELAY_COOKIE_SECURE: 'false',
            },
        },
        {
            name: 'dhis2',
            label: 'DHIS2 stand-in',
            script: 'devstack/src/dhis2/main.ts',
            health: `${dhis2}/api/ping`,
            env: {},
        },
    ]
}

async function portIsFree(port: number): Promise<boolean> {
    const server = createServer()
    return new Promise((resolve) => {
        server.once('error', () => resolve(false))
        server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error('exited during start-up')
        try {
            const response = await fetch(url, { signal: AbortSignal.timeout(1000) })
            // Any HTTP answer below 500 means it is serving (the FHIR stand-in wants credentials).
            if (response.status < 500) return
        } catch {
            // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`not healthy after ${timeoutMs / 1000} s (${url})`)
}

interface Running {
    service: Service
    child: ChildProcess
    output: string[]
}

export async function main(argv = process.argv.slice(2), env = process.env): Promise<void> {
    const started = Date.now()
    const verbose = argv.includes('--verbose') || env.STACK_VERBOSE === '1'
    const dataRoot = env.ANC_DATA_DIR ?? path.join(REPO_ROOT, '.data')
    if (argv.includes('--reset')) {
        rmSync(dataRoot, { recursive: true, force: true })
        console.log(`Wiped ${dataRoot}; every service reseeds.`)
    }

    const all = services(env)
    const available = all.filter((s) => {
        if (existsSync(path.join(REPO_ROOT, s.script))) return true
        console.warn(`! ${s.label}: ${s.script} does not exist yet; skipping it.`)
        return false
    })
    for (const s of available) {
        const port = portOf(s.name, env)
        if (!(await portIsFree(port))) {
            console.error(
                `Port ${port} for the ${s.label} is taken. Stop whatever uses it (lsof -i :${port}) ` +
                    `or move it, e.g. ${s.name.toUpperCase()}_PORT=<port> npm start.`
            )
            process.exit(1)
        }
    }

    const running: Running[] = []
    let startedAll = false
    let stopping = false
    const stopAll = async (code: number) => {
        if (stopping) return
        stopping = true
        await Promise.all(
            running.map(
                ({ child }) =>
                    new Promise<void>((resolve) => {
                        if (child.exitCode !== null || child.signalCode !== null) return resolve()
                        const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
                        child.once('exit', () => {
                            clearTimeout(kill)
                            resolve()
                        })
                        child.kill('SIGTERM')
                    })
            )
        )
        process.exit(code)
    }
    process.on('SIGINT', () => {
        console.log('\nStopping the local stack...')
        void stopAll(0)
    })
    process.on('SIGTERM', () => void stopAll(0))

    for (const service of available) {
        const child = spawn(process.execPath, [TSX_CLI, path.join(REPO_ROOT, service.script)], {
            cwd: REPO_ROOT,
            env: { ...env, ANC_DATA_DIR: dataRoot, ...service.env },
            // Own process group: Ctrl-C reaches only us, and we stop the children in order.
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe'],
        })
        const entry: Running = { service, child, output: [] }
        const collect = (chunk: Buffer) => {
            for (const line of chunk.toString().split('\n').filter(Boolean)) {
                entry.output.push(line)
                if (entry.output.length > 40) entry.output.shift()
                if (verbose || startedAll) console.log(`[${service.name}] ${line}`)
            }
        }
        child.stdout?.on('data', collect)
        child.stderr?.on('data', collect)
        child.on('exit', (code, signal) => {
            if (stopping) return
            console.error(
                `\n${service.label} stopped (${signal ?? code}). Last output:\n${entry.output.join('\n')}`
            )
            void stopAll(1)
        })
        running.push(entry)
    }
    const results = await Promise.allSettled(
        running.map(async ({ service, child }) => {
            await waitHealthy(service.health, child, 60_000)
            return Date.now() - started
        })
    )
    const failed = results.findIndex((r) => r.status === 'rejected')
    if (failed >= 0) {
        const entry = running[failed] as Running
        const reason = (results[failed] as PromiseRejectedResult).reason as Error
        console.error(
            `${entry.service.label} failed to start: ${reason.message}\n${entry.output.join('\n')}`
        )
        await stopAll(1)
        return
    }
    startedAll = true
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    const dhis2 = urlOf('dhis2', env)
    console.log(`
ANC local stack is up (${seconds} s). Data: ${dataRoot}

  DHIS2 (login app)   ${dhis2}/
  ANC Registration    ${dhis2}/api/apps/anc-registration/
  ANC Doctor          ${dhis2}/api/apps/anc-doctor/
  eSignet             ${urlOf('esignet', env)}
  FHIR R4             ${urlOf('fhir', env)}/fhir
  relay               ${urlOf('relay', env)}  (and ${dhis2}/anc-relay/)

  Logins: admin / district · midwife / Anc#2026dev · doctor / Anc#2026dev
  National ID (OTP 111111): midwife 8267411072 · doctor 2374109628 · patients 5860125421, 7391048265
  Ctrl-C stops everything; npm run reset wipes the data and reseeds.
`)
    if (env.STACK_EXIT_WHEN_HEALTHY === '1') {
        // Used by the start-up bench: report, then stop.
        console.log(`STACK_HEALTHY_MS=${Date.now() - started}`)
        await stopAll(0)
    }
}

if (require.main === module) {
    main().catch((error: Error) => {
        console.error(error.message)
        process.exit(1)
    })
}
