import {
    createPrivateKey,
    createPublicKey,
    X509Certificate,
    type JsonWebKey as NodeJsonWebKey,
} from 'node:crypto'
import { DEFAULT_CLAIMS_MAPPING } from '@anc/shared/claims'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { calculateJwkThumbprint, importJWK, importPKCS8, importX509, type JWK } from 'jose'
import { developmentCredentialsIn } from './development-credentials'

/**
 * The relay's settings. Each comes from an environment variable of the same name or, when
 * RELAY_CONFIG_FILE names a JSON file, from that file's key of the same name (the environment
 * wins). Every problem is reported at once, by setting name, before the relay starts.
 */

export type IssuerQuirk = 'strict' | 'v1-esignet' | 'either'

/**
 * `production` (the default) or `development` (RELAY_MODE). Production refuses the committed
 * development keys and secrets, plain-http eSignet and redirect URIs even on loopback, and
 * insecure cookies; development is for the local stack and tests only.
 */
export type RelayMode = 'production' | 'development'

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
 * The client's private key, imported once per assertion algorithm it can sign with (an RSA key
 * for RS256 and PS256, a P-256 key for ES256). Which one signs is decided against eSignet's
 * discovery (`token_endpoint_auth_signing_alg_values_supported`) unless `configuredAlg` is set.
 */
export interface ClientKey {
    /** Per algorithm, the key imported for it. */
    keys: Partial<Record<string, CryptoKey>>
    kid?: string
    /** ESIGNET_CLIENT_ASSERTION_ALG when set: then only this one, and it must be supported. */
    configuredAlg?: string
    /** RFC 7638 thumbprint of the public key (recognises the committed development key). */
    thumbprint: string
}

/** A pinned certificate of the identity system (its public key, for userinfo signatures). */
export interface PinnedCertificate {
    /** Subject and serial, for messages. */
    name: string
    key: CryptoKey
    /** RFC 7638 thumbprint of its public key (recognises the committed development one). */
    thumbprint: string
}

/** Keys besides eSignet's JWKS that may sign userinfo: the identity system's. */
export interface IdentitySystemKeys {
    jwksUrl?: string
    certificates: PinnedCertificate[]
}

/**
 * The settings by concern: each plugin gets its own section as its options (see app.ts), so a new
 * plugin adds a section here and reads nothing else.
 */
export interface RelayConfig {
    mode: RelayMode
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
    clientKey: ClientKey
    userinfoDecryptionKey?: KeyMaterial
    signingAlgs: string[]
    /** The identity system's userinfo signing keys (MOSIP mock identity system: not in the JWKS). */
    identitySystemKeys: IdentitySystemKeys
    /** Leeway for eSignet's clock (its own host): iat/exp/nbf, never the maximum token age. */
    clockToleranceSeconds: number
    authorizationEndpoint?: string
    scope: string
    acrValues: string[]
    essentialClaims: string[]
    voluntaryClaims: string[]
    uiLocales: string[]
    claimsLocales: string[]
    timeoutMs: number
    /**
     * The redirect URIs registered with eSignet, split by who may redeem a code issued to them:
     * the staff apps (POST /staff/exchange) and the patient portal (POST /patient/session). A
     * code issued to a staff app's callback can never open a patient session, and back.
     */
    redirectUris: { staff: string[]; patient: string[] }
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

/** Whether plain http is allowed for a URL setting when its host is this machine. */
interface UrlRule {
    loopbackHttp: boolean
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

export function isLoopbackHost(hostname: string): boolean {
    return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost')
}

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
    const mode = s.oneOf('RELAY_MODE', ['production', 'development'], 'production') as RelayMode
    // Browser-facing and identity URLs: https, plain http only on loopback in development.
    const publicUrl = { loopbackHttp: mode === 'development' }

    const issuer = s.optionalUrl('ESIGNET_ISSUER', publicUrl)
    let discoveryUrl = s.optionalUrl('ESIGNET_DISCOVERY_URL', publicUrl)
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

    const configuredAlg = s.optionalOneOf('ESIGNET_CLIENT_ASSERTION_ALG', ASSERTION_ALGS)
    const clientKey = await s.clientKey(
        'ESIGNET_CLIENT_PRIVATE_KEY_FILE',
        'ESIGNET_CLIENT_PRIVATE_KEY_JWK',
        configuredAlg,
        s.optionalString('ESIGNET_CLIENT_KEY_ID')
    )
    const decryptionAlg = s.oneOf(
        'ESIGNET_USERINFO_ENCRYPTION_ALG',
        DECRYPTION_ALGS,
        'RSA-OAEP-256'
    )
    const userinfoDecryptionKey = await s.privateKey(
        'ESIGNET_USERINFO_DECRYPTION_KEY_FILE',
        'ESIGNET_USERINFO_DECRYPTION_KEY_JWK',
        decryptionAlg
    )
    const signingAlgs = s.list('ESIGNET_SIGNING_ALGS', ['RS256', 'PS256'], SIGNING_ALGS)
    const identitySystemJwksUrl = s.optionalUrl('ESIGNET_IDENTITY_SYSTEM_JWKS_URL', publicUrl)
    const certificates = await s.certificates('ESIGNET_IDENTITY_SYSTEM_CERTIFICATE_FILE')

