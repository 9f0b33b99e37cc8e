import { exportJWK, generateKeyPair } from 'jose'
import path from 'node:path'
import { buildRelay } from './app'
import { parseSettings } from './config'

export const OPENAPI_PATH = path.resolve(__dirname, '../openapi.json')

/**
 * The relay's OpenAPI description, generated from its route schemas, as stable JSON (the file is
 * in .prettierignore, so this text is what gets committed). Uses throwaway settings, read by the
 * production parser: nothing in the document depends on secrets or URLs; the cookie is the
 * production (Secure) one.
 */
export async function renderOpenApi(): Promise<string> {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    const config = await parseSettings({
        ESIGNET_DISCOVERY_URL: 'https://esignet.invalid/.well-known/openid-configuration',
        ESIGNET_CLIENT_ID: 'anc-relay',
        ESIGNET_CLIENT_PRIVATE_KEY_JWK: JSON.stringify(await exportJWK(privateKey)),
        RELAY_STAFF_REDIRECT_URIS: 'https://dhis2.invalid/staff/callback.html',
        RELAY_PATIENT_REDIRECT_URIS: 'https://dhis2.invalid/patient/callback.html',
        FHIR_BASE_URL: 'https://fhir.invalid/fhir',
        RELAY_ROUTE_SECRET: 'x'.repeat(32),
        RELAY_SESSION_SECRET: 'y'.repeat(32),
        RELAY_LOG_LEVEL: 'silent',
    })
    const app = await buildRelay(config)
    await app.ready()
    const document = app.swagger()
    await app.close()
    return `${JSON.stringify(document, null, 4)}\n`
}
