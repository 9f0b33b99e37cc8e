import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose'
import { ConfigError, loadConfig, parseSettings } from './config'

async function validSettings(): Promise<Record<string, string>> {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    return {
        ESIGNET_ISSUER: 'http://localhost:8088',
        ESIGNET_CLIENT_ID: 'anc-relay',
        ESIGNET_CLIENT_PRIVATE_KEY_JWK: JSON.stringify(await exportJWK(privateKey)),
        RELAY_ALLOWED_REDIRECT_URIS:
            'http://localhost:8080/a/cb.html, http://localhost:8080/b/cb.html',
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
        expect(config.esignet.allowedRedirectUris).toEqual([
            'http://localhost:8080/a/cb.html',
            'http://localhost:8080/b/cb.html',
        ])
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
                'RELAY_ALLOWED_REDIRECT_URIS',
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
        ['RELAY_ALLOWED_REDIRECT_URIS', 'http://localhost:8080/cb.html?x=1'],
        ['RELAY_ALLOWED_REDIRECT_URIS', 'javascript:alert(1)'],
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
                RELAY_ALLOWED_REDIRECT_URIS: ['http://localhost:8080/a/cb.html'],
                RELAY_COOKIE_SECURE: false,
            })
        )
        const config = await loadConfig({
            RELAY_CONFIG_FILE: path.join(dir, 'relay.json'),
            RELAY_PORT: '9001',
        })
        expect(config.esignet.clientKey.kid).toBe('relay-1')
        expect(config.esignet.clientKey.key.type).toBe('private')
        expect(config.esignet.allowedRedirectUris).toEqual(['http://localhost:8080/a/cb.html'])
        expect(config.patient.cookieSecure).toBe(false)
        expect(config.server.port).toBe(9001)
    })

    it('reports an unreadable config file by name', async () => {
        await expect(loadConfig({ RELAY_CONFIG_FILE: '/nonexistent/relay.json' })).rejects.toThrow(
            /RELAY_CONFIG_FILE/
        )
    })
})
