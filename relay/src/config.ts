import { DEFAULT_CLAIMS_MAPPING } from '@anc/shared/claims'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { importJWK, importPKCS8, type JWK } from 'jose'

/**
 * The relay's settings. Each comes from an environment variable of the same name or, when
 * RELAY_CONFIG_FILE names a JSON file, from that file's key of the same name (the environment
 * wins). Every problem is reported at once, by setting name, before the relay starts.
 */

export type IssuerQuirk = 'strict' | 'v1-esignet' | 'either'

function requestedClaims(essential: boolean): string[] {
    return DEFAULT_CLAIMS_MAPPING.requestedClaims
        .filter((c) => c.essential === essential)
        .map((c) => c.claim)
}

export interface KeyMaterial {
    key: CryptoKey
    alg: string
    kid?: string
}

/**
 * The settings by concern: each plugin gets its own section as its options (see app.ts), so a new
 * plugin adds a section here and reads nothing else.
 */
export interface RelayConfig {
    server: ServerConfig
    rateLimit: RateLimitConfig
    esignet: EsignetConfig
    fhir: FhirConfig
    staff: StaffConfig
    patient: PatientConfig
}

/** The process: where it listens, what it logs, which proxies it believes. */
export interface ServerConfig {
    host: string
    port: number
    logLevel: string
    trustProxy: boolean | number | string[]
}

/** Per-IP limit on the login exchanges (staff and patient). */
export interface RateLimitConfig {
    max: number
    windowSeconds: number
}

/** The relay's eSignet client, used by /config and both login exchanges. */
export interface EsignetConfig {
    discoveryUrl: string
    /** Which `iss` the id_token may carry relative to the discovery `issuer` (eSignet <=1.7 quirk). */
    issuerQuirk: IssuerQuirk
    clientId: string
    clientKey: KeyMaterial
    userinfoDecryptionKey?: KeyMaterial
    signingAlgs: string[]
    authorizationEndpoint?: string
    scope: string
    acrValues: string[]
    essentialClaims: string[]
    voluntaryClaims: string[]
    uiLocales: string[]
    claimsLocales: string[]
    timeoutMs: number
    /** Exactly the redirect URIs registered with eSignet for this client. */
    allowedRedirectUris: string[]
}

/** The FHIR server, called directly with the relay's service credentials. */
export interface FhirConfig {
    baseUrl: string
    username?: string
    password?: string
    timeoutMs: number
}

/** Staff endpoints, reached only through the DHIS2 route. */
export interface StaffConfig {
    /** What the route sends as X-ANC-Route-Secret. */
    routeSecret: string
}

/** The patient gateway's sealed session cookies. */
export interface PatientConfig {
    sessionSecret: string
    idleSeconds: number
    maxSeconds: number
    /** `Secure` `__Host-` cookie; false only for plain-http local stacks. */
    cookieSecure: boolean
}

