import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { type ServiceName, urlOf } from '../common/ports'
import { DEV_SECRETS } from './dev-secrets'

/**
 * Starts the local product's services (eSignet, FHIR, relay, DHIS2), each in its own process as
 * in production (oidc-provider also cannot run inside Jest's module sandbox), wired to each
 * other through the *_PORT variables. Used by `npm start` (fixed ports, .data/) and by the
 * browser journeys (free ports, a temporary data directory).
 */
const REPO_ROOT = path.resolve(__dirname, '../../..')

const SERVICE_ORDER: ServiceName[] = ['esignet', 'fhir', 'relay', 'dhis2']

/**
 * How far eSignet's clock runs ahead in the local stack (override: ESIGNET_CLOCK_OFFSET_SECONDS):
 * inside the 60 s the relay tolerates, far outside the 5 s it used to.
 */
export const DEFAULT_ESIGNET_CLOCK_OFFSET_SECONDS = 45

export interface ServiceDefinition {
    name: ServiceName
    label: string
    script: string
    health: string
    env: Record<string, string>
}

/** What each service needs to find the others; `env` carries the ports and data directory. */
export function serviceDefinitions(env: NodeJS.ProcessEnv): ServiceDefinition[] {
    const dhis2 = urlOf('dhis2', env)
    const esignet = urlOf('esignet', env)
    const fhir = urlOf('fhir', env)
    const relay = urlOf('relay', env)
    const staffCallbacks = [
        `${dhis2}/api/apps/anc-registration/esignet-callback.html`,
        `${dhis2}/api/apps/anc-doctor/esignet-callback.html`,
    ]
    const patientCallbacks = [
        `${dhis2}/api/apps/login/esignet-callback.html`,
        `${dhis2}/dhis-web-login/esignet-callback.html`,
    ]
    // eSignet as in real installs: the MOSIP mock identity system signs userinfo with its own
    // key, and eSignet's clock runs ahead of ours (its own host).
    const identitySystemCertificate = path.join(
        REPO_ROOT,
        'devstack/keys/mock-identity-system.dev.cert.pem'
    )
    return [
        {
            name: 'esignet',
            label: 'eSignet stand-in',
            script: 'devstack/src/esignet/main.ts',
            health: `${esignet}/.well-known/openid-configuration`,
            env: {
                ESIGNET_IDENTITY_SYSTEM: env.ESIGNET_IDENTITY_SYSTEM ?? 'mock',
                ESIGNET_CLOCK_OFFSET_SECONDS:
                    env.ESIGNET_CLOCK_OFFSET_SECONDS ??
                    String(DEFAULT_ESIGNET_CLOCK_OFFSET_SECONDS),
            },
        },
        {
            name: 'fhir',
            label: 'FHIR R4 stand-in',
            script: 'devstack/src/fhir/main.ts',
            health: `${fhir}/fhir/metadata`,
            env: {
                FHIR_BASIC_USER: DEV_SECRETS.fhirUsername,
                FHIR_BASIC_PASSWORD: DEV_SECRETS.fhirPassword,
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
                RELAY_STAFF_REDIRECT_URIS: staffCallbacks.join(','),
                RELAY_PATIENT_REDIRECT_URIS: patientCallbacks.join(','),
                ESIGNET_IDENTITY_SYSTEM_CERTIFICATE_FILE: identitySystemCertificate,
                // The committed development keys and secrets, plain http on loopback.
                RELAY_MODE: 'development',
                RELAY_COOKIE_SECURE: 'false',
            },
        },
        {
            name: 'dhis2',
            label: 'DHIS2 stand-in',
            script: 'devstack/src/dhis2/main.ts',
            health: `${dhis2}/api/ping`,
            env: { DHIS2_OIDC_USERINFO_CERTIFICATE_FILE: identitySystemCertificate },
        },
    ]
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error('exited during start-up')
        }
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

export interface RunningService {
    definition: ServiceDefinition
    child: ChildProcess
    /** the last lines the process printed, for error messages */
    output: string[]
}

