/**
 * The login app's journey against the local stack (eSignet, FHIR, relay and DHIS2 stand-ins on
 * free ports): staff sign in with a password and with national ID and land in DHIS2; a woman
 * registered earlier signs in with national ID and sees her own record and contacts; a second
 * woman sees only hers; one with no record is told what to do; a forged session sees nothing.
 * Needs `node scripts/build.mjs patient-app` first (the DHIS2 stand-in serves the build).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from './test-support/chromium'
import { registerPatient, type RegisteredPatient } from './test-support/patient-records'
import { screenshotDir } from './test-support/screenshots'
import { startJourneyStack, type JourneyStack } from './test-support/stack'

const SCREENSHOTS = screenshotDir('patient-app')
const PHONE = { width: 360, height: 740 }
const DESKTOP = { width: 1280, height: 900 }
const OTP = '111111'

jest.setTimeout(240_000)

let stack: JourneyStack
let browser: Browser
let first: RegisteredPatient
let second: RegisteredPatient

beforeAll(async () => {
    if (!existsSync(path.resolve(__dirname, '../patient-app/build/app/index.html'))) {
        throw new Error('Build the login app first: node scripts/build.mjs patient-app')
    }
    stack = await startJourneyStack()
    browser = await launchChromium()
    first = await registerPatient(stack, 901, '5860125421', 'Dilini', 'Jayawardena')
    second = await registerPatient(stack, 902, '7391048265', 'Kumari', 'Wickramasinghe')
})

afterAll(async () => {
    await browser?.close()
    await stack?.stop()
})

async function newPage(viewport = PHONE): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport })
    const page = await context.newPage()
    return { context, page }
}

/** eSignet stand-in pages: individual ID, OTP, consent (only asked the first time). */
async function authenticateAtEsignet(page: Page, individualId: string) {
    await page.getByLabel('Individual ID (UIN or VID)').fill(individualId)
    await page.getByRole('button', { name: 'Get OTP' }).click()
    await page.getByLabel('One-time password').fill(OTP)
    await page.getByRole('button', { name: 'Verify' }).click()
    const allow = page.getByRole('button', { name: 'Allow' })
    try {
        await allow.waitFor({ timeout: 3000 })
        await allow.click()
    } catch {
        // consent remembered, or the window already went back
    }
}

async function whoAmI(page: Page, dhis2: string): Promise<string | undefined> {
    const response = await page.request.get(`${dhis2}/api/me?fields=username`)
    if (response.status() !== 200) return undefined
    return ((await response.json()) as { username?: string }).username
}

/** The patient button is enabled once the relay config has arrived. */
async function patientButtonReady(page: Page) {
    await page.waitForFunction(() =>
        [...document.querySelectorAll('button')].some(
            (b) => b.textContent?.includes('My pregnancy record') && !b.disabled
        )
    )
    return page.getByRole('button', { name: 'My pregnancy record: sign in with National ID' })
}

async function patientSignIn(context: BrowserContext, page: Page, individualId: string) {
    await page.goto(`${stack.dhis2}/dhis-web-login/`)
    const button = await patientButtonReady(page)
    const [popup] = await Promise.all([context.waitForEvent('page'), button.click()])
    await popup.waitForURL(/\/(authorize|interaction)/)
    await authenticateAtEsignet(popup, individualId)
}

describe('staff sign-in', () => {
    it('with username and password lands in DHIS2', async () => {
        const { context, page } = await newPage(DESKTOP)
        await page.goto(`${stack.dhis2}/dhis-web-login/`)
        await page.getByLabel('Username').fill('midwife')
        await page.getByLabel('Password').fill('Anc#2026dev')
        await patientButtonReady(page)
        await page.screenshot({ path: path.join(SCREENSHOTS, 'login-desktop.png') })
        await page.getByRole('button', { name: 'Sign in', exact: true }).click()
        await page.waitForURL((url) => !url.pathname.startsWith('/dhis-web-login'))
        expect(await whoAmI(page, stack.dhis2)).toBe('midwife')
        await context.close()
    })

    it('says so when the password is wrong, and stays signed out', async () => {
        const { context, page } = await newPage()
        await page.goto(`${stack.dhis2}/dhis-web-login/`)
        await page.getByLabel('Username').fill('midwife')
        await page.getByLabel('Password').fill('not-the-password')
        await page.getByRole('button', { name: 'Sign in', exact: true }).click()
        await page.getByText('Incorrect username or password').waitFor()
        expect(await whoAmI(page, stack.dhis2)).toBeUndefined()
        await context.close()
    })

    it('with national ID (DHIS2 OIDC through eSignet) lands in DHIS2', async () => {
        const { context, page } = await newPage(DESKTOP)
        await page.goto(`${stack.dhis2}/dhis-web-login/`)
        await page.getByRole('button', { name: 'Sign in with National ID', exact: true }).click()
        await page.waitForURL(/\/(authorize|interaction)/)
        await authenticateAtEsignet(page, '8267411072')
        await page.waitForURL(
            (url) => url.origin === stack.dhis2 && !url.pathname.startsWith('/dhis-web-login')
        )
        expect(await whoAmI(page, stack.dhis2)).toBe('midwife')
        await context.close()
    })
})

