#!/usr/bin/env node
// The README's test command (`npm test`), also run by .ci/run:
//   chromium present -> i18n catalogue current and worded by i18n/glossary.json -> type-check ->
//   lint + format -> build the three apps and the relay -> Jest unit and node projects -> Jest e2e
//   project (Chromium) -> one summary line.
// Every step runs even if an earlier one failed, so one run shows every problem; the exit code
// is non-zero if anything failed. The last line is `N passed, N failed`, computed from Jest's
// JSON results plus one entry per check step (CI reads that line, not Jest's own summary).
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { nodeOptionsForMedplum, root, run } from './lib.mjs'

const args = new Set(process.argv.slice(2))
const skipBuild = args.has('--no-build')
const skipE2e = args.has('--no-e2e')
const results = path.join(root, 'test-results')
mkdirSync(results, { recursive: true })

const steps = []
async function step(name, command, commandArgs, options) {
    console.log(`\n=== ${name}`)
    const outcome = await run('', command, commandArgs, options)
    steps.push({ name, ...outcome })
    console.log(
        `=== ${name}: ${outcome.code === 0 ? 'ok' : `FAILED (exit ${outcome.code})`} in ${outcome.seconds.toFixed(1)} s`
    )
    return outcome.code === 0
}

function jestCounts(file) {
    if (!existsSync(file)) return { passed: 0, failed: 1, note: `${path.basename(file)} missing` }
    const report = JSON.parse(readFileSync(file, 'utf8'))
    // A suite that cannot even load has no failed tests but is a failure all the same.
    const brokenSuites = report.testResults.filter(
        (suite) => suite.status === 'failed' && suite.assertionResults.length === 0
    ).length
    return { passed: report.numPassedTests, failed: report.numFailedTests + brokenSuites }
}

// --forceExit: a suite that leaves a handle open (a child server, a database) must fail loudly
// in its own tests, not hang CI after every result is in; Jest still prints its warning.
const bin = (name) => path.join(root, 'node_modules/.bin', name)
const jestEnv = { NODE_OPTIONS: nodeOptionsForMedplum() }

const chromiumOk =
    skipE2e || (await step('chromium', process.execPath, ['scripts/ensure-chromium.mjs']))
await step('i18n catalogue up to date and worded by its glossary', process.execPath, [
    'scripts/i18n.mjs',
    '--check',
])
await step('type-check (tsc, strict)', bin('tsc'), ['--noEmit', '-p', '.'])
await step('lint (eslint)', bin('eslint'), ['--max-warnings=0', '.'])
await step('format (prettier)', bin('prettier'), ['--check', '.'])

// The builds come before Jest: the deploy tests install the apps' zips, the journeys load them.
const built =
    skipBuild ||
    (await step('build the three apps and the relay', process.execPath, ['scripts/build.mjs']))

const unitJson = path.join(results, 'jest-unit.json')
rmSync(unitJson, { force: true })
await step(
    'unit and service tests (jest)',
    bin('jest'),
    [
        '--ci',
        '--forceExit',
        '--selectProjects',
        'unit',
        'node',
        '--json',
        `--outputFile=${unitJson}`,
    ],
    { env: jestEnv }
)

let e2eJson
if (!skipE2e) {
    if (built && chromiumOk) {
        e2eJson = path.join(results, 'jest-e2e.json')
        rmSync(e2eJson, { force: true })
        await step(
            'browser tests (jest e2e, Chromium)',
            bin('jest'),
            [
                '--ci',
                '--forceExit',
                '--runInBand',
                '--selectProjects',
                'e2e',
                '--json',
                `--outputFile=${e2eJson}`,
            ],
            { env: jestEnv }
        )
    } else {
        steps.push({ name: 'browser tests skipped: build or chromium failed', code: 1, seconds: 0 })
    }
}

const jest = [jestCounts(unitJson), ...(e2eJson ? [jestCounts(e2eJson)] : [])]
const checks = steps.filter(
    (s) => !s.name.startsWith('unit and service') && !s.name.startsWith('browser tests (')
)
const passed =
    jest.reduce((sum, c) => sum + c.passed, 0) + checks.filter((s) => s.code === 0).length
const failed =
    jest.reduce((sum, c) => sum + c.failed, 0) + checks.filter((s) => s.code !== 0).length

console.log('\n=== summary')
for (const s of steps)
    console.log(`${s.code === 0 ? 'ok    ' : 'FAILED'} ${s.name} (${s.seconds.toFixed(1)} s)`)
for (const c of jest) if (c.note) console.log(`FAILED ${c.note}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 && steps.every((s) => s.code === 0) ? 0 : 1)