export class ConfigError extends Error {
    readonly problems: string[]
    constructor(problems: string[]) {
        super(`Relay configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
        this.name = 'ConfigError'
        this.problems = problems
    }
}

type RawSettings = Record<string, unknown>

const ASSERTION_ALGS = ['RS256', 'PS256', 'ES256']
const SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384']
const DECRYPTION_ALGS = ['RSA-OAEP-256', 'RSA-OAEP', 'RSA-OAEP-384', 'RSA-OAEP-512']
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
const MIN_SECRET_LENGTH = 32

/** Reads the settings from the environment and the optional JSON file, then validates them. */
export async function loadConfig(env: NodeJS.ProcessEnv = process.env): Promise<RelayConfig> {
    const raw: RawSettings = {}
    const file = env.RELAY_CONFIG_FILE
    if (file) {
        let parsed: unknown
        try {
            parsed = JSON.parse(readFileSync(file, 'utf8'))
        } catch (error) {
            throw new ConfigError([
                `RELAY_CONFIG_FILE: cannot read ${file} as JSON (${describe(error)})`,
            ])
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
            throw new ConfigError([`RELAY_CONFIG_FILE: ${file} must hold one JSON object`])
        }
        Object.assign(raw, parsed)
    }
    for (const [name, value] of Object.entries(env)) {
        if (value !== undefined && value !== '') {
            raw[name] = value
        }
    }
    return parseSettings(raw, file ? path.dirname(file) : process.cwd())
}

/** Validates settings given as one object (names as in the README table). */
export async function parseSettings(
    raw: RawSettings,
    baseDir = process.cwd()
): Promise<RelayConfig> {
    const s = new SettingsReader(raw, baseDir)

    const issuer = s.optionalUrl('ESIGNET_ISSUER')
    let discoveryUrl = s.optionalUrl('ESIGNET_DISCOVERY_URL')
    if (!discoveryUrl && issuer) {
        discoveryUrl = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
    }
    if (
        !discoveryUrl &&
        !s.hasProblem('ESIGNET_ISSUER') &&
        !s.hasProblem('ESIGNET_DISCOVERY_URL')
    ) {
        s.problem('ESIGNET_DISCOVERY_URL', 'missing (or set ESIGNET_ISSUER)')
    }

    const clientAssertionAlg = s.oneOf('ESIGNET_CLIENT_ASSERTION_ALG', ASSERTION_ALGS, 'RS256')
    const clientKey = await s.privateKey(
        'ESIGNET_CLIENT_PRIVATE_KEY_FILE',
        'ESIGNET_CLIENT_PRIVATE_KEY_JWK',
        clientAssertionAlg,
        s.optionalString('ESIGNET_CLIENT_KEY_ID'),
        true
    )
    const decryptionAlg = s.oneOf(
        'ESIGNET_USERINFO_ENCRYPTION_ALG',
        DECRYPTION_ALGS,
        'RSA-OAEP-256'
    )
    const userinfoDecryptionKey = await s.privateKey(
        'ESIGNET_USERINFO_DECRYPTION_KEY_FILE',
        'ESIGNET_USERINFO_DECRYPTION_KEY_JWK',
        decryptionAlg,
        undefined,
        false
    )

    const fhirUsername = s.optionalString('FHIR_USERNAME')
    const fhirPassword = s.optionalString('FHIR_PASSWORD')
    if ((fhirUsername === undefined) !== (fhirPassword === undefined)) {
        s.problem('FHIR_PASSWORD', 'FHIR_USERNAME and FHIR_PASSWORD must be set together')
    }

    const idleSeconds = s.integer('RELAY_SESSION_IDLE_SECONDS', 900, 60, 86400)
    const maxSeconds = s.integer('RELAY_SESSION_MAX_SECONDS', 8 * 3600, 60, 7 * 86400)
    if (maxSeconds < idleSeconds) {
        s.problem(
            'RELAY_SESSION_MAX_SECONDS',
            'must not be shorter than RELAY_SESSION_IDLE_SECONDS'
        )
    }

    const config: RelayConfig = {
        esignet: {
            discoveryUrl: discoveryUrl ?? '',
            issuerQuirk: s.oneOf(
                'ESIGNET_ISSUER_QUIRK',
                ['strict', 'v1-esignet', 'either'],
                'either'
            ) as IssuerQuirk,
            clientId: s.requiredString('ESIGNET_CLIENT_ID'),
            clientKey: clientKey as KeyMaterial,
            signingAlgs: s.list('ESIGNET_SIGNING_ALGS', ['RS256', 'PS256'], SIGNING_ALGS),
            scope: s.string('ESIGNET_SCOPE', 'openid profile'),
            acrValues: s.list('ESIGNET_ACR_VALUES', ['mosip:idp:acr:generated-code']),
            // By default the claims the apps' claims mapping asks for (shared/claims).
            essentialClaims: s.list('ESIGNET_ESSENTIAL_CLAIMS', requestedClaims(true)),
            voluntaryClaims: s.list('ESIGNET_VOLUNTARY_CLAIMS', requestedClaims(false)),
            uiLocales: s.list('ESIGNET_UI_LOCALES', ['en', 'si', 'ta']),
            claimsLocales: s.list('ESIGNET_CLAIMS_LOCALES', ['en']),
            timeoutMs: s.integer('ESIGNET_TIMEOUT_MS', 10000, 100, 60000),
            allowedRedirectUris: s.redirectUris('RELAY_ALLOWED_REDIRECT_URIS'),
        },
        fhir: {
            baseUrl: (s.requiredUrl('FHIR_BASE_URL') ?? '').replace(/\/+$/, ''),
            timeoutMs: s.integer('FHIR_TIMEOUT_MS', 10000, 100, 60000),
        },
        staff: { routeSecret: s.secret('RELAY_ROUTE_SECRET') },
        patient: {
            sessionSecret: s.secret('RELAY_SESSION_SECRET'),
            idleSeconds,
            maxSeconds,
            cookieSecure: s.boolean('RELAY_COOKIE_SECURE', true),
        },
        rateLimit: {
            max: s.integer('RELAY_RATE_LIMIT_MAX', 20, 1, 100000),
            windowSeconds: s.integer('RELAY_RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86400),
        },
        server: {
            trustProxy: s.trustProxy('RELAY_TRUST_PROXY'),
            host: s.string('RELAY_HOST', '127.0.0.1'),
            port: s.integer('RELAY_PORT', 8095, 0, 65535),
            logLevel: s.oneOf('RELAY_LOG_LEVEL', LOG_LEVELS, 'info'),
        },
    }
    const authorizationEndpoint = s.optionalUrl('ESIGNET_AUTHORIZATION_ENDPOINT')
    if (authorizationEndpoint) {
        config.esignet.authorizationEndpoint = authorizationEndpoint
    }
    if (userinfoDecryptionKey) {
        config.esignet.userinfoDecryptionKey = userinfoDecryptionKey
    }
    if (fhirUsername !== undefined && fhirPassword !== undefined) {
        config.fhir.username = fhirUsername
        config.fhir.password = fhirPassword
    }
    if (s.problems.length > 0) {
        throw new ConfigError(s.problems)
    }
    return config
}

function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error)
}

class SettingsReader {
    readonly problems: string[] = []
    private readonly names = new Set<string>()

    constructor(
        private readonly raw: RawSettings,
        private readonly baseDir: string
    ) {}

    problem(name: string, message: string): void {
        this.names.add(name)
        this.problems.push(`${name}: ${message}`)
    }

    hasProblem(name: string): boolean {
        return this.names.has(name)
    }

    private text(name: string): string | undefined {
        const value = this.raw[name]
        if (value === undefined || value === null || value === '') {
            return undefined
        }
        if (typeof value === 'string') {
            return value.trim()
        }
        if (typeof value === 'number' || typeof value === 'boolean') {
            return String(value)
        }
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
            return value.join(',')
        }
        this.problem(name, 'must be a string')
        return undefined
    }

    optionalString(name: string): string | undefined {
        return this.text(name)
    }

    string(name: string, fallback: string): string {
        return this.text(name) ?? fallback
    }

    requiredString(name: string): string {
        const value = this.text(name)
        if (value === undefined && !this.hasProblem(name)) {
            this.problem(name, 'missing')
        }
        return value ?? ''
    }

    private checkUrl(name: string, value: string): string | undefined {
        let url: URL
        try {
            url = new URL(value)
        } catch {
            this.problem(name, `not a URL: "${value}"`)
            return undefined
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:') {
            this.problem(name, `must be an http(s) URL, got "${value}"`)
            return undefined
        }
        return value
    }

    optionalUrl(name: string): string | undefined {
        const value = this.text(name)
        return value === undefined ? undefined : this.checkUrl(name, value)
    }

    requiredUrl(name: string): string | undefined {
        const value = this.text(name)
        if (value === undefined) {
            this.problem(name, 'missing')
            return undefined
        }
        return this.checkUrl(name, value)
    }

    oneOf(name: string, allowed: string[], fallback: string): string {
        const value = this.text(name)
        if (value === undefined) {
            return fallback
        }
        if (!allowed.includes(value)) {
            this.problem(name, `must be one of ${allowed.join(', ')}; got "${value}"`)
            return fallback
        }
        return value
    }

    list(name: string, fallback: string[], allowed?: string[]): string[] {
        const value = this.text(name)
        if (value === undefined) {
            return fallback
        }
        const items = value
            .split(/[\s,]+/)
            .map((item) => item.trim())
            .filter(Boolean)
        const unknown = allowed ? items.filter((item) => !allowed.includes(item)) : []
        if (unknown.length > 0 && allowed) {
            this.problem(
                name,
                `unsupported value(s) ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`
            )
        }
        return items
    }

    integer(name: string, fallback: number, min: number, max: number): number {
        const value = this.text(name)
        if (value === undefined) {
            return fallback
        }
        const number = Number(value)
        if (!Number.isInteger(number) || number < min || number > max) {
            this.problem(name, `must be a whole number from ${min} to ${max}, got "${value}"`)
            return fallback
        }
        return number
    }

    boolean(name: string, fallback: boolean): boolean {
        const value = this.text(name)
        if (value === undefined) {
            return fallback
        }
        if (/^(true|1|yes|on)$/i.test(value)) {
            return true
        }
        if (/^(false|0|no|off)$/i.test(value)) {
            return false
        }
        this.problem(name, `must be true or false, got "${value}"`)
        return fallback
    }

    secret(name: string): string {
        const value = this.text(name)
        if (value === undefined) {
            this.problem(name, 'missing')
            return ''
        }
        if (value.length < MIN_SECRET_LENGTH) {
            // The value itself is never echoed: it is a secret.
            this.problem(name, `must be at least ${MIN_SECRET_LENGTH} characters of random text`)
        }
        return value
    }

    trustProxy(name: string): boolean | number | string[] {
        const value = this.text(name)
        if (value === undefined || /^(false|0|no|off)$/i.test(value)) {
            return false
        }
        if (/^(true|yes|on)$/i.test(value)) {
            return true
        }
        if (/^[1-9][0-9]?$/.test(value)) {
            return Number(value)
        }
        const entries = value.split(',').map((entry) => entry.trim())
        if (entries.every((entry) => /^[0-9a-fA-F.:/]+$/.test(entry))) {
            return entries
        }
        this.problem(
            name,
            'must be false, true, a hop count, or a comma-separated list of proxy addresses/CIDRs'
        )
        return false
    }

    redirectUris(name: string): string[] {
        const value = this.text(name)
        if (value === undefined) {
            this.problem(
                name,
                'missing (comma-separated list of the redirect URIs registered with eSignet)'
            )
            return []
        }
        const uris = value
            .split(',')
            .map((uri) => uri.trim())
            .filter(Boolean)
        for (const uri of uris) {
            if (this.checkUrl(name, uri) === undefined) {
                continue
            }
            const url = new URL(uri)
            // eSignet <=1.6 appends "?state=..." by string concatenation: a query or fragment breaks it.
            if (url.search !== '' || url.hash !== '' || uri.includes('?') || uri.includes('#')) {
                this.problem(name, `"${uri}" must have no query string and no fragment`)
            }
        }
        if (uris.length === 0) {
            this.problem(name, 'must list at least one redirect URI')
        }
        return uris
    }

    async privateKey(
        fileName: string,
        jwkName: string,
        alg: string,
        kid: string | undefined,
        required: boolean
    ): Promise<KeyMaterial | undefined> {
        const file = this.text(fileName)
        const inline = this.raw[jwkName]
        if (file === undefined && (inline === undefined || inline === '')) {
            if (required) {
                this.problem(
                    fileName,
                    `missing (a private JWK or PKCS#8 PEM file; or set ${jwkName})`
                )
            }
            return undefined
        }
        const source = file !== undefined ? fileName : jwkName
        let material: string | JWK
        if (file !== undefined) {
            try {
                material = readFileSync(path.resolve(this.baseDir, file), 'utf8')
            } catch (error) {
                this.problem(fileName, `cannot read ${file} (${describe(error)})`)
                return undefined
            }
        } else {
            material = inline as string | JWK
        }
        try {
            return await importPrivateKey(material, alg, kid)
        } catch (error) {
            this.problem(source, `not a usable ${alg} private key (${describe(error)})`)
            return undefined
        }
    }
}

async function importPrivateKey(
    material: string | JWK,
    alg: string,
    kid?: string
): Promise<KeyMaterial> {
    if (typeof material === 'string' && material.includes('-----BEGIN')) {
        if (!material.includes('PRIVATE KEY-----')) {
            throw new Error('PEM must hold a PKCS#8 private key')
        }
        const key = await importPKCS8(material, alg)
        return kid === undefined ? { key, alg } : { key, alg, kid }
    }
    const jwk = (typeof material === 'string' ? JSON.parse(material) : material) as JWK
    if (typeof jwk !== 'object' || jwk === null || jwk.d === undefined) {
        throw new Error('JWK must be a private key (it has no "d")')
    }
    if (jwk.alg !== undefined && jwk.alg !== alg) {
        throw new Error(`JWK alg is ${jwk.alg}, expected ${alg}`)
    }
    const key = await importJWK(jwk, alg)
    // Checked by shape, not instanceof: Jest runs tests in another realm than jose's WebCrypto.
    if (!('algorithm' in key) || key.type !== 'private') {
        throw new Error('JWK is not an asymmetric private key')
    }
    const keyId = kid ?? jwk.kid
    return keyId === undefined ? { key, alg } : { key, alg, kid: keyId }
}