    const claimsLocales = s.list('ESIGNET_CLAIMS_LOCALES', ['en'])
    if (claimsLocales.length !== 1) {
        // With several, the mock identity system tags every claim and drops those it lacks in one
        // of them (AuthenticationServiceImpl.getKycValues); plugins up to 1.3.0 read only the first.
        s.problem('ESIGNET_CLAIMS_LOCALES', 'must be exactly one language (e.g. en)')
    }

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
    if (raw.RELAY_ALLOWED_REDIRECT_URIS !== undefined && raw.RELAY_ALLOWED_REDIRECT_URIS !== '') {
        s.problem(
            'RELAY_ALLOWED_REDIRECT_URIS',
            "replaced by RELAY_STAFF_REDIRECT_URIS (the staff apps' callbacks) and RELAY_PATIENT_REDIRECT_URIS (the patient portal's), so a staff code cannot open a patient session"
        )
    }
    const staffRedirectUris = s.redirectUris('RELAY_STAFF_REDIRECT_URIS', publicUrl)
    const patientRedirectUris = s.redirectUris('RELAY_PATIENT_REDIRECT_URIS', publicUrl)
    const shared = staffRedirectUris.filter((uri) => patientRedirectUris.includes(uri))
    if (shared.length > 0) {
        s.problem(
            'RELAY_PATIENT_REDIRECT_URIS',
            `${shared.join(', ')} is also a staff redirect URI: each callback belongs to one side`
        )
    }

