import { exportJWK, generateKeyPair } from 'jose'
import type { FastifyInstance } from 'fastify'
import { buildRelay } from '../src/app'
import { parseSettings, type RelayConfig } from '../src/config'
import type { CodeExchangeRequest } from '../src/esignet/client'
import { FhirDouble } from './fhir-double'
import { HostileIssuer, pkcePair } from './hostile-issuer'

export const CLIENT_ID = 'anc-relay'
/** A staff app's callback (POST /staff/exchange). */
export const REDIRECT_URI = 'http://localhost:8080/api/apps/anc-registration/esignet-callback.html'
/** The patient portal's callback (POST /patient/session). */
export const PATIENT_REDIRECT_URI = 'http://localhost:8080/api/apps/login/esignet-callback.html'
export const ROUTE_SECRET = 'route-secret-for-tests-0123456789abcdef'
export const SESSION_SECRET = 'session-secret-for-tests-0123456789abcdef'

/** Collects the relay's log lines so a test can read them. */
export class LogCapture {
    readonly lines: string[] = []
    write(line: string): void {
        this.lines.push(line)
    }
    get text(): string {
        return this.lines.join('')
    }
}

export interface Fixture {
    issuer: HostileIssuer
    fhir: FhirDouble
    relay: FastifyInstance
    config: RelayConfig
    /** The settings behind `config`, as the environment variables a relay process would read. */
    settings: Record<string, string>
    log: LogCapture
    /**
     * A fresh login at the hostile issuer, ready to post to the relay: by default for a staff
     * app's callback; `patient` for the portal's.
     */
    login(
        sub: string,
        claims?: Record<string, unknown>,
        side?: 'staff' | 'patient'
    ): CodeExchangeRequest
    close(): Promise<void>
}

/** What every test relay is given besides its eSignet: redirect URI, FHIR double, secrets. */
export function testRelaySettings(fhir: FhirDouble): Record<string, string> {
    return {
        RELAY_MODE: 'development',
        RELAY_STAFF_REDIRECT_URIS: REDIRECT_URI,
        RELAY_PATIENT_REDIRECT_URIS: PATIENT_REDIRECT_URI,
        FHIR_BASE_URL: fhir.baseUrl,
        FHIR_USERNAME: 'relay-service',
        FHIR_PASSWORD: 'fhir-password',
        RELAY_ROUTE_SECRET: ROUTE_SECRET,
        RELAY_SESSION_SECRET: SESSION_SECRET,
    }
}

/** Hostile issuer + FHIR double + relay configured through the same settings parser as production. */
export async function startFixture(
    settings: Record<string, string> | ((issuer: HostileIssuer) => Record<string, string>) = {}
): Promise<Fixture> {
    const client = await generateKeyPair('RS256', { extractable: true })
    const issuer = await HostileIssuer.start(CLIENT_ID, client.publicKey)
    const fhir = await FhirDouble.start('relay-service', 'fhir-password')
    const privateJwk = { ...(await exportJWK(client.privateKey)), kid: 'relay-client-1' }
    const allSettings: Record<string, string> = {
        ESIGNET_DISCOVERY_URL: issuer.discoveryUrl,
        ESIGNET_CLIENT_ID: CLIENT_ID,
        ESIGNET_CLIENT_PRIVATE_KEY_JWK: JSON.stringify(privateJwk),
        ESIGNET_TIMEOUT_MS: '1500',
        ...testRelaySettings(fhir),
        RELAY_RATE_LIMIT_MAX: '1000',
        ...(typeof settings === 'function' ? settings(issuer) : settings),
    }
    const config = await parseSettings(allSettings)
    const log = new LogCapture()
    const relay = await buildRelay(config, { logStream: log })
    await relay.ready()
    return {
        issuer,
        fhir,
        relay,
        config,
        settings: allSettings,
        log,
        login(sub, claims, side = 'staff') {
            const { verifier, challenge } = pkcePair()
            const nonce = `nonce-${Math.random().toString(36).slice(2)}`
            const redirectUri = side === 'patient' ? PATIENT_REDIRECT_URI : REDIRECT_URI
            const grant = { sub, nonce, codeChallenge: challenge, redirectUri }
            const code = issuer.issueCode(claims ? { ...grant, claims } : grant)
            return { code, codeVerifier: verifier, redirectUri, nonce }
        },
        async close() {
            await relay.close()
            await issuer.close()
            await fhir.close()
        },
    }
}
