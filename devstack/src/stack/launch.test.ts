import { launchTestStack, type LaunchedStack } from '../../test-support/stack'
import { DEV_SECRETS } from './dev-secrets'

// The stack as the journeys and `npm start` run it: four processes wired by their ports.
let stack: LaunchedStack

beforeAll(async () => {
    stack = await launchTestStack()
}, 120_000)

afterAll(async () => {
    await stack?.close()
}, 30_000)

const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

test('DHIS2 reaches the relay through the seeded route and the login app reaches it under /anc-relay/', async () => {
    const viaRoute = await fetch(`${stack.urls.dhis2}/api/routes/anc-relay/run/config`, {
        headers: { Authorization: basic('midwife', 'Anc#2026dev') },
    })
    expect(viaRoute.status).toBe(200)
    const config = (await viaRoute.json()) as { clientId: string; authorizationEndpoint: string }
    expect(config.clientId).toBe('anc-relay')
    expect(config.authorizationEndpoint).toBe(`${stack.urls.esignet}/authorize`)

    const viaProxy = await fetch(`${stack.urls.dhis2}/anc-relay/config`)
    expect(viaProxy.status).toBe(200)
    expect(((await viaProxy.json()) as { clientId: string }).clientId).toBe('anc-relay')
}, 30_000)

test('the FHIR route answers for a doctor; without the route the FHIR stand-in wants credentials', async () => {
    const viaRoute = await fetch(`${stack.urls.dhis2}/api/routes/anc-fhir/run/metadata`, {
        headers: { Authorization: basic('doctor', 'Anc#2026dev') },
    })
    expect(viaRoute.status).toBe(200)
    expect(((await viaRoute.json()) as { resourceType: string }).resourceType).toBe(
        'CapabilityStatement'
    )

    expect((await fetch(`${stack.urls.fhir}/fhir/Patient`)).status).toBe(401)
    const direct = await fetch(`${stack.urls.fhir}/fhir/Patient`, {
        headers: { Authorization: basic(DEV_SECRETS.fhirUsername, DEV_SECRETS.fhirPassword) },
    })
    expect(direct.status).toBe(200)
}, 30_000)

test('a stopped service can be started again on the same port and data', async () => {
    await stack.stop('fhir')
    await expect(fetch(`${stack.urls.fhir}/fhir/metadata`)).rejects.toThrow()
    await stack.start('fhir')
    const metadata = await fetch(`${stack.urls.fhir}/fhir/metadata`, {
        headers: { Authorization: basic(DEV_SECRETS.fhirUsername, DEV_SECRETS.fhirPassword) },
    })
    expect(metadata.status).toBe(200)
}, 60_000)
