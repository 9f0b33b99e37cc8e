import { existsSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { portOf, urlOf } from '../common/ports'
import { launchStack, serviceDefinitions } from './launch'

/**
 * The whole local product behind the root `npm start`: the eSignet, FHIR and DHIS2 stand-ins and
 * the relay, each its own process on loopback (devstack/src/stack/launch.ts). Checks the ports
 * first, waits until every service answers its health check, prints URLs and logins, stops
 * cleanly on Ctrl-C. `--reset` wipes the data directory first (everything reseeds).
 */
const REPO_ROOT = path.resolve(__dirname, '../../..')

async function portIsFree(port: number): Promise<boolean> {
    const server = createServer()
    return new Promise((resolve) => {
        server.once('error', () => resolve(false))
        server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
}

export async function main(argv = process.argv.slice(2), env = process.env): Promise<void> {
    const started = Date.now()
    const verbose = argv.includes('--verbose') || env.STACK_VERBOSE === '1'
    const dataRoot = env.ANC_DATA_DIR ?? path.join(REPO_ROOT, '.data')
    if (argv.includes('--reset')) {
        rmSync(dataRoot, { recursive: true, force: true })
        console.log(`Wiped ${dataRoot}; every service reseeds.`)
    }

    for (const service of serviceDefinitions(env)) {
        const port = portOf(service.name, env)
        if (!(await portIsFree(port))) {
            console.error(
                `Port ${port} for the ${service.label} is taken. Stop whatever uses it (lsof -i :${port}) ` +
                    `or move it, e.g. ${service.name.toUpperCase()}_PORT=<port> npm start.`
            )
            process.exit(1)
        }
    }
    for (const app of ['registration-app', 'doctor-app', 'patient-app']) {
        if (!existsSync(path.join(REPO_ROOT, app, 'build/app/index.html'))) {
            console.warn(
                `! ${app} is not built: run \`npm run build\` (npm start does it for you).`
            )
        }
    }

    let healthy = false
    let stopping = false
    const stack = await launchStack({
        env: { ...env, ANC_DATA_DIR: dataRoot },
        onOutput: (service, line) => {
            if (verbose || healthy) console.log(`[${service}] ${line}`)
        },
        onExit: (service, code, signal) => {
            if (stopping) return
            console.error(
                `\n${service.definition.label} stopped (${signal ?? code}). Last output:\n${service.output.join('\n')}`
            )
            void stopAll(1)
        },
    }).catch((error: Error) => {
        console.error(error.message)
        process.exit(1)
    })
    const stopAll = async (code: number) => {
        if (stopping) return
        stopping = true
        await stack.close()
        process.exit(code)
    }
    process.on('SIGINT', () => {
        console.log('\nStopping the local stack...')
        void stopAll(0)
    })
    process.on('SIGTERM', () => void stopAll(0))

    healthy = true
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
