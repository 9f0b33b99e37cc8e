/**
 * The doctor's journey in real Chromium against the whole local stack (eSignet, FHIR, relay and
 * DHIS2 stand-ins, each its own process, on free ports): national-ID sign-in of the seeded doctor,
 * ANC Doctor from the header bar, a woman registered earlier in the run opened by PHN (banner,
 * schedule, timeline from one request through the anc-fhir route), a visit recorded through the
 * form and read back from DHIS2 (contact event) and FHIR (Encounter, Observations, Appointment);
 * an unknown PHN and a stopped FHIR server each show their own message; a visit recorded
 * elsewhere after the record was opened stops the save (nothing written); FHIR stopped while
 * saving keeps the visit in DHIS2 and the outbox delivers it; an expired session loses nothing.
 * Needs `node scripts/build.mjs doctor-app` first (the DHIS2 stand-in serves the build).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { DATA_ELEMENTS, PROGRAM_ANC, PROGRAM_STAGES } from '@anc/shared/metadata'
import { phnFromSerial } from '@anc/shared/phn'
import { launchTestStack, type LaunchedStack } from '../devstack/test-support/stack'
import { launchChromium } from './test-support/chromium'
import {
    basic,
    fhirSearch,
    recordContactElsewhere,
    registerForDoctor,
    type DoctorPatient,
} from './test-support/doctor-patients'
import { screenshotDir } from './test-support/screenshots'

const ROOT = path.resolve(__dirname, '..')
const SCREENSHOTS = screenshotDir('doctor-app')
const BUILD = path.join(ROOT, 'doctor-app/build/app/index.html')
const DOCTOR = { username: 'doctor', password: 'Anc#2026dev', individualId: '2374109628' }
const EVENT_SYSTEM = 'urn:dhis2:event'
const ROUTE_PATH = '/api/routes/anc-fhir/run/'

jest.setTimeout(300_000)

let stack: LaunchedStack
let browser: Browser
let context: BrowserContext
let page: Page
let patient: DoctorPatient

const urls = () => ({ dhis2: stack.urls.dhis2, fhir: stack.urls.fhir })

async function asDoctor<T>(pathAndQuery: string): Promise<T> {
    const response = await fetch(`${stack.urls.dhis2}${pathAndQuery}`, {
        headers: {
            Authorization: basic(DOCTOR.username, DOCTOR.password),
            Accept: 'application/json',
        },
    })
    expect(response.status).toBe(200)
    return (await response.json()) as T
}

/**
 * The app scrolls inside the platform's shell, not the document, so a full-page screenshot would
 * stop at the viewport: the viewport grows to the content's height for the picture.
 */
async function shot(name: string) {
    const viewport = page.viewportSize() ?? { width: 1200, height: 900 }
    const height = await page.evaluate(() =>
        Math.max(...[...document.querySelectorAll('*')].map((el) => el.scrollHeight))
    )
    await page.setViewportSize({ width: viewport.width, height: Math.min(height + 48, 4000) })
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) })
    await page.setViewportSize(viewport)
}

/** A fresh load of a page of the app (a hash change alone keeps the opened record). */
async function openApp(hash: string) {
    await page.goto(`${stack.urls.dhis2}/api/apps/anc-doctor/index.html${hash}`)
    await page.reload()
}

async function findByPhn(phn: string) {
    const input = page.locator('[data-test="phn-input"] input')
    await input.waitFor()
    await input.fill(phn)
    await page.getByRole('button', { name: 'Open record' }).click()
}

/** eSignet stand-in pages: individual ID, OTP, consent (only asked the first time). */
async function authenticateAtEsignet(individualId: string) {
    await page.getByLabel('Individual ID (UIN or VID)').fill(individualId)
    await page.getByRole('button', { name: 'Get OTP' }).click()
    await page.getByLabel('One-time password').fill('111111')
    await page.getByRole('button', { name: 'Verify' }).click()
    const allow = page.getByRole('button', { name: 'Allow' })
    try {
        await allow.waitFor({ timeout: 3000 })
        await allow.click()
    } catch {
        // consent remembered, or already redirected back
    }
}

beforeAll(async () => {
    if (!existsSync(BUILD))
        throw new Error('Build the app first: node scripts/build.mjs doctor-app')
    stack = await launchTestStack()
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
    page = await context.newPage()
    // Registered earlier in the run, by the midwife, in DHIS2 and the national record.
    patient = await registerForDoctor(urls(), 801, 'Sanduni', 'Fernando')
})

