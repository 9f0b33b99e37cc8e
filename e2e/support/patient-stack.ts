/**
 * The local stack for the patient journey, on free ports with a temporary data directory: the
 * eSignet, FHIR and DHIS2 stand-ins and the relay, each in its own process (oidc-provider does
 * not run inside Jest's module sandbox, and separate processes are how they meet in reality).
 * Replace with devstack/src/stack once its orchestrator exposes a start function.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DEV_SECRETS } from '../../devstack/src/stack/dev-secrets'

const REPO = path.resolve(__dirname, '../..')
const TSX = path.join(REPO, 'node_modules/.bin/tsx')

export interface PatientStack {
    dhis2: string
    esignet: string
    fhir: string
    relay: string
    /** Basic credentials of the FHIR stand-in (development only). */
    fhirAuth: string
    stop(): Promise<void>
}

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer()
        server.unref()
        server.on('error', reject)
        server.listen(0, '127.0.0.1', () => {
            const address = server.address()
            const port = typeof address === 'object' && address ? address.port : 0
            server.close(() => resolve(port))
        })
    })
}

async function waitFor(url: string, child: ChildProcess, log: string[], timeoutMs = 90_000) {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
        if (child.exitCode !== null) {
            throw new Error(`${url}: process exited (${child.exitCode})\n${log.join('')}`)
        }
        try {
            const response = await fetch(url)
            if (response.status < 500) return
        } catch {
            // not listening yet
        }
        await new Promise((r) => setTimeout(r, 250))
    }
    throw new Error(`${url} did not answer within ${timeoutMs} ms\n${log.join('')}`)
}

export async function startPatientStack(): Promise<PatientStack> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'anc-patient-e2e-'))
    const [dhis2Port, esignetPort, fhirPort, relayPort] = [
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
    ]
    const dhis2 = `http://localhost:${dhis2Port}`
    const esignet = `http://localhost:${esignetPort}`
    const fhir = `http://localhost:${fhirPort}`
    const relay = `http://localhost:${relayPort}`
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-websocket`.trim(),
        ANC_DATA_DIR: dataDir,
        DHIS2_PORT: String(dhis2Port),
        ESIGNET_PORT: String(esignetPort),
        FHIR_PORT: String(fhirPort),
        RELAY_PORT: String(relayPort),
        FHIR_BASIC_USER: DEV_SECRETS.fhirUsername,
        FHIR_BASIC_PASSWORD: DEV_SECRETS.fhirPassword,
        ESIGNET_ISSUER: esignet,
        ESIGNET_CLIENT_ID: 'anc-relay',
        ESIGNET_CLIENT_PRIVATE_KEY_FILE: path.join(
            REPO,
            'devstack/keys/relay-client.private.dev.jwk.json'
        ),
        RELAY_ALLOWED_REDIRECT_URIS: [
            `${dhis2}/api/apps/anc-registration/esignet-callback.html`,
            `${dhis2}/api/apps/anc-doctor/esignet-callback.html`,
            `${dhis2}/api/apps/login/esignet-callback.html`,
            `${dhis2}/dhis-web-login/esignet-callback.html`,
        ].join(','),
        FHIR_BASE_URL: `${fhir}/fhir`,
        FHIR_USERNAME: DEV_SECRETS.fhirUsername,
        FHIR_PASSWORD: DEV_SECRETS.fhirPassword,
        RELAY_ROUTE_SECRET: DEV_SECRETS.relayRouteSecret,
        RELAY_SESSION_SECRET: DEV_SECRETS.relaySessionSecret,
        RELAY_COOKIE_SECURE: 'false',
        RELAY_LOG_LEVEL: 'warn',
    }
    const children: ChildProcess[] = []
    const start = (script: string, readyUrl: string) => {
        const log: string[] = []
        const child = spawn(TSX, [path.join(REPO, script)], { cwd: REPO, env, stdio: 'pipe' })
        child.stdout?.on('data', (d: Buffer) => log.push(d.toString()))
        child.stderr?.on('data', (d: Buffer) => log.push(d.toString()))
        children.push(child)
        return waitFor(readyUrl, child, log)
    }
    const stop = async () => {
        await Promise.all(
            children.map(
                (child) =>
                    new Promise<void>((resolve) => {
                        if (child.exitCode !== null) return resolve()
                        child.once('exit', () => resolve())
                        child.kill('SIGTERM')
                        setTimeout(() => child.kill('SIGKILL'), 5000).unref()
                    })
            )
        )
        rmSync(dataDir, { recursive: true, force: true })
    }
    try {
        await Promise.all([
            start('devstack/src/esignet/main.ts', `${esignet}/.well-known/openid-configuration`),
            start('devstack/src/fhir/main.ts', `${fhir}/fhir/metadata`),
        ])
        await start('relay/src/main.ts', `${relay}/health`)
        await start('devstack/src/dhis2/main.ts', `${dhis2}/api/ping`)
    } catch (error) {
        await stop()
        throw error
    }
    return {
        dhis2,
        esignet,
        fhir,
        relay,
        fhirAuth: `Basic ${Buffer.from(`${DEV_SECRETS.fhirUsername}:${DEV_SECRETS.fhirPassword}`).toString('base64')}`,
        stop,
    }
}
