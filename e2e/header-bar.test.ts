import type { Browser } from 'playwright-core'
import { launchChromium } from './test-support/chromium'
import { startJourneyStack, type JourneyStack } from './test-support/stack'

// DHIS2's real header bar (from @dhis2/ui, inside each built app), served by the DHIS2
// stand-in, must list both staff apps in its app menu and launch them: that is how midwives
// and doctors reach the apps.
let stack: JourneyStack
let browser: Browser

beforeAll(async () => {
    ;[stack, browser] = await Promise.all([startJourneyStack(), launchChromium()])
}, 180_000)

afterAll(async () => {
    await browser?.close()
    await stack?.stop()
}, 60_000)

it('lists ANC Registration and ANC Doctor in the app menu and launches the doctor app from it', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    try {
        const login = await page.request.post(`${stack.dhis2}/api/auth/login`, {
            data: { username: 'admin', password: 'district' },
        })
        // Status and body in the assertion, so a failure says what the server answered.
        expect({ status: login.status(), body: await login.text() }).toEqual({
            status: 200,
            body: expect.stringContaining('"loginStatus":"SUCCESS"'),
        })

        await page.goto(`${stack.dhis2}/api/apps/anc-registration/index.html`)
        const header = page.locator('header')
        await header.getByText('ANC Registration').first().waitFor({ timeout: 60_000 })

        await page.locator('[data-test="headerbar-apps-icon"]').click()
        const menu = page.locator('[data-test="headerbar-apps-menu-list"]')
        await menu.getByText('ANC Registration').waitFor()
        const doctor = menu.getByText('ANC Doctor')
        await doctor.waitFor()

        await doctor.click()
        await page.waitForURL((url) => url.pathname.startsWith('/api/apps/anc-doctor/'))
        await page.locator('header').getByText('ANC Doctor').first().waitFor({ timeout: 60_000 })
    } finally {
        await context.close()
    }
})