afterAll(async () => {
    await browser?.close()
    await stack?.close()
})

it('signs the doctor in with her national ID and opens ANC Doctor from the header bar', async () => {
    await page.goto(`${stack.urls.dhis2}/oauth2/authorization/esignet`)
    await page.waitForURL(/\/(authorize|interaction)/)
    await authenticateAtEsignet(DOCTOR.individualId)
    await page.waitForURL(
        (url) => url.origin === stack.urls.dhis2 && !url.pathname.startsWith('/dhis-web-login')
    )
    const me = await page.request.get(`${stack.urls.dhis2}/api/me?fields=username`)
    expect(((await me.json()) as { username: string }).username).toBe(DOCTOR.username)

    await page.locator('[data-test="headerbar-apps-icon"]').click()
    await page
        .getByRole('link', { name: /ANC Doctor/ })
        .first()
        .click()
    await page.getByRole('heading', { name: 'Find a patient' }).waitFor()
    expect(page.url()).toContain('/api/apps/anc-doctor/')
    await shot('01-find')
})

it('says so when no record has the PHN', async () => {
    // A well-formed PHN (valid check digit) far beyond any serial issued in this run.
    const unknown = phnFromSerial('999999990')
    await findByPhn(unknown)
    await page.getByText('No record with this PHN').waitFor()
    await page.getByText(`The national record has no one with PHN ${unknown}`).waitFor()
    await shot('02-unknown-phn')
    await page.getByRole('button', { name: 'Find another patient' }).click()
    await page.getByRole('heading', { name: 'Find a patient' }).waitFor()
})

it('opens her record from FHIR in one request through the route: banner, schedule, visits', async () => {
    const routeCalls: string[] = []
    page.on('request', (request) => {
        const url = new URL(request.url())
        if (url.pathname.startsWith(ROUTE_PATH))
            routeCalls.push(`${request.method()} ${url.pathname}`)
    })
    await findByPhn(patient.phn)
    await page.getByRole('heading', { name: patient.fullName }).waitFor()
    const body = await page.locator('main').innerText()
    expect(body.replace(/\s/g, '')).toContain(patient.phn)
    // Contacts read as the form names things, not as stored codes.
    expect(body).toContain('Urine protein Negative')
    await page
        .getByRole('region', { name: 'WHO contact schedule' })
        .getByText(/Next contact/)
        .waitFor()
    await page.getByText('Gestational age today', { exact: false }).first().waitFor()
    await page.getByRole('heading', { name: 'Visits (2)' }).waitFor()
    expect(routeCalls).toEqual([`POST ${ROUTE_PATH}`])
    await shot('03-record')
})

let eventUid = ''

