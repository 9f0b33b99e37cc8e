import { createPrivateKey, createPublicKey } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair } from 'jose'
import { DEV_SECRETS } from '../../devstack/src/stack/dev-secrets'
import { ROUTE_SECRET, SESSION_SECRET } from '../test-support/fixture'
import { ConfigError, loadConfig, parseSettings } from './config'
import { DEVELOPMENT_KEY_THUMBPRINTS, isDevelopmentSecret } from './development-credentials'

async function validSettings(): Promise<Record<string, string>> {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    return {
        ESIGNET_ISSUER: 'http://localhost:8088',
        ESIGNET_CLIENT_ID: 'anc-relay',
        ESIGNET_CLIENT_PRIVATE_KEY_JWK: JSON.stringify(await exportJWK(privateKey)),
        RELAY_MODE: 'development',
        RELAY_STAFF_REDIRECT_URIS:
            'http://localhost:8080/a/cb.html, http://localhost:8080/b/cb.html',
        RELAY_PATIENT_REDIRECT_URIS: 'http://localhost:8080/login/cb.html',
        FHIR_BASE_URL: 'http://localhost:8090/fhir/',
        FHIR_USERNAME: 'relay',
        FHIR_PASSWORD: 'secret',
        RELAY_ROUTE_SECRET: 'r'.repeat(40),
        RELAY_SESSION_SECRET: 's'.repeat(40),
    }
}

async function problemsOf(settings: Record<string, unknown>): Promise<string[]> {
    try {
        await parseSettings(settings)
    } catch (error) {
        if (error instanceof ConfigError) return error.problems
        throw error
    }
    return []
}

