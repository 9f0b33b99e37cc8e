import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { ATTRIBUTES, PROGRAM_ANC } from '@anc/shared/metadata'
import { DEV_SECRETS } from '../devstack/src/stack/dev-secrets'
import { launchChromium } from './test-support/chromium'
import { fillPregnancy } from './test-support/registration-form'
import { screenshotDir } from './test-support/screenshots'
import { launchTestStack, type LaunchedStack } from '../devstack/test-support/stack'

/**
 * The midwife's registration journey in real Chromium against the whole local stack (DHIS2,
 * eSignet, relay, FHIR stand-ins, each its own process): verify a seeded woman with eSignet,
 * save, read the record back from DHIS2 and FHIR through their APIs; the same identity again
 * is refused; with FHIR down the save is kept and the outbox delivers it once FHIR is back.
 */
const ROOT = path.resolve(__dirname, '..')
const SCREENSHOTS = screenshotDir('registration-app')
const BUILD = path.join(ROOT, 'registration-app/build/app/index.html')
const NIMALI = '5860125421' // seeded identity: Nimali Perera, born 1996/05/14
const MIDWIFE = { username: 'midwife', password: 'Anc#2026dev' }
const PHN_SYSTEM = 'http://fhir.health.gov.lk/ips/identifier/phn'

jest.setTimeout(300_000)

let stack: LaunchedStack
let browser: Browser
let context: BrowserContext
let page: Page

const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

async function dhis2Api<T>(pathAndQuery: string): Promise<T> {
    const response = await fetch(`${stack.urls.dhis2}${pathAndQuery}`, {
        headers: {
            authorization: basic(MIDWIFE.username, MIDWIFE.password),
            accept: 'application/json',
        },
    })
    expect(response.status).toBe(200)
    return (await response.json()) as T
}

async function fhirSearch(
    query: string
): Promise<{ total?: number; entry?: { resource: Record<string, unknown> }[] }> {
    const response = await fetch(`${stack.urls.fhir}/fhir/${query}`, {
        headers: {
            authorization: basic(DEV_SECRETS.fhirUsername, DEV_SECRETS.fhirPassword),
            accept: 'application/fhir+json',
        },
    })
    expect(response.status).toBe(200)
    return (await response.json()) as { entry?: { resource: Record<string, unknown> }[] }
}

type TePage = {
    trackedEntities: { trackedEntity: string; attributes: { attribute: string; value: string }[] }[]
}

const teWith = (attribute: string, value: string) =>
    dhis2Api<TePage>(
        `/api/tracker/trackedEntities?program=${PROGRAM_ANC}&orgUnitMode=ACCESSIBLE&filter=${attribute}:eq:${encodeURIComponent(value)}&fields=trackedEntity,attributes`
    )

/** A fresh load of a page of the app (a hash change alone keeps the old state). */
async function openApp(hash: string) {
    await page.goto(`${stack.urls.dhis2}/api/apps/anc-registration/index.html${hash}`)
    await page.reload()
}

async function shot(name: string) {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/**
 * The woman's side of eSignet: individual ID, OTP 111111, and on her first visit the consent
 * page (phone kept private); eSignet remembers that consent the next time.
 */
async function verifyInPopup(individualId: string, { firstConsent }: { firstConsent: boolean }) {
    const [popup] = await Promise.all([
        page.waitForEvent('popup'),
        page.getByRole('button', { name: 'Verify with National ID' }).click(),
    ])
    await popup.waitForLoadState()
    await popup.locator('#individualId').fill(individualId)
    await popup.getByRole('button', { name: 'Get OTP' }).click()
    await popup.locator('#otp').fill('111111')
    await popup.getByRole('button', { name: 'Verify' }).click()
    if (firstConsent) {
        await popup.locator('input[name="claim"][value="phone_number"]').uncheck()
        await popup.getByRole('button', { name: 'Allow' }).click()
    }
    if (!popup.isClosed()) await popup.waitForEvent('close')
}

beforeAll(async () => {
    if (!existsSync(BUILD)) {
        throw new Error('Build the app first: node scripts/build.mjs registration-app')
    }
    stack = await launchTestStack()
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1100, height: 900 } })
    page = await context.newPage()
})

afterAll(async () => {
    await browser?.close()
    await stack?.close()
})

it('signs in as the midwife and launches ANC Registration from the header bar', async () => {
    const login = await context.request.post(`${stack.urls.dhis2}/api/auth/login`, {
        data: MIDWIFE,
    })
    expect(login.status()).toBe(200)
    await page.goto(`${stack.urls.dhis2}/`)
    await page.locator('[data-test="headerbar-apps-icon"]').click()
    await page
        .getByRole('link', { name: /ANC Registration/ })
        .first()
        .click()
    await page.getByRole('heading', { name: 'Find her record first' }).waitFor()
    await page.getByRole('heading', { name: /Recent registrations/ }).waitFor()
    await shot('01-find')
})

let phn = ''

