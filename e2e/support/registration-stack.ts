import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { DEV_SECRETS } from '../../devstack/src/stack/dev-secrets'

/**
 * The whole local stack for a journey, each stand-in in its own process (as `npm start` runs
 * them), on free ports, over a temporary data directory. Every service finds the others through
 * the *_PORT variables (devstack/src/common/ports.ts), so one set of ports wires them together:
 * DHIS2 routes to the relay and FHIR, eSignet's redirect URIs on DHIS2's port.
 */
const ROOT = path.resolve(__dirname, '../..')
const TSX = require.resolve('tsx/cli')

export type ServiceName = 'fhir' | 'esignet' | 'relay' | 'dhis2'

export interface Stack {
    urls: Record<ServiceName, string>
    dataDir: string
    stop(service: ServiceName): Promise<void>
    start(service: ServiceName): Promise<void>
    close(): Promise<void>
    logs: Record<ServiceName, string>
}

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer()
        server.once('error', reject)
        server.listen(0, '127.0.0.1', () => {
            const address = server.address()
            const port = typeof address === 'object' && address ? address.port : 0
            server.close(() => resolve(port))
        })
    })
}

async function waitForHttp(url: string, child: ChildProcess, log: () => string): Promise<void> {
    const deadline = Date.now() + 90_000
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`${url}: process exited\n${log()}`)
        try {
            const response = await fetch(url)
            if (response.status < 500) return
        } catch {
            // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 250))
    }
    throw new Error(`${url} did not answer in time\n${log()}`)
}

export async function startStack(): Promise<Stack> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'anc-e2e-registration-'))
    const ports = {
        dhis2: await freePort(),
        esignet: await freePort(),
        fhir: await freePort(),
        relay: await freePort(),
    }
    const urls = {
        dhis2: `http://localhost:${ports.dhis2}`,
        esignet: `http://localhost:${ports.esignet}`,
        fhir: `http://localhost:${ports.fhir}/fhir`,
        relay: `http://localhost:${ports.relay}`,
    }
    const redirects = ['anc-registration', 'anc-doctor', 'login']
        .map((app) => `${urls.dhis2}/api/apps/${app}/esignet-callback.html`)
        .concat(`${urls.dhis2}/dhis-web-login/esignet-callback.html`)
        .join(',')
    const common = {
        ...process.env,
        ANC_DATA_DIR: dataDir,
        DHIS2_PORT: String(ports.dhis2),
        ESIGNET_PORT: String(ports.esignet),
        FHIR_PORT: String(ports.fhir),
        RELAY_PORT: String(ports.relay),
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-websocket`.trim(),
    }
    const services: Record<
        ServiceName,
        { main: string; env: Record<string, string>; ready: string }
    > = {
        fhir: {
            main: 'devstack/src/fhir/main.ts',
            env: {
                FHIR_BASIC_USER: DEV_SECRETS.fhirUsername,
                FHIR_BASIC_PASSWORD: DEV_SECRETS.fhirPassword,
            },
            ready: `${urls.fhir}/metadata`,
        },
        esignet: {
            main: 'devstack/src/esignet/main.ts',
            env: {},
            ready: `${urls.esignet}/.well-known/openid-configuration`,
        },
        relay: {
            main: 'relay/src/main.ts',
            env: {
                ESIGNET_ISSUER: urls.esignet,
                ESIGNET_CLIENT_ID: 'anc-relay',
                ESIGNET_CLIENT_PRIVATE_KEY_FILE: path.join(
                    ROOT,
                    'devstack/keys/relay-client.private.dev.jwk.json'
                ),
                ESIGNET_VOLUNTARY_CLAIMS: 'phone_number,email,address,individual_id',
                RELAY_ALLOWED_REDIRECT_URIS: redirects,
                FHIR_BASE_URL: urls.fhir,
                FHIR_USERNAME: DEV_SECRETS.fhirUsername,
                FHIR_PASSWORD: DEV_SECRETS.fhirPassword,
                RELAY_ROUTE_SECRET: DEV_SECRETS.relayRouteSecret,
                RELAY_SESSION_SECRET: DEV_SECRETS.relaySessionSecret,
                RELAY_COOKIE_SECURE: 'false',
                RELAY_LOG_LEVEL: 'warn',
            },
            ready: `${urls.relay}/config`,
        },
        dhis2: { main: 'devstack/src/dhis2/main.ts', env: {}, ready: `${urls.dhis2}/api/ping` },
    }
    const children = new Map<ServiceName, ChildProcess>()
    const logs = { fhir: '', esignet: '', relay: '', dhis2: '' } as Record<ServiceName, string>

    const start = async (name: ServiceName) => {
        const service = services[name]
        const child = spawn(process.execPath, [TSX, path.join(ROOT, service.main)], {
            cwd: ROOT,
            env: { ...common, ...service.env },
            stdio: ['ignore', 'pipe', 'pipe'],
        })
        const append = (chunk: Buffer) => {
            logs[name] = (logs[name] + chunk.toString()).slice(-20_000)
        }
        child.stdout?.on('data', append)
        child.stderr?.on('data', append)
        children.set(name, child)
        await waitForHttp(service.ready, child, () => logs[name])
    }
    const stop = async (name: ServiceName) => {
        const child = children.get(name)
        if (!child || child.exitCode !== null) return
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
        children.delete(name)
    }
    try {
        // eSignet first: the relay reads its discovery document at start.
        await Promise.all([start('fhir'), start('esignet')])
        await Promise.all([start('relay'), start('dhis2')])
    } catch (error) {
        await Promise.all([...children.keys()].map(stop))
        rmSync(dataDir, { recursive: true, force: true })
        throw error
    }
    return {
        urls,
        dataDir,
        logs,
        start,
        stop,
        close: async () => {
            await Promise.all([...children.keys()].map(stop))
            rmSync(dataDir, { recursive: true, force: true })
        },
    }
}
