import path from 'node:path'
import type { Browser } from 'playwright-core'
import { startAppServer, type AppServer } from './test-support/app-server'
import { launchChromium } from './test-support/chromium'

// Each built app (npm run build) loads in real Chromium from its App Management layout and
// renders its title: proves the bundles, the shared library inside them, the i18n catalogue
// and, for the login app, the app-adapter spinner work-around (vite.shared.mjs).
const root = path.resolve(__dirname, '..')
const APPS = {
    // `element` holds the translated text: the staff apps' page heading, the login app's sign-in
    // button (its heading is the server's application title, which is not ours to translate).
    'anc-registration': {
        dir: 'registration-app',
        element: 'h1',
        title: 'ANC Registration',
        si: 'ප්‍රසව පූර්ව සත්කාර ලියාපදිංචිය',
        ta: 'மகப்பேறுக்கு முந்தைய பராமரிப்பு பதிவு',
    },
    'anc-doctor': {
        dir: 'doctor-app',
        element: 'h1',
        title: 'ANC Doctor',
        si: 'ප්‍රසව පූර්ව සත්කාර වෛද්‍ය',
        ta: 'மகப்பேறுக்கு முந்தைய பராமரிப்பு வைத்தியர்',
    },
    login: {
        dir: 'patient-app',
        element: 'button',
        title: 'Sign in',
        si: 'පිවිසෙන්න',
        ta: 'உள்நுழைக',
    },
} as const

const buildDirs = Object.fromEntries(
    Object.entries(APPS).map(([name, app]) => [name, path.join(root, app.dir, 'build/app')])
)

let browser: Browser

beforeAll(async () => {
    browser = await launchChromium()
})

afterAll(async () => {
    await browser?.close()
})

describe.each(['en', 'si', 'ta'] as const)('built apps in Chromium, UI language %s', (locale) => {
    let server: AppServer

    beforeAll(async () => {
        server = await startAppServer({ apps: buildDirs, uiLocale: locale })
    })

    afterAll(async () => {
        await server.close()
    })

    it.each(Object.entries(APPS))('%s renders in that language', async (name, app) => {
        const page = await browser.newPage()
        const errors: string[] = []
        page.on('pageerror', (error) => errors.push(error.message))
        try {
            await page.goto(`${server.url}/api/apps/${name}/index.html`)
            const expected = locale === 'en' ? app.title : app[locale]
            try {
                // By text, not accessible name: Sinhala conjuncts carry a zero-width joiner.
                await page
                    .locator(app.element, { hasText: expected })
                    .first()
                    .waitFor({ timeout: 30000 })
            } catch (error) {
                await page.screenshot({
                    path: path.join(root, `test-results/smoke-${name}-${locale}.png`),
                })
                throw error
            }
            expect(errors).toEqual([])
        } finally {
            await page.close()
        }
    })
})

it('the login app asks for loginConfig and never for a session (it is public)', async () => {
    const server = await startAppServer({ apps: buildDirs })
    const page = await browser.newPage()
    try {
        await page.goto(`${server.url}/api/apps/login/index.html`)
        await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ timeout: 30000 })
        expect(server.requests).toContain('/api/loginConfig')
        expect(server.requests).not.toContain('/api/me')
        expect(server.requests).not.toContain('/api/system/info')
    } finally {
        await page.close()
        await server.close()
    }
})

it('every app ships its eSignet callback page, without a query string in its URL', async () => {
    const server = await startAppServer({ apps: buildDirs })
    try {
        for (const name of Object.keys(APPS)) {
            const response = await fetch(`${server.url}/api/apps/${name}/esignet-callback.html`)
            expect(response.status).toBe(200)
            expect(await response.text()).toContain('<script src="esignet-callback.js">')
            const script = await fetch(`${server.url}/api/apps/${name}/esignet-callback.js`)
            expect(script.status).toBe(200)
            // The bundled callback posts only to its own origin.
            expect(await script.text()).toContain('postMessage')
        }
    } finally {
        await server.close()
    }
})