it('records a visit: a DHIS2 contact event and the FHIR Encounter, Observations and Appointment', async () => {
    const form = page.getByRole('form', { name: 'Record this visit' })
    await form.getByLabel(/Systolic blood pressure/).fill('124')
    await form.getByLabel(/Diastolic blood pressure/).fill('78')
    await form.getByRole('textbox', { name: 'Weight (kg)' }).fill('66.5')
    await form.getByRole('textbox', { name: /Fundal height/ }).fill('21')
    await form.getByRole('textbox', { name: /Fetal heart rate/ }).fill('142')
    await form.getByRole('textbox', { name: 'Haemoglobin (g/dL)' }).fill('11.6')
    await form.getByLabel('Notes').fill('Feels well; iron and folate continued.')
    const nextAppointment = await form.locator('input[name="nextAppointment"]').inputValue()
    expect(nextAppointment).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    await shot('04-visit-form')

    // The app runtime posts to /api/<version>/tracker: the event it sends carries the new UID.
    const imported = page.waitForRequest(
        (r) => r.method() === 'POST' && /\/api\/(\d+\/)?tracker$/.test(new URL(r.url()).pathname)
    )
    await form.getByRole('button', { name: 'Save visit' }).click()
    const payload = (await imported).postDataJSON() as { events?: { event: string }[] }
    eventUid = payload.events?.[0]?.event ?? ''
    expect(eventUid).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/)
    await page.getByText('Saved in DHIS2 and in the national record.').waitFor()
    await shot('05-visit-saved')

    // DHIS2: the event in the ANC contact stage, with what she typed.
    const events = await asDoctor<{
        events: {
            event: string
            programStage: string
            status: string
            dataValues: { dataElement: string; value: string }[]
        }[]
    }>(
        `/api/tracker/events?program=${PROGRAM_ANC}&trackedEntity=${patient.trackedEntity}&fields=event,programStage,status,dataValues[dataElement,value]`
    )
    const event = events.events.find((e) => e.event === eventUid)
    expect(event).toBeDefined()
    expect(event?.programStage).toBe(PROGRAM_STAGES.contact)
    const values = Object.fromEntries(event!.dataValues.map((d) => [d.dataElement, d.value]))
    expect(values[DATA_ELEMENTS.systolicBp]).toBe('124')
    expect(values[DATA_ELEMENTS.diastolicBp]).toBe('78')
    expect(Number(values[DATA_ELEMENTS.weightKg])).toBe(66.5)
    expect(values[DATA_ELEMENTS.nextAppointment]).toBe(nextAppointment)

    // FHIR: her Encounter for that event, its Observations, the booked next contact.
    const patients = await fhirSearch<{ entry?: { resource: { id: string } }[] }>(
        urls(),
        `Patient?identifier=${encodeURIComponent(`http://fhir.health.gov.lk/ips/identifier/phn|${patient.phn}`)}`
    )
    expect(patients.entry).toHaveLength(1)
    const patientId = patients.entry![0]!.resource.id
    const encounters = await fhirSearch<{ entry?: { resource: { id: string } }[] }>(
        urls(),
        `Encounter?identifier=${encodeURIComponent(`${EVENT_SYSTEM}|${eventUid}`)}`
    )
    expect(encounters.entry).toHaveLength(1)
    const encounter = encounters.entry![0]!.resource as {
        id: string
        subject?: { reference?: string }
    }
    expect(encounter.subject?.reference).toBe(`Patient/${patientId}`)
    const observations = await fhirSearch<{
        entry?: {
            resource: {
                code: { coding: { code: string }[] }
                valueQuantity?: { value: number }
                component?: { valueQuantity?: { value: number } }[]
            }
        }[]
    }>(urls(), `Observation?encounter=Encounter/${encounter.id}`)
    const byCode = new Map(
        (observations.entry ?? []).map((e) => [e.resource.code.coding[0]?.code, e.resource])
    )
    expect(byCode.get('29463-7')?.valueQuantity?.value).toBe(66.5) // body weight
    expect(byCode.get('85354-9')?.component?.map((c) => c.valueQuantity?.value)).toEqual([124, 78])
    const booked = await fhirSearch<{ entry?: { resource: { start?: string } }[] }>(
        urls(),
        `Appointment?patient=Patient/${patientId}&status=booked`
    )
    expect(booked.entry?.map((e) => e.resource.start?.slice(0, 10))).toEqual([nextAppointment])

    // The record shows the new visit once reloaded.
    await page.getByRole('button', { name: 'Show the updated record' }).click()
    await page.getByRole('heading', { name: 'Visits (3)' }).waitFor()
})

it('with the FHIR server stopped, opening a record says the national record cannot be reached', async () => {
    await stack.stop('fhir')
    try {
        await openApp(`#/patient/${patient.phn}`)
        await page.getByText('The national record cannot be reached').waitFor()
        await shot('06-fhir-unreachable')
    } finally {
        await stack.start('fhir')
    }
    // Back up: Try again opens the record.
    await page.getByRole('button', { name: /Try again/ }).click()
    await page.getByRole('heading', { name: patient.fullName }).waitFor()
})

/** Fills the blood pressure of the visit form on the open record. */
async function fillBloodPressure(systolic: string, diastolic: string) {
    const form = page.getByRole('form', { name: 'Record this visit' })
    await form.getByLabel(/Systolic blood pressure/).fill(systolic)
    await form.getByLabel(/Diastolic blood pressure/).fill(diastolic)
    return form
}

async function visitsShown(): Promise<number> {
    const heading = page.getByRole('heading', { name: /^Visits \(\d+\)$/ })
    await heading.waitFor()
    return Number(/\d+/.exec(await heading.innerText())?.[0])
}

const trackerPost = (r: { method(): string; url(): string }) =>
    r.method() === 'POST' && /\/api\/(\d+\/)?tracker$/.test(new URL(r.url()).pathname)

