/**
 * Doctor app budgets, each against a baseline measured in the same run:
 * 1. Opening a record is ONE request through the DHIS2 route (the app's own `recordRequest`: a
 *    one-entry batch with the PHN search and every `_revinclude`), and with 10,000 patients in the
 *    FHIR stand-in its time through the route (browser → DHIS2 stand-in → FHIR) is at most 1.15x
 *    the same request sent to FHIR directly. Both paths are timed side by side, interleaved
 *    (alternating which goes first), over the whole stack started as in the journeys.
 *    Also timed in the same rotation: the same request through a bare reverse proxy process
 *    (bench/support/bare-proxy.ts), the floor any extra HTTP hop costs on this machine, so the
 *    stand-in's own share of the route's cost can be told apart from the hop's.
 * 2. Initial JavaScript (gzip) of ANC Doctor at most 1.25x a bare App Platform app (one heading)
 *    built with the same toolchain in the same run.
 *
 *   npx tsx bench/doctor-record.bench.ts [patients=10000] [samples=200] [--no-build]
 *
 * Exits non-zero when a budget is missed.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Bundle } from '@medplum/fhirtypes'
import { recordRequest } from '../doctor-app/src/record/open-record'
import { launchTestStack, type LaunchedStack } from '../devstack/test-support/stack'
import { DEV_SECRETS } from '../devstack/src/stack/dev-secrets'
import { fixtureTrackedEntity } from '@anc/shared/test-support'
import { trackerToFhirBundle } from '@anc/shared/fhir'
import { clinicToday } from '@anc/shared/anc'
import { buildBareApp, initialJs, kb, REPO, run } from './support/app-bundle'
import { percentile } from './support/stats'
import { syntheticPatientsBundle } from './support/synthetic-patients'

const BUDGET = { routeOverDirect: 1.15, initialJs: 1.25 }
const FHIR_AUTH = `Basic ${Buffer.from(`${DEV_SECRETS.fhirUsername}:${DEV_SECRETS.fhirPassword}`).toString('base64')}`

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const patients = Number(args[0] ?? 10_000)
const samples = Number(args[1] ?? 200)
/** Whole ANC records (8 contacts, mapped by shared/fhir as the apps write them) that are opened. */
const RECORDS = 20
const FILLER_PER_BUNDLE = 100

async function postFhir(stack: LaunchedStack, bundle: Bundle): Promise<Bundle> {
    const response = await fetch(`${stack.urls.fhir}/fhir`, {
        method: 'POST',
        headers: {
            Authorization: FHIR_AUTH,
            'Content-Type': 'application/fhir+json',
            Accept: 'application/fhir+json',
        },
        body: JSON.stringify(bundle),
    })
    if (!response.ok) throw new Error(`FHIR answered ${response.status}: ${await response.text()}`)
    return (await response.json()) as Bundle
}

async function load(stack: LaunchedStack): Promise<string[]> {
    const started = performance.now()
    const today = clinicToday()
    const phns: string[] = []
    for (let n = 1; n <= RECORDS; n++) {
        const te = fixtureTrackedEntity(n, 8)
        await postFhir(stack, trackerToFhirBundle({ trackedEntity: te, today }).bundle)
        phns.push(String(1_000_000_000 + n))
    }
    const fillers = patients - RECORDS
    const bundles: number[] = []
    for (let first = 0; first < fillers; first += FILLER_PER_BUNDLE) bundles.push(first)
    // Two writers: the stand-in journals each bundle with fdatasync.
    const worker = async () => {
        for (let first = bundles.shift(); first !== undefined; first = bundles.shift()) {
            await postFhir(
                stack,
                // The other patients: a Patient with a PHN and two Observations each.
                syntheticPatientsBundle({
                    first,
                    count: Math.min(FILLER_PER_BUNDLE, fillers - first),
                    observationsPerPatient: 2,
                    phnOf: (i) => String(2_000_000_000 + i),
                })
            )
        }
    }
    await Promise.all([worker(), worker()])
    console.log(
        `  loaded ${patients} patients (${RECORDS} whole ANC records) in ${((performance.now() - started) / 1000).toFixed(1)} s`
    )
    return phns
}

async function doctorSession(stack: LaunchedStack): Promise<string> {
    const response = await fetch(`${stack.urls.dhis2}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'doctor', password: 'Anc#2026dev' }),
    })
    const cookie = response.headers.get('set-cookie')?.split(';')[0]
    if (response.status !== 200 || !cookie) throw new Error(`login answered ${response.status}`)
    return cookie
}

interface Timed {
    ms: number
    entries: number
}

async function timedOpen(
    url: string,
    headers: Record<string, string>,
    phn: string
): Promise<Timed> {
    const started = performance.now()
    const response = await fetch(url, {
        method: 'POST',
        headers: {
            ...headers,
            'Content-Type': 'application/fhir+json',
            Accept: 'application/fhir+json',
        },
        body: JSON.stringify(recordRequest(phn)),
    })
    const body = (await response.json()) as Bundle
    const ms = performance.now() - started
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`)
    const searchset = body.entry?.[0]?.resource as Bundle | undefined
    if (searchset?.link?.some((l) => l.relation === 'next'))
        throw new Error('the record came paged: opening it would take more than one request')
    return { ms, entries: searchset?.entry?.length ?? 0 }
}

const fmt = (n: number) => n.toFixed(2)

