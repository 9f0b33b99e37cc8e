import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import {
    PASSWORDS,
    sessionCookie,
    spawnDhis2,
    type SpawnedDhis2,
    tempDataRoot,
} from '../devstack/test-support/dhis2'
import { APP_DIRS, deploy } from '../deploy/src/install/deploy'
import { createDhis2Client } from '../deploy/src/install/dhis2-client'
import { launchChromium } from './test-support/chromium'

// The install path operators use, end to end: `deploy` uploads the app zips into a fresh DHIS2
// stand-in that serves NO apps from this checkout (DHIS2_APP_BUILDS_DIR points at an empty
// folder), so what opens in Chromium is exactly what App Management installed.
const root = path.resolve(__dirname, '..')
const data = tempDataRoot()
let dhis2: SpawnedDhis2
let browser: Browser

const zipsBuilt = () =>
    APP_DIRS.every((dir) => {
        const bundle = path.join(dir, 'build/bundle')
        return existsSync(bundle) && readdirSync(bundle).some((f) => f.endsWith('.zip'))
    })

beforeAll(async () => {
    // Build only when a zip is missing (about a minute): CI builds before the e2e project.
    if (!zipsBuilt())
        execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' })
    dhis2 = await spawnDhis2(data.dir, { DHIS2_APP_BUILDS_DIR: data.dir })
    const client = createDhis2Client({
        url: dhis2.url,
        username: 'admin',
        password: PASSWORDS.admin,
    })
    await deploy(
        {
            client,
            routes: {
                relayUrl: 'http://127.0.0.1:9',
                relaySecret: 'e2e-deploy-route-secret-0123456789abcdef',
                fhirUrl: 'http://127.0.0.1:9/fhir',
                fhirUsername: 'fhir',
                fhirPassword: 'fhir',
            },
        },
        'admin'
    )
    browser = await launchChromium()
})

afterAll(async () => {
    await browser?.close()
    await dhis2?.stop()
    data.remove()
})

it.each([
    ['anc-registration', 'midwife', 'ANC Registration'],
    ['anc-doctor', 'doctor', 'ANC Doctor'],
])('%s, installed by deploy, opens for the %s', async (app, user, title) => {
    const cookie = await sessionCookie(dhis2.url, user, PASSWORDS[user as 'midwife' | 'doctor'])
    const context = await browser.newContext()
    const [name, value] = cookie.split('=') as [string, string]
    await context.addCookies([{ name, value, url: dhis2.url }])
    const page = await context.newPage()
    try {
        await page.goto(`${dhis2.url}/api/apps/${app}/index.html`)
        await page.locator('h1', { hasText: title }).waitFor({ timeout: 30_000 })
    } catch (error) {
        await page.screenshot({ path: path.join(root, `test-results/deploy-${app}.png`) })
        throw error
    } finally {
        await context.close()
    }
})

it('the login app, installed by deploy, is the public sign-in page', async () => {
    const page = await browser.newPage()
    try {
        await page.goto(`${dhis2.url}/api/apps/login/index.html`)
        await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor({ timeout: 30_000 })
        await page.getByRole('button', { name: 'Sign in with National ID', exact: true }).waitFor()
    } catch (error) {
        await page.screenshot({ path: path.join(root, 'test-results/deploy-login.png') })
        throw error
    } finally {
        await page.close()
    }
})
