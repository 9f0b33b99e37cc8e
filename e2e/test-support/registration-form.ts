/** Filling ANC Registration's form in Chromium, as the journey and the requests bench both do. */
import type { Page } from 'playwright-core'

/** The midwife works for MOH Colombo: she picks one of its two ANC clinics. */
export async function chooseClinic(page: Page): Promise<void> {
    await page
        .locator('[data-test="field-orgUnit"] [data-test="dhis2-uicore-select-input"]')
        .click()
    await page.getByText('Colombo ANC Clinic A', { exact: true }).click()
}

/** Pregnancy details of a woman about 12 weeks pregnant, and her clinic. */
export async function fillPregnancy(page: Page): Promise<void> {
    await page.locator('input[name="lmp"]').fill('2026-09-01')
    await page.locator('input[name="gravida"]').fill('2')
    await page.locator('input[name="parity"]').fill('1')
    await page.locator('input[name="heightCm"]').fill('158')
    await page.locator('input[name="weightKg"]').fill('61.5')
    await page.locator('input[name="systolic"]').fill('118')
    await page.locator('input[name="diastolic"]').fill('76')
    await chooseClinic(page)
}
