/**
 * Registration budgets, measured in real Chromium:
 *   1. requests after the form is complete: at most 3 (PHN, tracker import, FHIR push);
 *   2. initial JavaScript (gzip) at most 1.25x a bare App Platform app built in the same run.
 *
 *   cd /work/main && node scripts/build.mjs registration-app && npx tsx bench/registration-requests.bench.ts
 *
 * (1) runs the whole local stack (devstack/src/stack/launch.ts), signs in as the midwife,
 * fills a registration, waits until the duplicate check has settled, then counts every request
 * the page makes from the click on Save until the PHN card shows. (2) builds a bare app
 * (`type: 'app'`, one <div>) with the same cli-app-scripts, loads both builds from the same
 * minimal host and sums the gzip size of every script each page loads until the network is idle.
 * Exits non-zero when a budget is missed.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { startAppServer } from '../e2e/support/app-server'
import { launchChromium } from '../e2e/support/chromium'
import { launchTestStack } from '../devstack/src/stack/launch'

const ROOT = path.resolve(__dirname, '..')
const MIDWIFE = { username: 'midwife', password: 'Anc#2026dev' }

async function requestsAfterFormComplete(): Promise<string[]> {
    const stack = await launchTestStack()
    const browser = await launchChromium()
    try {
        const context = await browser.newContext()
        const login = await context.request.post(`${stack.urls.dhis2}/api/auth/login`, {
            data: MIDWIFE,
        })
        if (login.status() !== 200) throw new Error(`login: ${login.status()}`)
        const page = await context.newPage()
        await page.goto(`${stack.urls.dhis2}/api/apps/anc-registration/index.html#/register`)
        await page.locator('input[name="fullName"]').fill('Bench Registration')
        await page.locator('input[name="birthDate"]').fill('1995-03-04')
        await page.locator('input[name="phone"]').fill('0712345670')
        await page.locator('input[name="lmp"]').fill('2026-09-01')
        await page.locator('input[name="gravida"]').fill('1')
        await page.locator('input[name="parity"]').fill('0')
        await page.locator('input[name="systolic"]').fill('120')
        await page.locator('input[name="diastolic"]').fill('80')
        await page
            .locator('[data-test="field-orgUnit"] [data-test="dhis2-uicore-select-input"]')
            .click()
        await page.getByText('Colombo ANC Clinic A', { exact: true }).click()
        // The form is complete once the background duplicate check has answered.
        await page.waitForTimeout(1000)
        await page.getByText('Checking for an existing record…').waitFor({ state: 'detached' })
        const requests: string[] = []
        page.on('request', (request) => {
            const url = new URL(request.url())
            if (
                !/\.(js|css|png|woff2?|svg|json)$/.test(url.pathname) ||
                url.pathname.includes('/api/')
            ) {
                requests.push(`${request.method()} ${url.pathname}`)
            }
        })
        await page.getByRole('button', { name: 'Save and issue PHN' }).click()
        await page.getByText('Saved in DHIS2 and in the national record').waitFor()
        await page.waitForTimeout(500)
        return requests
    } finally {
        await browser.close()
        await stack.close()
    }
}

function buildBareApp(dir: string): string {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(path.join(dir, 'src'), { recursive: true })
    writeFileSync(
        path.join(dir, 'package.json'),
        JSON.stringify({ name: 'bare-app', version: '1.0.0', private: true })
    )
    writeFileSync(
        path.join(dir, 'd2.config.js'),
        "module.exports = { type: 'app', name: 'bare-app', title: 'Bare', entryPoints: { app: './src/App.jsx' } }\n"
    )
    writeFileSync(
        path.join(dir, 'src/App.jsx'),
        "import React from 'react'\nconst App = () => <h1>Bare</h1>\nexport default App\n"
    )
    execFileSync(
        process.execPath,
        [path.join(ROOT, 'node_modules/@dhis2/cli-app-scripts/bin/d2-app-scripts'), 'build'],
        { cwd: dir, env: { ...process.env, CI: 'true' }, stdio: 'ignore' }
    )
    return path.join(dir, 'build/app')
}

async function initialScriptsGzip(apps: Record<string, string>): Promise<Record<string, number>> {
    const server = await startAppServer({ apps })
    const browser = await launchChromium()
    const sizes: Record<string, number> = {}
    try {
        for (const name of Object.keys(apps)) {
            const page = await browser.newPage()
            let total = 0
            page.on('response', async (response) => {
                if (response.request().resourceType() !== 'script') return
                try {
                    total += gzipSync(await response.body(), { level: 9 }).length
                } catch {
                    // a redirect or aborted response has no body
                }
            })
            await page.goto(`${server.url}/api/apps/${name}/index.html`, {
                waitUntil: 'networkidle',
            })
            await page.locator('h1').first().waitFor()
            await page.waitForLoadState('networkidle')
            sizes[name] = total
            await page.close()
        }
    } finally {
        await browser.close()
        await server.close()
    }
    return sizes
}

async function main() {
    const requests = await requestsAfterFormComplete()
    console.log(`requests after the form is complete: ${requests.length} (budget 3)`)
    for (const request of requests) console.log(`  ${request}`)

    const bareDir = path.join(ROOT, '.bench-bare-app')
    let sizes: Record<string, number>
    try {
        const bare = buildBareApp(bareDir)
        sizes = await initialScriptsGzip({
            'bare-app': bare,
            'anc-registration': path.join(ROOT, 'registration-app/build/app'),
        })
    } finally {
        rmSync(bareDir, { recursive: true, force: true })
    }
    const bare = sizes['bare-app'] ?? 0
    const app = sizes['anc-registration'] ?? 0
    const ratio = app / bare
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`
    console.log(
        `initial JS gzip: registration ${kib(app)}, bare app ${kib(bare)}, ratio ${ratio.toFixed(2)} (budget 1.25)`
    )
    const ok = requests.length <= 3 && ratio <= 1.25
    process.exit(ok ? 0 : 1)
}

main().catch((error: Error) => {
    console.error(error)
    process.exit(2)
})
