/**
 * Budget: tracker → FHIR mapping of N patients with 8 contacts each, on one core, at least
 * 5,000 patients per second. Reported with the ratio to JSON.stringify of the same output,
 * measured in the same run (each bundle is stringified right after it is mapped, timed
 * separately), so the ratio stays meaningful on a slower or busier machine.
 *
 *   taskset -c 0 npx tsx bench/fhir-mapping.bench.ts [patients=5000] [rounds=5]
 */
import { performance } from 'node:perf_hooks'
import { dateAtGestationalAge } from '@anc/shared/anc'
import { FIXTURE_LMP, fixtureTrackedEntity } from '@anc/shared/test-support'
import { trackerToFhirBundle } from '@anc/shared/fhir'

const N = Number(process.argv[2] ?? 5000)
const ROUNDS = Number(process.argv[3] ?? 5)
const TARGET_PER_SECOND = 5000
const today = dateAtGestationalAge(FIXTURE_LMP, 40, 3)
const inputs = Array.from({ length: N }, (_, i) => fixtureTrackedEntity(i + 1, 8))

interface Round {
    mapMs: number
    stringifyMs: number
    entries: number
    bytes: number
}

function round(): Round {
    let mapMs = 0
    let stringifyMs = 0
    let entries = 0
    let bytes = 0
    for (let i = 0; i < N; i++) {
        const t0 = performance.now()
        const { bundle } = trackerToFhirBundle({ trackedEntity: inputs[i]!, today })
        const t1 = performance.now()
        const json = JSON.stringify(bundle)
        const t2 = performance.now()
        mapMs += t1 - t0
        stringifyMs += t2 - t1
        entries += bundle.entry?.length ?? 0
        bytes += json.length
    }
    return { mapMs, stringifyMs, entries, bytes }
}

round() // warm-up: let the JIT compile both paths
const rounds = Array.from({ length: ROUNDS }, round)
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const mapMs = median(rounds.map((r) => r.mapMs))
const stringifyMs = median(rounds.map((r) => r.stringifyMs))
const { entries, bytes } = rounds[0]!
const perSecond = (N / mapMs) * 1000

console.log(
    `patients: ${N} x 8 contacts; ${entries / N} entries, ${(bytes / N / 1024).toFixed(1)} KiB JSON per patient`
)
console.log(
    `mapping:        ${mapMs.toFixed(0)} ms (median of ${ROUNDS}) = ${Math.round(perSecond)} patients/s (budget >= ${TARGET_PER_SECOND})`
)
console.log(
    `JSON.stringify: ${stringifyMs.toFixed(0)} ms (median of ${ROUNDS}) = ${Math.round((N / stringifyMs) * 1000)} patients/s`
)
console.log(
    `ratio mapping time / JSON.stringify time of the same output: ${(mapMs / stringifyMs).toFixed(2)}`
)
if (perSecond < TARGET_PER_SECOND) {
    console.log('BUDGET MISSED')
    process.exitCode = 1
}
