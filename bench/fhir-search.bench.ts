/**
 * FHIR stand-in budget: search by identifier and a patient's whole record with 10,000 patients
 * (each with a few Observations) loaded, as p50/p95 and as ratios to a read-by-id round trip
 * measured in the same run (same HTTP stack, no search), so numbers stay comparable on a busy
 * machine. Prints one JSON summary; exits non-zero when a budget ratio is missed.
 *
 *     taskset -c 0 npx tsx bench/fhir-search.bench.ts [patients=10000] [observations=3] [samples=300]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'

import type { Bundle } from '@medplum/fhirtypes'

import { startFhir } from '../devstack/src/fhir/server'
import { percentile } from './support/stats'
import { PHN_SYSTEM, syntheticPatientsBundle } from './support/synthetic-patients'

const PHN = PHN_SYSTEM

/** Budgets, as ratios to the read-by-id round trip (p95 over p95). */
const BUDGET = {
    identifierSearch: 3,
    identifierSearchByBatch: 4,
    everything: 6,
    revinclude: 6,
}

const patients = Number(process.argv[2] ?? 10_000)
const observationsPerPatient = Number(process.argv[3] ?? 3)
const samples = Number(process.argv[4] ?? 300)
const patientsPerBundle = 50

const phnOf = (i: number): string => String(1_000_000_000 + i)

interface Stats {
    p50: number
    p95: number
}

async function measure(name: string, run: (i: number) => Promise<void>): Promise<Stats> {
    for (let i = 0; i < 20; i++) {
        await run(i) // warm-up
    }
    const times: number[] = []
    for (let i = 0; i < samples; i++) {
        const start = performance.now()
        await run(i)
        times.push(performance.now() - start)
    }
    times.sort((a, b) => a - b)
    const stats = { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) }
    console.error(`${name}: p50 ${stats.p50} ms, p95 ${stats.p95} ms`)
    return stats
}

const round = (value: number): number => Math.round(value * 1000) / 1000

async function main(): Promise<void> {
    const dir = mkdtempSync(path.join(tmpdir(), 'fhir-bench-'))
    const server = await startFhir({ port: 0, dataDir: dir })
    const get = async (pathAndQuery: string): Promise<Bundle> => {
        const response = await fetch(`${server.url}/${pathAndQuery}`, {
            headers: { accept: 'application/fhir+json' },
        })
        if (!response.ok) {
            throw new Error(`${pathAndQuery}: ${response.status} ${await response.text()}`)
        }
        return (await response.json()) as Bundle
    }
    const post = async (body: unknown): Promise<Bundle> => {
        const response = await fetch(server.url, {
            method: 'POST',
            headers: { 'content-type': 'application/fhir+json' },
            body: JSON.stringify(body),
        })
        if (!response.ok) {
            throw new Error(`POST: ${response.status} ${await response.text()}`)
        }
        return (await response.json()) as Bundle
    }

    try {
        const loadStart = performance.now()
        for (let first = 0; first < patients; first += patientsPerBundle) {
            await post(
                syntheticPatientsBundle({
                    first,
                    count: Math.min(patientsPerBundle, patients - first),
                    observationsPerPatient,
                    phnOf,
                })
            )
        }
        const loadMs = performance.now() - loadStart
        const resources = patients * (1 + observationsPerPatient)
        console.error(`loaded ${resources} resources in ${Math.round(loadMs)} ms`)

        // Ids of a spread of patients, for the read-by-id baseline and $everything.
        const ids: string[] = []
        for (let i = 0; i < 50; i++) {
            const phn = phnOf(Math.floor((i * patients) / 50))
            const found = await get(`Patient?identifier=${encodeURIComponent(`${PHN}|${phn}`)}`)
            ids.push(found.entry?.[0]?.resource?.id as string)
        }
        const randomPhn = (i: number): string => phnOf((i * 7919) % patients)

        const baseline = await measure('read by id (baseline)', async (i) => {
            await get(`Patient/${ids[i % ids.length]}`)
        })
        const metadata = await measure('GET /metadata', async () => {
            await get('metadata')
        })
        const identifierSearch = await measure('GET Patient?identifier=', async (i) => {
            const bundle = await get(
                `Patient?identifier=${encodeURIComponent(`${PHN}|${randomPhn(i)}`)}`
            )
            if (bundle.total !== 1) throw new Error('identifier search did not find exactly one')
        })
        const identifierSearchByBatch = await measure(
            'batch GET Patient?identifier=',
            async (i) => {
                const bundle = await post({
                    resourceType: 'Bundle',
                    type: 'batch',
                    entry: [
                        {
                            request: {
                                method: 'GET',
                                url: `Patient?identifier=${PHN}|${randomPhn(i)}`,
                            },
                        },
                    ],
                })
                if ((bundle.entry?.[0]?.resource as Bundle).total !== 1)
                    throw new Error('batch search failed')
            }
        )
        const everything = await measure('Patient/$everything', async (i) => {
            const bundle = await get(`Patient/${ids[i % ids.length]}/$everything`)
            if (bundle.total !== 1 + observationsPerPatient)
                throw new Error('$everything incomplete')
        })
        const revinclude = await measure(
            'Patient?identifier=&_revinclude=Observation:subject',
            async (i) => {
                const bundle = await get(
                    `Patient?identifier=${encodeURIComponent(`${PHN}|${randomPhn(i)}`)}&_revinclude=Observation:subject`
                )
                if (bundle.entry?.length !== 1 + observationsPerPatient)
                    throw new Error('_revinclude incomplete')
            }
        )

        const ratio = (stats: Stats): number => round(stats.p95 / baseline.p95)
        const ratioP50 = (stats: Stats): number => round(stats.p50 / baseline.p50)
        const ratios = {
            identifierSearch: ratio(identifierSearch),
            identifierSearchByBatch: ratio(identifierSearchByBatch),
            everything: ratio(everything),
            revinclude: ratio(revinclude),
        }
        const withinBudget = (Object.keys(BUDGET) as (keyof typeof BUDGET)[]).every(
            (key) => ratios[key] <= BUDGET[key]
        )
        const summary = {
            benchmark: 'fhir-search',
            node: process.version,
            patients,
            observationsPerPatient,
            resources,
            samples,
            load: {
                ms: Math.round(loadMs),
                resourcesPerSecond: Math.round((resources / loadMs) * 1000),
            },
            ms: {
                baselineReadById: baseline,
                metadata,
                identifierSearch,
                identifierSearchByBatch,
                everything,
                revinclude,
            },
            ratioP50ToBaseline: {
                identifierSearch: ratioP50(identifierSearch),
                identifierSearchByBatch: ratioP50(identifierSearchByBatch),
                everything: ratioP50(everything),
                revinclude: ratioP50(revinclude),
            },
            ratioP95ToBaseline: ratios,
            budgetRatioP95: BUDGET,
            withinBudget,
        }
        console.log(JSON.stringify(summary, null, 2))
        process.exitCode = withinBudget ? 0 : 1
    } finally {
        await server.close()
        rmSync(dir, { recursive: true, force: true })
    }
}

main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
})