/** Starts bench/support/bare-proxy.ts in front of `upstream`; resolves with its origin. */
async function startBareProxy(upstream: string): Promise<{ url: string; stop(): void }> {
    const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'support/bare-proxy.ts'), upstream],
        { stdio: ['ignore', 'pipe', 'inherit'] }
    )
    const port = await new Promise<string>((resolve, reject) => {
        child.once('error', reject)
        child.once('exit', (code) => reject(new Error(`bare proxy exited with ${code}`)))
        child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()))
    })
    return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() }
}

async function measureRoute(): Promise<boolean> {
    console.log(`Record through the route vs FHIR directly (${patients} patients):`)
    const stack = await launchTestStack()
    const bare = await startBareProxy(stack.urls.fhir)
    try {
        const phns = await load(stack)
        const cookie = await doctorSession(stack)
        const paths = {
            route: (phn: string) =>
                timedOpen(`${stack.urls.dhis2}/api/routes/anc-fhir/run/`, { Cookie: cookie }, phn),
            direct: (phn: string) =>
                timedOpen(`${stack.urls.fhir}/fhir`, { Authorization: FHIR_AUTH }, phn),
            bare: (phn: string) => timedOpen(`${bare.url}/fhir`, { Authorization: FHIR_AUTH }, phn),
        }
        // Reference: the stand-in's own cost of any authenticated request (session, user, DB).
        const me = async () => {
            const started = performance.now()
            const response = await fetch(`${stack.urls.dhis2}/api/me?fields=id`, {
                headers: { Cookie: cookie },
            })
            await response.text()
            return performance.now() - started
        }
        const times = { route: [] as number[], direct: [] as number[], bare: [] as number[] }
        const viaMe: number[] = []
        const order = ['route', 'direct', 'bare'] as const
        let entries = 0
        for (let i = -20; i < samples; i++) {
            const phn = phns[i < 0 ? 0 : i % phns.length] as string
            // Rotate which path goes first so none always meets a warm cache.
            const rotated = order.map((_, k) => order[(k + i + 30) % 3] as (typeof order)[number])
            const round: Partial<Record<(typeof order)[number], Timed>> = {}
            for (const name of rotated) round[name] = await paths[name](phn)
            const counts = new Set(order.map((name) => round[name]?.entries))
            if (counts.size !== 1) throw new Error('route, direct and bare-proxy answers differ')
            entries = round.route?.entries ?? 0
            const meMs = await me()
            if (i < 0) continue // warm-up
            for (const name of order) times[name].push(round[name]?.ms ?? NaN)
            viaMe.push(meMs)
        }
        for (const list of [...Object.values(times), viaMe]) list.sort((x, y) => x - y)
        const p = (name: keyof typeof times, q: number) => percentile(times[name], q)
        const ratio = p('route', 50) / p('direct', 50)
        console.log(`  one request per record: 1 batch POST, ${entries} resources, no next link`)
        const line = (label: string, name: keyof typeof times) =>
            console.log(
                `  ${label} p50 ${fmt(p(name, 50))} ms, p95 ${fmt(p(name, 95))} ms (${samples} samples)`
            )
        line('FHIR directly:     ', 'direct')
        line('through route:     ', 'route')
        line('bare proxy hop:    ', 'bare')
        console.log(
            `  DHIS2 GET /api/me (stand-in's fixed cost per request): p50 ${fmt(percentile(viaMe, 50))} ms`
        )
        console.log(
            `  bare hop / direct: p50 ${(p('bare', 50) / p('direct', 50)).toFixed(2)}x (the floor of one extra hop here)`
        )
        console.log(
            `  route / bare hop:  p50 ${(p('route', 50) / p('bare', 50)).toFixed(2)}x (the stand-in's own share)`
        )
        console.log(
            `  route / direct:    p50 ${ratio.toFixed(2)}x, p95 ${(p('route', 95) / p('direct', 95)).toFixed(2)}x (budget p50 <= ${BUDGET.routeOverDirect}x)`
        )
        return ratio <= BUDGET.routeOverDirect
    } finally {
        bare.stop()
        await stack.close()
    }
}

async function measureInitialJs(): Promise<boolean> {
    console.log('Initial JavaScript (same toolchain, same run):')
    if (!process.argv.includes('--no-build')) run('node', ['scripts/build.mjs', 'doctor-app'], REPO)
    const bareApp = buildBareApp({ type: 'app', name: 'bare-app', heading: 'Bare' })
    try {
        const ours = await initialJs(
            path.join(REPO, 'doctor-app/build/app'),
            'anc-doctor',
            '#/find'
        )
        const bare = await initialJs(bareApp.buildDir, 'bare-app')
        const ratio = ours.gzip / bare.gzip
        console.log(
            `  bare app:        ${bare.files} JS files, ${kb(bare.raw)} raw, ${kb(bare.gzip)} gzip`
        )
        console.log(
            `  doctor-app:      ${ours.files} JS files, ${kb(ours.raw)} raw, ${kb(ours.gzip)} gzip`
        )
        console.log(
            `  extra over bare: ${kb(ours.gzip - bare.gzip)} gzip; ratio ${ratio.toFixed(2)} (budget <= ${BUDGET.initialJs})`
        )
        return ratio <= BUDGET.initialJs
    } finally {
        bareApp.remove()
    }
}

async function main(): Promise<void> {
    const routeOk = process.argv.includes('--no-route') ? true : await measureRoute()
    const jsOk = process.argv.includes('--no-js') ? true : await measureInitialJs()
    if (!routeOk || !jsOk) process.exit(1)
}

main().catch((error: Error) => {
    console.error(error.message)
    process.exit(1)
})