export interface LaunchOptions {
    /** environment with the *_PORT variables and ANC_DATA_DIR */
    env: NodeJS.ProcessEnv
    /** called with every line a service prints */
    onOutput?: (service: ServiceName, line: string) => void
    /** called when a service exits on its own (not through stop) */
    onExit?: (service: RunningService, code: number | null, signal: NodeJS.Signals | null) => void
    timeoutMs?: number
}

export interface LaunchedStack {
    urls: Record<ServiceName, string>
    dataDir: string
    running: Map<ServiceName, RunningService>
    /** stops one service (SIGTERM, SIGKILL after 5 s) */
    stop(service: ServiceName): Promise<void>
    /** starts a stopped service again on the same port and data */
    start(service: ServiceName): Promise<void>
    /** stops every service */
    close(): Promise<void>
}

function stopChild(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
        child.once('exit', () => {
            clearTimeout(kill)
            resolve()
        })
        child.kill('SIGTERM')
    })
}

export async function launchStack(options: LaunchOptions): Promise<LaunchedStack> {
    const { env } = options
    const definitions = new Map(serviceDefinitions(env).map((d) => [d.name, d]))
    const running = new Map<ServiceName, RunningService>()
    const stopping = new Set<ServiceName>()
    const dataDir = env.ANC_DATA_DIR ?? path.join(REPO_ROOT, '.data')

    const spawnService = (name: ServiceName): RunningService => {
        const definition = definitions.get(name) as ServiceDefinition
        // `--import tsx` keeps each service one process, so signals reach the server itself
        // (the tsx CLI would run it in a grandchild that a SIGKILL of the wrapper leaves behind).
        const child = spawn(
            process.execPath,
            [
                // e.g. ANC_SERVICE_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof' to profile services
                // (Node refuses --cpu-prof in NODE_OPTIONS).
                ...(env.ANC_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
                '--import',
                'tsx',
                path.join(REPO_ROOT, definition.script),
            ],
            {
                cwd: REPO_ROOT,
                env: { ...env, ANC_DATA_DIR: dataDir, ...definition.env },
                // Own process group: Ctrl-C reaches only the launcher, which stops services in order.
                detached: true,
                stdio: ['ignore', 'pipe', 'pipe'],
            }
        )
        const entry: RunningService = { definition, child, output: [] }
        const collect = (chunk: Buffer) => {
            for (const line of chunk.toString().split('\n').filter(Boolean)) {
                entry.output.push(line)
                if (entry.output.length > 40) entry.output.shift()
                options.onOutput?.(name, line)
            }
        }
        child.stdout?.on('data', collect)
        child.stderr?.on('data', collect)
        child.on('exit', (code, signal) => {
            if (!stopping.has(name)) options.onExit?.(entry, code, signal)
        })
        running.set(name, entry)
        return entry
    }

    const waitFor = async (entries: RunningService[]) => {
        const results = await Promise.allSettled(
            entries.map((e) =>
                waitHealthy(e.definition.health, e.child, options.timeoutMs ?? 60_000)
            )
        )
        const failed = results.findIndex((r) => r.status === 'rejected')
        if (failed >= 0) {
            const entry = entries[failed] as RunningService
            const reason = (results[failed] as PromiseRejectedResult).reason as Error
            throw new Error(
                `${entry.definition.label} failed to start: ${reason.message}\n${entry.output.join('\n')}`
            )
        }
    }

    const stop = async (name: ServiceName) => {
        const entry = running.get(name)
        if (!entry) return
        stopping.add(name)
        await stopChild(entry.child)
        running.delete(name)
        stopping.delete(name)
    }
    const close = async () => {
        await Promise.all([...running.keys()].map((name) => stop(name)))
    }

    try {
        await waitFor(SERVICE_ORDER.map(spawnService))
    } catch (error) {
        await close()
        throw error
    }
    return {
        urls: Object.fromEntries(SERVICE_ORDER.map((s) => [s, urlOf(s, env)])) as Record<
            ServiceName,
            string
        >,
        dataDir,
        running,
        stop,
        start: async (name) => {
            if (running.has(name)) return
            await waitFor([spawnService(name)])
        },
        close,
    }
}