describe('relay configuration', () => {
    it('accepts a complete configuration and fills defaults', async () => {
        const config = await parseSettings(await validSettings())
        expect(config.esignet.discoveryUrl).toBe(
            'http://localhost:8088/.well-known/openid-configuration'
        )
        expect(config.esignet.issuerQuirk).toBe('either')
        expect(config.esignet.redirectUris).toEqual({
            staff: ['http://localhost:8080/a/cb.html', 'http://localhost:8080/b/cb.html'],
            patient: ['http://localhost:8080/login/cb.html'],
        })
        expect(config.esignet.clockToleranceSeconds).toBe(60)
        expect(config.esignet.clientKey.configuredAlg).toBeUndefined()
        expect(Object.keys(config.esignet.clientKey.keys).sort()).toEqual(['PS256', 'RS256'])
        expect(config.fhir.baseUrl).toBe('http://localhost:8090/fhir')
        expect(config.patient.cookieSecure).toBe(true)
        expect(config.server.port).toBe(8095)
        // The claims the apps map (shared's claims mapping), essential ones as such.
        expect(config.esignet.essentialClaims).toEqual(['name', 'birthdate', 'gender'])
        expect(config.esignet.voluntaryClaims).toEqual([
            'phone_number',
            'email',
            'address',
            'individual_id',
        ])
    })

    it('names every missing setting at once', async () => {
        const problems = await problemsOf({})
        const names = problems.map((p) => p.split(':')[0])
        expect(names).toEqual(
            expect.arrayContaining([
                'ESIGNET_DISCOVERY_URL',
                'ESIGNET_CLIENT_ID',
                'ESIGNET_CLIENT_PRIVATE_KEY_FILE',
                'RELAY_STAFF_REDIRECT_URIS',
                'RELAY_PATIENT_REDIRECT_URIS',
                'FHIR_BASE_URL',
                'RELAY_ROUTE_SECRET',
                'RELAY_SESSION_SECRET',
            ])
        )
    })

    it.each([
        ['ESIGNET_DISCOVERY_URL', 'not a url'],
        ['ESIGNET_ISSUER_QUIRK', 'sometimes'],
        ['ESIGNET_CLIENT_PRIVATE_KEY_JWK', '{"kty":"RSA","n":"abc","e":"AQAB"}'],
        ['ESIGNET_CLIENT_PRIVATE_KEY_JWK', 'not json'],
        ['RELAY_STAFF_REDIRECT_URIS', 'http://localhost:8080/cb.html?x=1'],
        ['RELAY_STAFF_REDIRECT_URIS', 'javascript:alert(1)'],
        ['RELAY_PATIENT_REDIRECT_URIS', 'http://dhis2.example.lk/cb.html'],
        ['RELAY_PATIENT_REDIRECT_URIS', 'http://localhost:8080/a/cb.html'],
        ['RELAY_ALLOWED_REDIRECT_URIS', 'http://localhost:8080/a/cb.html'],
        ['ESIGNET_ISSUER', 'http://esignet.example.lk'],
        ['ESIGNET_IDENTITY_SYSTEM_JWKS_URL', 'http://mock-identity.example.lk/jwks.json'],
        ['ESIGNET_IDENTITY_SYSTEM_CERTIFICATE_FILE', '/nonexistent/identity.pem'],
        ['ESIGNET_CLAIMS_LOCALES', 'en,si'],
        ['ESIGNET_CLOCK_TOLERANCE_SECONDS', '600'],
        ['ESIGNET_CLIENT_ASSERTION_ALG', 'HS256'],
        ['FHIR_BASE_URL', 'ftp://fhir'],
        ['RELAY_ROUTE_SECRET', 'short'],
        ['RELAY_SESSION_SECRET', 'short'],
        ['RELAY_COOKIE_SECURE', 'maybe'],
        ['RELAY_SESSION_IDLE_SECONDS', '5'],
        ['RELAY_PORT', '99999'],
        ['ESIGNET_SIGNING_ALGS', 'RS256,none'],
        ['ESIGNET_USERINFO_DECRYPTION_KEY_FILE', '/nonexistent/key.pem'],
    ])('refuses a malformed %s, naming it', async (name, value) => {
        const problems = await problemsOf({ ...(await validSettings()), [name]: value })
        expect(problems).toHaveLength(1)
        expect(problems[0]).toMatch(new RegExp(`^${name}: `))
    })

    it('never echoes a secret in a problem', async () => {
        const problems = await problemsOf({
            ...(await validSettings()),
            RELAY_SESSION_SECRET: 'tooShortSecret',
        })
        expect(problems.join('\n')).not.toContain('tooShortSecret')
    })

    it('requires FHIR credentials as a pair', async () => {
        const { FHIR_PASSWORD: _password, ...settings } = await validSettings()
        expect(await problemsOf(settings)).toEqual([expect.stringMatching(/^FHIR_PASSWORD: /)])
    })

    it('reads a JSON file with a PEM key file beside it, the environment winning', async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'relay-config-'))
        const { privateKey } = await generateKeyPair('RS256', { extractable: true })
        writeFileSync(path.join(dir, 'client.pem'), await exportPKCS8(privateKey))
        const { ESIGNET_CLIENT_PRIVATE_KEY_JWK: _jwk, ...settings } = await validSettings()
        writeFileSync(
            path.join(dir, 'relay.json'),
            JSON.stringify({
                ...settings,
                ESIGNET_CLIENT_PRIVATE_KEY_FILE: 'client.pem',
                ESIGNET_CLIENT_KEY_ID: 'relay-1',
                RELAY_STAFF_REDIRECT_URIS: ['http://localhost:8080/a/cb.html'],
                RELAY_COOKIE_SECURE: false,
            })
        )
        const config = await loadConfig({
            RELAY_CONFIG_FILE: path.join(dir, 'relay.json'),
            RELAY_PORT: '9001',
        })
        expect(config.esignet.clientKey.kid).toBe('relay-1')
        expect(config.esignet.clientKey.keys.RS256?.type).toBe('private')
        expect(config.esignet.redirectUris.staff).toEqual(['http://localhost:8080/a/cb.html'])
        expect(config.patient.cookieSecure).toBe(false)
        expect(config.server.port).toBe(9001)
    })

    it('reports an unreadable config file by name', async () => {
        await expect(loadConfig({ RELAY_CONFIG_FILE: '/nonexistent/relay.json' })).rejects.toThrow(
            /RELAY_CONFIG_FILE/
        )
    })
})

