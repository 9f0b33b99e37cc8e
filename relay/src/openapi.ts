import { generateKeyPair } from 'jose'
import path from 'node:path'
import { buildRelay } from './app'
import type { RelayConfig } from './config'

export const OPENAPI_PATH = path.resolve(__dirname, '../openapi.json')

/**
 * The relay's OpenAPI description, generated from its route schemas, as stable JSON (the file is
 * in .prettierignore, so this text is what gets committed). Uses throwaway settings: nothing in
 * the document depends on secrets or URLs.
 */
export async function renderOpenApi(): Promise<string> {
    const { privateKey } = await generateKeyPair('RS256')
    const config: RelayConfig = {
        esignet: {
            discoveryUrl: 'https://esignet.invalid/.well-known/openid-configuration',
            issuerQuirk: 'either',
            clientId: 'anc-relay',
            clientKey: { key: privateKey, alg: 'RS256' },
            signingAlgs: ['RS256'],
            scope: 'openid profile',
            acrValues: ['mosip:idp:acr:generated-code'],
            essentialClaims: [],
            voluntaryClaims: [],
            uiLocales: ['en'],
            claimsLocales: ['en'],
            timeoutMs: 1000,
        },
        allowedRedirectUris: ['https://dhis2.invalid/callback.html'],
        fhir: { baseUrl: 'https://fhir.invalid/fhir', timeoutMs: 1000 },
        routeSecret: 'x'.repeat(32),
        sessionSecret: 'y'.repeat(32),
        session: { idleSeconds: 900, maxSeconds: 3600 },
        cookieSecure: true,
        rateLimit: { max: 10, windowSeconds: 60 },
        trustProxy: false,
        host: '127.0.0.1',
        port: 0,
        logLevel: 'silent',
    }
    const app = await buildRelay(config)
    await app.ready()
    const document = app.swagger()
    await app.close()
    return `${JSON.stringify(document, null, 4)}\n`
}