describe('keyboard', () => {
    it('reaches every control of the login page with Tab alone', async () => {
        const { context, page } = await newPage(PHONE)
        await page.goto(`${stack.dhis2}/dhis-web-login/`)
        await patientButtonReady(page)
        const reached: string[] = []
        for (let i = 0; i < 12; i += 1) {
            await page.keyboard.press('Tab')
            reached.push(
                await page.evaluate(() => {
                    const el = document.activeElement as HTMLElement | null
                    if (!el) return ''
                    const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null
                    return (label?.textContent ?? el.textContent ?? '').trim()
                })
            )
        }
        for (const control of [
            'My pregnancy record: sign in with National ID',
            'Username',
            'Password',
            'Sign in with National ID',
        ]) {
            expect(reached.some((text) => text.startsWith(control))).toBe(true)
        }
        await context.close()
    })
})

describe('patient portal', () => {
    it('a registered woman signs in with national ID and sees her record and contacts', async () => {
        const { context, page } = await newPage(PHONE)
        await page.goto(`${stack.dhis2}/dhis-web-login/`)
        await patientButtonReady(page)
        await page.screenshot({ path: path.join(SCREENSHOTS, 'login-phone.png'), fullPage: true })

        const relayCalls: string[] = []
        page.on('request', (request) => {
            if (request.url().includes('/anc-relay/patient/'))
                relayCalls.push(new URL(request.url()).pathname)
        })
        await patientSignIn(context, page, first.individualId)
        await page.getByRole('heading', { name: 'My pregnancy record' }).waitFor()

        const details = page.getByRole('region', { name: 'My details' })
        await expect(details.textContent()).resolves.toContain(first.fullName)
        await expect(details.textContent()).resolves.toContain(first.phn)
        const upcoming = page.getByRole('region', { name: 'Upcoming visits' })
        expect(await upcoming.getByRole('listitem').count()).toBeGreaterThan(0)
        const history = page.getByRole('region', { name: 'My visits so far' })
        expect(await history.getByRole('listitem').count()).toBe(2)
        await expect(history.textContent()).resolves.toContain('Blood pressure')
        // First view after sign-in: the session, then one request for the whole record.
        expect(relayCalls).toEqual(['/anc-relay/patient/session', '/anc-relay/patient/record'])

        // Nothing wider than the phone.
        const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth
        )
        expect(overflow).toBeLessThanOrEqual(0)
        await page.screenshot({ path: path.join(SCREENSHOTS, 'record-phone.png'), fullPage: true })
        await page.setViewportSize(DESKTOP)
        await page.screenshot({
            path: path.join(SCREENSHOTS, 'record-desktop.png'),
            fullPage: true,
        })

        // The calendar download is real RFC 5545 text.
        const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.getByRole('button', { name: 'Add all visits to my calendar' }).click(),
        ])
        expect(download.suggestedFilename()).toBe('anc-visits.ics')

        // Sign out ends the relay session: the record is gone for this browser.
        await page.getByRole('button', { name: 'Sign out' }).click()
        await page.getByText('You are signed out.').waitFor()
        const after = await page.request.get(`${stack.dhis2}/anc-relay/patient/record`)
        expect(after.status()).toBe(401)
        await context.close()
    })

    it('a second woman sees only her own record', async () => {
        const { context, page } = await newPage(PHONE)
        await patientSignIn(context, page, second.individualId)
        await page.getByRole('heading', { name: 'My pregnancy record' }).waitFor()
        const body = (await page.locator('body').textContent()) ?? ''
        expect(body).toContain(second.fullName)
        expect(body).not.toContain(first.fullName)
        expect(body).not.toContain(first.phn)
        await context.close()
    })

    it('a verified woman with no record is told to ask her midwife', async () => {
        const { context, page } = await newPage(PHONE)
        await patientSignIn(context, page, '6028461937')
        await page.getByText('No pregnancy record is linked to your national ID yet').waitFor()
        await page.screenshot({
            path: path.join(SCREENSHOTS, 'no-record-phone.png'),
            fullPage: true,
        })
        await context.close()
    })

    it('a forged session cookie sees nothing and is offered to sign in again', async () => {
        const { context, page } = await newPage(PHONE)
        const host = new URL(stack.dhis2).hostname
        await context.addCookies([
            {
                name: 'anc-patient-session',
                value: 'eyJhbGciOiJkaXIifQ..forged.forged.forged',
                domain: host,
                path: '/',
            },
        ])
        const direct = await page.request.get(`${stack.dhis2}/anc-relay/patient/record`)
        expect(direct.status()).toBe(401)
        // As if she had signed in in this tab earlier: the page tries her record.
        await context.addInitScript(() => sessionStorage.setItem('anc.patient-portal', '1'))
        await page.goto(`${stack.dhis2}/dhis-web-login/`)
        await page.getByText('You have been signed out').waitFor()
        await page.getByRole('button', { name: 'Sign in again with National ID' }).waitFor()
        const body = (await page.locator('body').textContent()) ?? ''
        expect(body).not.toContain(first.fullName)
        expect(body).not.toContain(second.fullName)
        await page.screenshot({ path: path.join(SCREENSHOTS, 'expired-phone.png'), fullPage: true })
        await context.close()
    })
})
