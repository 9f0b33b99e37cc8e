/**
 * `npm start` budget: from launching devstack/src/stack/main.ts on an installed checkout to all
 * four services answering their health checks, at most 15 s. Runs the real orchestrator on
 * spare ports with its own data directory, cold (fresh data: seeding included) and warm (a
 * restart on the same data), and prints one JSON summary. Exits non-zero when a run misses it.
 *
 *     npx tsx bench/stack-start.bench.ts [runs=2]
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const BUDGET_MS = 15_000
const ROOT = path.resolve(__dirname, '..')
const runs = Number(process.argv[2] ?? 2)

function startOnce(dataDir: string): Promise<{ wallMs: number; healthyMs: number }> {
    const started = Date.now()
    const child = spawn(
        process.execPath,
        [require.resolve('tsx/cli'), path.join(ROOT, 'devstack/src/stack/main.ts')],
        {
            cwd: ROOT,
            env: {
                ...process.env,
                ANC_DATA_DIR: dataDir,
                DHIS2_PORT: '28080',
                ESIGNET_PORT: '28088',
                FHIR_PORT: '28090',
                RELAY_PORT: '28095',
                STACK_EXIT_WHEN_HEALTHY: '1',
            },
            stdio: ['ignore', 'pipe', 'inherit'],
        }
    )
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    return new Promise((resolve, reject) => {
        child.on('exit', (code) => {
            const match = /STACK_HEALTHY_MS=(\d+)/.exec(output)
            if (code !== 0 || !match?.[1])
                return reject(new Error(`stack did not become healthy (exit ${code}):\n${output}`))
            resolve({ wallMs: Date.now() - started, healthyMs: Number(match[1]) })
        })
    })
}

async function main(): Promise<void> {
    const results: { run: number; kind: string; healthyMs: number; fromSpawnMs: number }[] = []
    for (let run = 1; run <= runs; run++) {
        const dataDir = mkdtempSync(path.join(tmpdir(), 'anc-stack-bench-'))
        try {
            for (const kind of ['cold', 'warm']) {
                const { healthyMs, wallMs } = await startOnce(dataDir)
                // healthyMs: measured inside the orchestrator; fromSpawnMs also counts tsx start-up
                // and the clean shutdown after the report (an upper bound).
                results.push({ run, kind, healthyMs, fromSpawnMs: wallMs })
            }
        } finally {
            rmSync(dataDir, { recursive: true, force: true })
        }
    }
    const worst = Math.max(...results.map((r) => r.healthyMs))
    console.log(JSON.stringify({ budgetMs: BUDGET_MS, worstMs: worst, results }, null, 2))
    if (worst > BUDGET_MS) process.exit(1)
}

void main()