describe('production mode (RELAY_MODE, default production)', () => {
    const REPO = path.resolve(__dirname, '../..')
    const DEV_KEY = path.join(REPO, 'devstack/keys/relay-client.private.dev.jwk.json')

    async function productionSettings(): Promise<Record<string, string>> {
        const { RELAY_MODE: _mode, ...settings } = await validSettings()
        return {
            ...settings,
            ESIGNET_ISSUER: 'https://esignet.example.lk',
            RELAY_STAFF_REDIRECT_URIS: 'https://dhis2.example.lk/api/apps/anc-doctor/cb.html',
            RELAY_PATIENT_REDIRECT_URIS: 'https://dhis2.example.lk/api/apps/login/cb.html',
            // A FHIR server reached through a local tunnel or sidecar may be plain http.
            FHIR_BASE_URL: 'http://127.0.0.1:8090/fhir',
        }
    }

    it('is the default, and accepts https and fresh keys and secrets', async () => {
        const config = await parseSettings(await productionSettings())
        expect(config.mode).toBe('production')
    })

    // Issue 16.6: the committed development keys and secrets are public.
    it.each([
        ['ESIGNET_CLIENT_PRIVATE_KEY_FILE', { ESIGNET_CLIENT_PRIVATE_KEY_FILE: DEV_KEY }],
        ['RELAY_ROUTE_SECRET', { RELAY_ROUTE_SECRET: DEV_SECRETS.relayRouteSecret }],
        ['RELAY_SESSION_SECRET', { RELAY_SESSION_SECRET: DEV_SECRETS.relaySessionSecret }],
        ['FHIR_PASSWORD', { FHIR_PASSWORD: DEV_SECRETS.fhirPassword }],
        ['RELAY_COOKIE_SECURE', { RELAY_COOKIE_SECURE: 'false' }],
        ['ESIGNET_ISSUER', { ESIGNET_ISSUER: 'http://localhost:8088' }],
        [
            'RELAY_PATIENT_REDIRECT_URIS',
            { RELAY_PATIENT_REDIRECT_URIS: 'http://localhost/cb.html' },
        ],
    ])('refuses %s with a development value, naming only the setting', async (name, change) => {
        const { ESIGNET_CLIENT_PRIVATE_KEY_JWK: jwk, ...rest } = await productionSettings()
        const settings: Record<string, string> = {
            ...rest,
            ...('ESIGNET_CLIENT_PRIVATE_KEY_FILE' in change
                ? {}
                : { ESIGNET_CLIENT_PRIVATE_KEY_JWK: jwk }),
            ...change,
        }
        const problems = await problemsOf(settings)
        expect(problems).toHaveLength(1)
        expect(problems[0]).toMatch(new RegExp(`^${name}: `))
        expect(problems[0]).toMatch(/production/)
        for (const secret of Object.values(DEV_SECRETS)) {
            if (secret.length > 8) expect(problems[0]).not.toContain(secret)
        }
        // The same settings start a development relay (the local stack).
        expect(await problemsOf({ ...settings, RELAY_MODE: 'development' })).toEqual([])
    })

    it('refuses an unknown mode', async () => {
        const problems = await problemsOf({ ...(await validSettings()), RELAY_MODE: 'staging' })
        expect(problems[0]).toBe(
            'RELAY_MODE: must be one of production, development; got "staging"'
        )
    })
})

describe('the committed development credentials list', () => {
    // The list the relay refuses in production is kept in step with the committed files.
    it('names every development key in devstack/keys and every committed secret', async () => {
        const keysDir = path.resolve(__dirname, '../../devstack/keys')
        const privateKeys = readdirSync(keysDir).filter((f) => f.endsWith('.private.dev.jwk.json'))
        expect(privateKeys.length).toBeGreaterThanOrEqual(3)
        for (const file of privateKeys) {
            const jwk = JSON.parse(readFileSync(path.join(keysDir, file), 'utf8'))
            const publicJwk = createPublicKey(createPrivateKey({ key: jwk, format: 'jwk' })).export(
                {
                    format: 'jwk',
                }
            )
            const thumbprint = await calculateJwkThumbprint(publicJwk as never)
            expect(DEVELOPMENT_KEY_THUMBPRINTS[thumbprint]).toBe(file)
        }
        for (const secret of [
            DEV_SECRETS.relayRouteSecret,
            DEV_SECRETS.relaySessionSecret,
            DEV_SECRETS.fhirPassword,
            ROUTE_SECRET,
            SESSION_SECRET,
        ]) {
            expect(isDevelopmentSecret(secret)).toBe(true)
        }
    })
})