it('a visit recorded elsewhere after she opened the record: she is told and nothing is written', async () => {
    await openApp(`#/patient/${patient.phn}`)
    await page.getByRole('heading', { name: patient.fullName }).waitFor()
    const before = await visitsShown()
    const elsewhere = await recordContactElsewhere(urls(), patient, {
        systolic: 132,
        diastolic: 84,
    })
    const eventsBefore = await asDoctor<{ events: unknown[] }>(
        `/api/tracker/events?program=${PROGRAM_ANC}&trackedEntity=${patient.trackedEntity}&fields=event`
    )

    const posts: string[] = []
    const count = (r: { method(): string; url(): string }) => {
        if (trackerPost(r)) posts.push(r.url())
    }
    page.on('request', count)
    try {
        const form = await fillBloodPressure('118', '76')
        await form.getByRole('button', { name: 'Save visit' }).click()
        await page.getByText('This record changed since you opened it').waitFor()
        await page.getByText('Someone recorded a visit', { exact: false }).waitFor()
        await shot('07-record-changed')
    } finally {
        page.off('request', count)
    }
    expect(posts).toEqual([])
    const eventsAfter = await asDoctor<{ events: unknown[] }>(
        `/api/tracker/events?program=${PROGRAM_ANC}&trackedEntity=${patient.trackedEntity}&fields=event`
    )
    expect(eventsAfter.events).toHaveLength(eventsBefore.events.length)
    // What she typed is still on screen; reloading shows the other clinician's visit.
    await expect(
        page
            .getByRole('form', { name: 'Record this visit' })
            .getByLabel(/Systolic/)
            .inputValue()
    ).resolves.toBe('118')
    await page.getByRole('button', { name: 'Reload the record' }).click()
    await page.getByRole('heading', { name: `Visits (${before + 1})` }).waitFor()
    const encounters = await fhirSearch<{ entry?: unknown[] }>(
        urls(),
        `Encounter?identifier=${encodeURIComponent(`${EVENT_SYSTEM}|${elsewhere}`)}`
    )
    expect(encounters.entry).toHaveLength(1)
})

it('FHIR down while she saves: the visit is kept in DHIS2, queued, and delivered once FHIR is back', async () => {
    await openApp(`#/patient/${patient.phn}`)
    await page.getByRole('heading', { name: patient.fullName }).waitFor()
    await visitsShown()
    await stack.stop('fhir')
    let event = ''
    try {
        const form = await fillBloodPressure('121', '79')
        const imported = page.waitForRequest(trackerPost)
        await form.getByRole('button', { name: 'Save visit' }).click()
        const payload = (await imported).postDataJSON() as { events?: { event: string }[] }
        event = payload.events?.[0]?.event ?? ''
        await page.getByText('Visit saved in DHIS2; the national record will follow').waitFor()
        await page.getByText('1 record waiting to reach the national record').waitFor()
        await shot('08-visit-queued')
    } finally {
        await stack.start('fhir')
    }
    const stored = await asDoctor<{ events: { event: string }[] }>(
        `/api/tracker/events?program=${PROGRAM_ANC}&trackedEntity=${patient.trackedEntity}&fields=event`
    )
    expect(stored.events.map((e) => e.event)).toContain(event)

    await page.getByRole('button', { name: 'Retry now' }).click()
    await page.getByText('All records are in the national record').waitFor()
    const encounters = await fhirSearch<{ entry?: unknown[] }>(
        urls(),
        `Encounter?identifier=${encodeURIComponent(`${EVENT_SYSTEM}|${event}`)}`
    )
    expect(encounters.entry).toHaveLength(1)
})

it('a session that expired while the form was open: told so, nothing typed is lost, saved after signing in again', async () => {
    await openApp(`#/patient/${patient.phn}`)
    await page.getByRole('heading', { name: patient.fullName }).waitFor()
    await visitsShown()
    const form = await fillBloodPressure('117', '75')
    // The DHIS2 session ends (timeout, or signed out in another tab).
    await page.request.get(`${stack.urls.dhis2}/dhis-web-commons-security/logout.action`, {
        maxRedirects: 0,
    })
    await form.getByRole('button', { name: 'Save visit' }).click()
    await page.getByText('Your session has expired').waitFor()
    await shot('09-session-expired')
    expect(await form.getByLabel(/Systolic blood pressure/).inputValue()).toBe('117')

    const login = await page.request.post(`${stack.urls.dhis2}/api/auth/login`, {
        data: { username: DOCTOR.username, password: DOCTOR.password },
    })
    expect(login.status()).toBe(200)
    await form.getByRole('button', { name: 'Save visit' }).click()
    await page.getByText('Saved in DHIS2 and in the national record.').waitFor()
})
