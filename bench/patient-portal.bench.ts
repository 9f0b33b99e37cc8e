/**
 * Login app budget: the JavaScript a browser loads to show the login page, against a bare
 * `login_app` (a heading, nothing else) built with the same toolchain in the same run, so the
 * ratio says what our page costs on top of the App Platform shell. The portal's "one request for
 * the record" is asserted by e2e/patient.journey.test.ts (it counts /anc-relay/patient/ calls).
 *
 *   cd /work/main && npx tsx bench/patient-portal.bench.ts [--no-build]
 *
 * Budget: initial JS (gzip) at most 1.5x the bare login app. Exits non-zero when missed.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { launchChromium } from '../e2e/support/chromium'
import { startAppServer } from '../e2e/support/app-server'

const REPO = path.resolve(__dirname, '..')
const BARE = path.join(REPO, 'bench/.bare-login-app')
const BUDGET_RATIO = 1.5

function run(command: string, args: string[], cwd: string): void {
    const started = Date.now()
    const result = spawnSync(command, args, {
        cwd,
        env: { ...process.env, CI: 'true' },
        stdio: 'pipe',
    })
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`)
    }
    console.log(`  ${args.join(' ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

function buildBareLoginApp(): string {
    rmSync(BARE, { recursive: true, force: true })
    mkdirSync(path.join(BARE, 'src'), { recursive: true })
    writeFileSync(
        path.join(BARE, 'package.json'),
        JSON.stringify({ name: 'bare-login-app', version: '0.0.0', private: true })
    )
    // Same platform settings and the same adapter work-around as the real app.
    writeFileSync(
        path.join(BARE, 'd2.config.js'),
        `module.exports = { type: 'login_app', name: 'login', title: 'Bare login',
            entryPoints: { app: './src/App.jsx' }, viteConfigExtensions: '../../vite.shared.mjs' }\n`
    )
    writeFileSync(
        path.join(BARE, 'src/App.jsx'),
        `import React from 'react'\nconst App = () => <h1>Sign in</h1>\nexport default App\n`
    )
    run('npx', ['d2-app-scripts', 'build'], BARE)
    return path.join(BARE, 'build/app')
}

interface Loaded {
    files: number
    raw: number
    gzip: number
}

/** Loads the page in Chromium and sums the JavaScript it fetched until the network is idle. */
async function initialJs(buildDir: string): Promise<Loaded> {
    const server = await startAppServer({ apps: { login: buildDir } })
    const browser = await launchChromium()
    try {
        const page = await browser.newPage()
        const bodies: Promise<Buffer>[] = []
        page.on('response', (response) => {
            const type = response.headers()['content-type'] ?? ''
            if (type.includes('javascript') && !response.url().endsWith('service-worker.js')) {
                bodies.push(response.body())
            }
        })
        await page.goto(`${server.url}/api/apps/login/index.html`, { waitUntil: 'networkidle' })
        await page.getByRole('heading').first().waitFor()
        const files = await Promise.all(bodies)
        return {
            files: files.length,
            raw: files.reduce((sum, b) => sum + b.length, 0),
            gzip: files.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0),
        }
    } finally {
        await browser.close()
        await server.close()
    }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`

async function main(): Promise<void> {
    console.log('Building (same toolchain, same run):')
    if (!process.argv.includes('--no-build'))
        run('node', ['scripts/build.mjs', 'patient-app'], REPO)
    const bareDir = buildBareLoginApp()
    const ours = await initialJs(path.join(REPO, 'patient-app/build/app'))
    const bare = await initialJs(bareDir)
    rmSync(BARE, { recursive: true, force: true })
    const ratio = ours.gzip / bare.gzip
    console.log(
        `bare login app:  ${bare.files} JS files, ${kb(bare.raw)} raw, ${kb(bare.gzip)} gzip`
    )
    console.log(
        `patient-app:     ${ours.files} JS files, ${kb(ours.raw)} raw, ${kb(ours.gzip)} gzip`
    )
    console.log(
        `extra over bare: ${kb(ours.gzip - bare.gzip)} gzip; ratio ${ratio.toFixed(2)} (budget <= ${BUDGET_RATIO})`
    )
    if (ratio > BUDGET_RATIO) process.exit(1)
}

main().catch((error: Error) => {
    console.error(error.message)
    process.exit(1)
})