it('verifies a seeded woman through eSignet, saves, and the record is in DHIS2 and FHIR', async () => {
    await page.getByRole('button', { name: 'New registration' }).click()
    await page.getByRole('button', { name: 'Verify with National ID' }).waitFor()
    await page.waitForFunction(
        () =>
            !(document.querySelector('[data-test="verify-button"]') as HTMLButtonElement | null)
                ?.disabled
    )
    await verifyInPopup(NIMALI, { firstConsent: true })
    await page.locator('[data-test="verified-badge"]').waitFor()
    expect(await page.locator('input[name="fullName"]').inputValue()).toBe('Nimali Perera')
    expect(await page.locator('input[name="fullName"]').getAttribute('readonly')).not.toBeNull()
    // Phone was kept private: empty and editable.
    expect(await page.locator('input[name="phone"]').inputValue()).toBe('')
    expect(await page.locator('input[name="phone"]').getAttribute('readonly')).toBeNull()
    await fillPregnancy(page)
    await page.getByText(/Gestational age today/).waitFor()
    await shot('02-verified-form')

    await page.getByRole('button', { name: 'Save and issue PHN' }).click()
    try {
        await page.getByText('Saved in DHIS2 and in the national record').waitFor()
    } catch (error) {
        await page.screenshot({
            path: path.join(ROOT, 'test-results/registration-save.png'),
            fullPage: true,
        })
        throw new Error(`${(error as Error).message}\n${await page.locator('main').innerText()}`)
    }
    const label = await page.locator('.anc-phn-card__phn').innerText()
    phn = label.replace(/\D/g, '')
    expect(phn).toMatch(/^\d{10}$/)
    await shot('03-phn-card')

    const found = await teWith(ATTRIBUTES.phn, phn)
    expect(found.trackedEntities).toHaveLength(1)
    const attrs = Object.fromEntries(
        (found.trackedEntities[0]?.attributes ?? []).map((a) => [a.attribute, a.value])
    )
    expect(attrs[ATTRIBUTES.verificationStatus]).toBe('VERIFIED')
    expect(attrs[ATTRIBUTES.esignetSub]).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(attrs[ATTRIBUTES.fullName]).toBe('Nimali Perera')

    const patients = await fhirSearch(
        `Patient?identifier=${encodeURIComponent(`${PHN_SYSTEM}|${phn}`)}`
    )
    expect(patients.entry).toHaveLength(1)
    const patientId = String(patients.entry?.[0]?.resource.id)
    const encounters = await fhirSearch(`Encounter?subject=Patient/${patientId}`)
    expect(encounters.entry?.length).toBeGreaterThanOrEqual(1)
    const observations = await fhirSearch(`Observation?subject=Patient/${patientId}`)
    const codes = (observations.entry ?? []).flatMap((e) =>
        ((e.resource.code as { coding?: { code?: string }[] })?.coding ?? []).map((c) => c.code)
    )
    expect(codes).toEqual(expect.arrayContaining(['8665-2', '85354-9'])) // LMP, BP panel
})

it('offers the existing record for the same identity and never creates a second one', async () => {
    await openApp('#/register')
    await page.waitForFunction(
        () =>
            !(document.querySelector('[data-test="verify-button"]') as HTMLButtonElement | null)
                ?.disabled
    )
    await verifyInPopup(NIMALI, { firstConsent: false })
    await page.getByText('She is already registered').waitFor()
    await shot('04-duplicate')
    await page.getByRole('button', { name: 'Open this record' }).click()
    await page.getByRole('button', { name: 'Send to national record' }).waitFor()
    await shot('05-record')
    const sub = (await teWith(ATTRIBUTES.phn, phn)).trackedEntities[0]?.attributes.find(
        (a) => a.attribute === ATTRIBUTES.esignetSub
    )?.value as string
    expect((await teWith(ATTRIBUTES.esignetSub, sub)).trackedEntities).toHaveLength(1)
})

it('registers manually with FHIR down (pending sync), and the outbox delivers once FHIR is back', async () => {
    await stack.stop('fhir')
    await openApp('#/register')
    await page.locator('input[name="fullName"]').fill('Kumari Silva')
    await page.locator('input[name="birthDate"]').fill('1999-02-03')
    await page.locator('input[name="phone"]').fill('0712345678')
    await fillPregnancy(page)
    await page.getByRole('button', { name: 'Save and issue PHN' }).click()
    await page.getByText('Saved in DHIS2; the national record will follow').waitFor()
    await page.getByText('1 record waiting to reach the national record').waitFor()
    await shot('06-pending-sync')
    const manualPhn = (await page.locator('.anc-phn-card__phn').innerText()).replace(/\D/g, '')
    const saved = await teWith(ATTRIBUTES.phn, manualPhn)
    expect(saved.trackedEntities).toHaveLength(1)
    expect(
        saved.trackedEntities[0]?.attributes.find(
            (a) => a.attribute === ATTRIBUTES.verificationStatus
        )?.value
    ).toBe('UNVERIFIED')

    await stack.start('fhir')
    await page.getByRole('button', { name: 'Retry now' }).click()
    await page.getByText('All records are in the national record').waitFor()
    const patients = await fhirSearch(
        `Patient?identifier=${encodeURIComponent(`${PHN_SYSTEM}|${manualPhn}`)}`
    )
    expect(patients.entry).toHaveLength(1)
})
