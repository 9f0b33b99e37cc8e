import type { ClaimsRequest } from './claims-request'

/**
 * The public half of the eSignet client settings, served by the relay's `GET /config`. The
 * browser takes every authorize parameter from here so that a change of eSignet, client or
 * requested claims is a relay setting, not an app rebuild.
 */
export interface EsignetPublicConfig {
    authorizationEndpoint: string
    clientId: string
    scope: string
    acrValues: string[]
    claims: ClaimsRequest
    /** Locales eSignet's UI can show (BCP-47 short codes, e.g. `en`). */
    uiLocalesSupported: string[]
    /** Languages to ask claims in (BCP-47); eSignet answers `name#eng`, `name#sin`, ... */
    claimsLocales: string[]
    /** Discovery `issuer` (informational in the browser: the relay verifies tokens). */
    issuer?: string
}

export class RelayConfigError extends Error {
    override name = 'RelayConfigError'
}

type Json = Record<string, unknown>

function pick(source: Json, ...names: string[]): unknown {
    for (const name of names) {
        if (source[name] !== undefined) return source[name]
    }
    return undefined
}

function stringList(value: unknown, field: string): string[] {
    if (value === undefined || value === null) return []
    if (typeof value === 'string') return value.split(/\s+/).filter(Boolean)
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
        return value.filter(Boolean)
    }
    throw new RelayConfigError(`Relay config: ${field} must be a string or a list of strings`)
}

function requiredString(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.trim() === '') {
        throw new RelayConfigError(`Relay config: ${field} is missing`)
    }
    return value
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** https only, except loopback hosts used by the local stack. */
function checkEndpoint(value: string, field: string): string {
    let url: URL
    try {
        url = new URL(value)
    } catch {
        throw new RelayConfigError(`Relay config: ${field} is not a URL`)
    }
    const secure = url.protocol === 'https:'
    const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
    if (!secure && !loopback) {
        throw new RelayConfigError(`Relay config: ${field} must use https`)
    }
    if (url.hash) throw new RelayConfigError(`Relay config: ${field} must not have a fragment`)
    return url.href
}

/**
 * Validates the relay's `/config` body. Accepts camelCase and the OIDC discovery spelling
 * (`authorization_endpoint`, `client_id`, `acr_values`, `ui_locales_supported`, ...).
 */
export function parseRelayConfig(body: unknown): EsignetPublicConfig {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new RelayConfigError('Relay config: expected a JSON object')
    }
    const json = body as Json
    const claims = pick(json, 'claims')
    if (claims !== undefined && (typeof claims !== 'object' || claims === null)) {
        throw new RelayConfigError('Relay config: claims must be an object')
    }
    const scope = stringList(pick(json, 'scope', 'scopes'), 'scope')
    if (!scope.includes('openid')) {
        throw new RelayConfigError('Relay config: scope must include openid')
    }
    const issuer = pick(json, 'issuer')
    return {
        authorizationEndpoint: checkEndpoint(
            requiredString(
                pick(json, 'authorizationEndpoint', 'authorization_endpoint'),
                'authorizationEndpoint'
            ),
            'authorizationEndpoint'
        ),
        clientId: requiredString(pick(json, 'clientId', 'client_id'), 'clientId'),
        scope: scope.join(' '),
        acrValues: stringList(pick(json, 'acrValues', 'acr_values'), 'acrValues'),
        claims: (claims as ClaimsRequest | undefined) ?? {},
        uiLocalesSupported: stringList(
            pick(json, 'uiLocalesSupported', 'ui_locales_supported', 'uiLocales'),
            'uiLocalesSupported'
        ),
        claimsLocales: stringList(
            pick(json, 'claimsLocales', 'claims_locales', 'claimsLocalesSupported'),
            'claimsLocales'
        ),
        ...(typeof issuer === 'string' ? { issuer } : {}),
    }
}

/**
 * `ui_locales`: the user's language first, then English as eSignet's default. Languages the
 * relay says eSignet cannot show are left out, so eSignet never falls back unpredictably.
 */
export function uiLocalesFor(language: string, supported: readonly string[]): string {
    const base = (language.split(/[-_]/)[0] ?? '').toLowerCase()
    const wanted = [base, 'en'].filter(Boolean)
    const allowed =
        supported.length === 0
            ? wanted
            : wanted.filter((code) => supported.some((s) => s.toLowerCase() === code))
    return [...new Set(allowed.length > 0 ? allowed : wanted.slice(-1))].join(' ')
}