    const config: RelayConfig = {
        mode,
        esignet: {
            discoveryUrl: discoveryUrl ?? '',
            issuerQuirk: s.oneOf(
                'ESIGNET_ISSUER_QUIRK',
                ['strict', 'v1-esignet', 'either'],
                'either'
            ) as IssuerQuirk,
            clientId: s.requiredString('ESIGNET_CLIENT_ID'),
            clientKey: clientKey as ClientKey,
            signingAlgs,
            identitySystemKeys: {
                ...(identitySystemJwksUrl ? { jwksUrl: identitySystemJwksUrl } : {}),
                certificates,
            },
            clockToleranceSeconds: s.integer('ESIGNET_CLOCK_TOLERANCE_SECONDS', 60, 0, 300),
            scope: s.string('ESIGNET_SCOPE', 'openid profile'),
            acrValues: s.list('ESIGNET_ACR_VALUES', ['mosip:idp:acr:generated-code']),
            // By default the claims the apps' claims mapping asks for (shared/claims).
            essentialClaims: s.list('ESIGNET_ESSENTIAL_CLAIMS', requestedClaims(true)),
            voluntaryClaims: s.list('ESIGNET_VOLUNTARY_CLAIMS', requestedClaims(false)),
            uiLocales: s.list('ESIGNET_UI_LOCALES', ['en', 'si', 'ta']),
            claimsLocales,
            timeoutMs: s.integer('ESIGNET_TIMEOUT_MS', 10000, 100, 60000),
            redirectUris: { staff: staffRedirectUris, patient: patientRedirectUris },
        },
        fhir: {
            baseUrl: (s.requiredUrl('FHIR_BASE_URL', { loopbackHttp: true }) ?? '').replace(
                /\/+$/,
                ''
            ),
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
    const authorizationEndpoint = s.optionalUrl('ESIGNET_AUTHORIZATION_ENDPOINT', publicUrl)
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
    if (mode === 'production') {
        for (const problem of developmentCredentialsIn(config)) {
            s.problem(problem.setting, problem.message)
        }
        if (!config.patient.cookieSecure) {
            s.problem('RELAY_COOKIE_SECURE', 'must be true in production (RELAY_MODE=production)')
        }
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

    private checkUrl(
        name: string,
        value: string,
        rule: UrlRule = { loopbackHttp: true }
    ): string | undefined {
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
        if (url.protocol === 'http:' && !(rule.loopbackHttp && isLoopbackHost(url.hostname))) {
            // Tokens, codes and patient data cross these: plain http only on this machine.
            this.problem(
                name,
                rule.loopbackHttp
                    ? `must use https outside loopback, got "${value}"`
                    : `must use https in production (RELAY_MODE=production), got "${value}"`
            )
            return undefined
        }
        return value
    }

    optionalUrl(name: string, rule?: UrlRule): string | undefined {
        const value = this.text(name)
        return value === undefined ? undefined : this.checkUrl(name, value, rule)
    }

    requiredUrl(name: string, rule?: UrlRule): string | undefined {
        const value = this.text(name)
        if (value === undefined) {
            this.problem(name, 'missing')
            return undefined
        }
        return this.checkUrl(name, value, rule)
    }

    optionalOneOf(name: string, allowed: string[]): string | undefined {
        const value = this.text(name)
        if (value !== undefined && !allowed.includes(value)) {
            this.problem(name, `must be one of ${allowed.join(', ')}; got "${value}"`)
            return undefined
        }
        return value
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

    redirectUris(name: string, rule: UrlRule): string[] {
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
            if (this.checkUrl(name, uri, rule) === undefined) {
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

    /** Reads a private key file (JWK or PKCS#8 PEM) or an inline JWK; undefined when neither is set. */
    private readKeyMaterial(
        fileName: string,
        jwkName: string
    ): { source: string; material: string | JWK } | undefined {
        const file = this.text(fileName)
        const inline = this.raw[jwkName]
        if (file === undefined && (inline === undefined || inline === '')) {
            return undefined
        }
        if (file !== undefined) {
            try {
                return {
                    source: fileName,
                    material: readFileSync(path.resolve(this.baseDir, file), 'utf8'),
                }
            } catch (error) {
                this.problem(fileName, `cannot read ${file} (${describe(error)})`)
                return undefined
            }
        }
        return { source: jwkName, material: inline as string | JWK }
    }

    /**
     * The eSignet client key, imported for each assertion algorithm it can sign with (or only the
     * configured one): which one signs is settled against eSignet's discovery at start-up.
     */
    async clientKey(
        fileName: string,
        jwkName: string,
        configuredAlg: string | undefined,
        kid: string | undefined
    ): Promise<ClientKey | undefined> {
        const read = this.readKeyMaterial(fileName, jwkName)
        if (!read) {
            if (!this.hasProblem(fileName)) {
                this.problem(
                    fileName,
                    `missing (a private JWK or PKCS#8 PEM file; or set ${jwkName})`
                )
            }
            return undefined
        }
        const candidates = configuredAlg ? [configuredAlg] : ASSERTION_ALGS
        const keys: Partial<Record<string, CryptoKey>> = {}
        let keyId = kid
        let thumbprint = ''
        let lastError: unknown
        for (const alg of candidates) {
            try {
                const imported = await importPrivateKey(read.material, alg, kid)
                keys[alg] = imported.key
                keyId ??= imported.kid
                thumbprint ||= await publicThumbprint(read.material)
            } catch (error) {
                lastError = error
            }
        }
        if (Object.keys(keys).length === 0) {
            const what = configuredAlg ?? ASSERTION_ALGS.join('/')
            this.problem(read.source, `not a usable ${what} private key (${describe(lastError)})`)
            return undefined
        }
        return {
            keys,
            thumbprint,
            ...(keyId === undefined ? {} : { kid: keyId }),
            ...(configuredAlg === undefined ? {} : { configuredAlg }),
        }
    }

    /** PEM certificates (one or more in the file), each checked to be in its validity period. */
    async certificates(name: string): Promise<PinnedCertificate[]> {
        const file = this.text(name)
        if (file === undefined) {
            return []
        }
        let text: string
        try {
            text = readFileSync(path.resolve(this.baseDir, file), 'utf8')
        } catch (error) {
            this.problem(name, `cannot read ${file} (${describe(error)})`)
            return []
        }
        const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)
        if (!pems) {
            this.problem(name, `${file} holds no PEM certificate`)
            return []
        }
        const pinned: PinnedCertificate[] = []
        for (const pem of pems) {
            try {
                const certificate = new X509Certificate(pem)
                const label = `${certificate.subject.replace(/\n/g, ', ')} (serial ${certificate.serialNumber})`
                if (Date.parse(certificate.validTo) < Date.now()) {
                    this.problem(name, `certificate ${label} expired on ${certificate.validTo}`)
                    continue
                }
                const alg = certificate.publicKey.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256'
                const thumbprint = await calculateJwkThumbprint(
                    createPublicKey(pem).export({ format: 'jwk' }) as JWK
                )
                pinned.push({ name: label, key: await importX509(pem, alg), thumbprint })
            } catch (error) {
                this.problem(name, `${file}: not a usable certificate (${describe(error)})`)
            }
        }
        return pinned
    }

    async privateKey(
        fileName: string,
        jwkName: string,
        alg: string
    ): Promise<KeyMaterial | undefined> {
        const read = this.readKeyMaterial(fileName, jwkName)
        if (!read) {
            return undefined
        }
        try {
            return await importPrivateKey(read.material, alg)
        } catch (error) {
            this.problem(read.source, `not a usable ${alg} private key (${describe(error)})`)
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

/** RFC 7638 thumbprint of the public half of a private key given as PEM or JWK. */
async function publicThumbprint(material: string | JWK): Promise<string> {
    const privateKey =
        typeof material === 'string' && material.includes('-----BEGIN')
            ? createPrivateKey(material)
            : createPrivateKey({
                  key: (typeof material === 'string'
                      ? JSON.parse(material)
                      : material) as NodeJsonWebKey,
                  format: 'jwk',
              })
    return calculateJwkThumbprint(createPublicKey(privateKey).export({ format: 'jwk' }) as JWK)
}
