import path from 'node:path'
import { DEV_KEYS_DIR } from '../esignet/config'
import { type EsignetServer, startEsignet } from '../esignet/server'
import { Browser, location } from '../../test-support/esignet-flow'
import { spawnDhis2, type SpawnedDhis2, tempDataRoot } from '../../test-support/dhis2'
import { freePort } from '../../test-support/stack'

/**
 * Staff national-ID sign-in through the real eSignet stand-in: DHIS2 as relying party with
 * private_key_jwt, PKCE, verified id_token and signed userinfo, user found by openId == sub.
 */
jest.setTimeout(90_000)

const MIDWIFE_INDIVIDUAL_ID = '8267411072'
const PATIENT_INDIVIDUAL_ID = '5860125421' // a seeded identity with no DHIS2 account

let esignet: EsignetServer
let dhis2: SpawnedDhis2
const data = tempDataRoot()

beforeAll(async () => {
    // eSignet must know DHIS2's callback before DHIS2 starts: reserve DHIS2's port first.
    // (The stand-in's default registrations follow DHIS2_PORT; extra redirect URIs on another
    // port would need a sector_identifier_uri for pairwise subjects.)
    const dhis2Port = await freePort()
    process.env.DHIS2_PORT = String(dhis2Port)
    esignet = await startEsignet({ port: 0, dataDir: `${data.dir}/esignet`, quiet: true })
    dhis2 = await spawnDhis2(data.dir, {
        DHIS2_PORT: String(dhis2Port),
        ESIGNET_PORT: String(esignet.port),
        // The mock identity system signs userinfo with its own key (see oidc.ts).
        DHIS2_OIDC_USERINFO_CERTIFICATE_FILE: path.join(
            DEV_KEYS_DIR,
            'mock-identity-system.dev.cert.pem'
        ),
    })
})

afterAll(async () => {
    await dhis2?.stop()
    await esignet?.close()
    data.remove()
})

/** Clicks "Sign in with National ID" and completes eSignet's pages; returns DHIS2's answer. */
async function signIn(
    individualId: string
): Promise<{ browser: Browser; final: Response; authorizeUrl: string }> {
    const browser = new Browser()
    const start = await browser.get(`${dhis2.url}/oauth2/authorization/esignet`)
    const authorizeUrl = location(start, dhis2.url)
    const authorize = new URL(authorizeUrl)
    const authorizeResponse = await browser.get(authorizeUrl)
    if (authorizeResponse.status !== 303 && authorizeResponse.status !== 302)
        throw new Error(
            `authorize: ${authorizeResponse.status} ${(await authorizeResponse.text())
                .replace(/<[^>]+>/g, ' ')
                .replace(/\s+/g, ' ')
                .slice(-500)}`
        )
    const interactionUrl = location(authorizeResponse, esignet.url)
    await browser.get(interactionUrl)
    const afterLogin = await browser.postForm(`${interactionUrl}/login`, [
        ['individualId', individualId],
    ])
    await browser.get(location(afterLogin, esignet.url))
    let next = await browser.postForm(`${interactionUrl}/otp`, [['otp', '111111']])
    if (location(next, esignet.url) === interactionUrl) {
        const consent = await (await browser.get(interactionUrl)).text()
        const claims = [...consent.matchAll(/name="claim" value="([^"]+)"/g)].map(
            (m) => ['claim', m[1] ?? ''] as [string, string]
        )
        next = await browser.postForm(`${interactionUrl}/consent`, claims)
    }
    const resume = await browser.get(location(next, esignet.url))
    const callback = location(resume, esignet.url)
    expect(callback.startsWith(`${dhis2.url}/oauth2/code/esignet?`)).toBe(true)
    expect(authorize.origin).toBe(esignet.url)
    const final = await browser.get(callback)
    return { browser, final, authorizeUrl }
}

it('sends DHIS2 users to eSignet as client dhis2-staff with PKCE S256, state and nonce', async () => {
    const response = await fetch(`${dhis2.url}/oauth2/authorization/esignet`, {
        redirect: 'manual',
    })
    const target = new URL(location(response, dhis2.url))
    expect(`${target.origin}${target.pathname}`).toBe(`${esignet.url}/authorize`)
    expect(target.searchParams.get('client_id')).toBe('dhis2-staff')
    expect(target.searchParams.get('code_challenge_method')).toBe('S256')
    expect(target.searchParams.get('state')?.length).toBeGreaterThanOrEqual(32)
    expect(target.searchParams.get('nonce')?.length).toBeGreaterThanOrEqual(32)
    expect(target.searchParams.get('redirect_uri')).toBe(`${dhis2.url}/oauth2/code/esignet`)
})

it('lands a session for the user whose openId is the pairwise sub', async () => {
    const { browser, final } = await signIn(MIDWIFE_INDIVIDUAL_ID)
    expect(final.status).toBe(302)
    expect(final.headers.get('location')).toBe('/')
    const me = await browser.get(`${dhis2.url}/api/me?fields=username`)
    expect(await me.json()).toEqual({ username: 'midwife' })
})

it('refuses an identity with no linked user, without creating one', async () => {
    const { browser, final } = await signIn(PATIENT_INDIVIDUAL_ID)
    expect(final.headers.get('location')).toBe('/dhis-web-login/?oidcFailure=true')
    expect((await browser.get(`${dhis2.url}/api/me`)).status).toBe(401)
})

it('refuses a callback whose state was not issued to this browser (login CSRF)', async () => {
    const victim = new Browser()
    const start = await victim.get(`${dhis2.url}/oauth2/authorization/esignet`)
    const state = new URL(location(start, dhis2.url)).searchParams.get('state') ?? ''
    // An attacker's browser replays the victim's state with its own code.
    const attacker = new Browser()
    const response = await attacker.get(
        `${dhis2.url}/oauth2/code/esignet?state=${state}&code=forged`
    )
    expect(response.headers.get('location')).toBe('/dhis-web-login/?oidcFailure=true')
    expect((await attacker.get(`${dhis2.url}/api/me`)).status).toBe(401)
})

it('refuses a forged code even with the right state', async () => {
    const browser = new Browser()
    const start = await browser.get(`${dhis2.url}/oauth2/authorization/esignet`)
    const state = new URL(location(start, dhis2.url)).searchParams.get('state') ?? ''
    const response = await browser.get(
        `${dhis2.url}/oauth2/code/esignet?state=${state}&code=forged`
    )
    expect(response.headers.get('location')).toBe('/dhis-web-login/?oidcFailure=true')
})
