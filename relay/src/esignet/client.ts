import { randomUUID } from 'node:crypto'
import {
    compactDecrypt,
    createRemoteJWKSet,
    customFetch,
    errors as joseErrors,
    jwtVerify,
    SignJWT,
    type JWTPayload,
} from 'jose'
import type { EsignetConfig } from '../config'
import { RelayError, RelayErrorCode, esignetTokenError } from '../errors'
import { callUpstream, ESIGNET_CALL, type FetchLike } from '../http'

/** What the browser posts after eSignet redirected back with a code. */
export interface CodeExchangeRequest {
    code: string
    codeVerifier: string
    redirectUri: string
    nonce: string
}

/** The verified outcome of a login: only this leaves the relay, never a token. */
export interface VerifiedLogin {
    sub: string
    claims: Record<string, unknown>
    acr: string | null
    authTime: number | null
}

interface ProviderMetadata {
    issuer: string
    authorization_endpoint: string
    token_endpoint: string
    userinfo_endpoint: string
    jwks_uri: string
}

const DISCOVERY_TTL_MS = 60 * 60 * 1000
const MAX_TOKEN_RESPONSE_BYTES = 256 * 1024
// Userinfo may carry a photo as a data URI.
const MAX_USERINFO_BYTES = 4 * 1024 * 1024
// eSignet's own clock leeway for assertions; the same tolerance for its tokens.
const CLOCK_TOLERANCE_SECONDS = 5
// An id_token is minted by the token call we just made: an older one is a replay.
const ID_TOKEN_MAX_AGE = '10m'
const ASSERTION_LIFETIME_SECONDS = 60
const REGISTERED_JWT_CLAIMS = new Set(['sub', 'iss', 'aud', 'iat', 'exp', 'nbf', 'jti'])

/**
 * The confidential half of eSignet's authorization-code flow: private_key_jwt client assertion,
 * code + PKCE verifier exchange at the v2 token endpoint, id_token and userinfo verification.
 */
export class EsignetClient {
    private metadataCache: { value: Promise<ProviderMetadata>; expires: number } | undefined
    private jwks: { uri: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined

    constructor(
        private readonly config: EsignetConfig,
        private readonly fetchImpl: FetchLike
    ) {}

    /** Discovery, cached for an hour; a failed fetch is not cached so the next call retries. */
    async metadata(): Promise<ProviderMetadata> {
        const now = Date.now()
        if (this.metadataCache && this.metadataCache.expires > now) {
            return this.metadataCache.value
        }
        const value = this.fetchMetadata()
        this.metadataCache = { value, expires: now + DISCOVERY_TTL_MS }
        value.catch(() => {
            this.metadataCache = undefined
        })
        return value
    }

    private async fetchMetadata(): Promise<ProviderMetadata> {
        const response = await callUpstream(
            this.fetchImpl,
            this.config.discoveryUrl,
            { headers: { accept: 'application/json' } },
            {
                what: 'eSignet discovery',
                timeoutMs: this.config.timeoutMs,
                maxBytes: 256 * 1024,
                ...ESIGNET_CALL,
            }
        )
        const doc = response.status === 200 ? parseJsonObject(response.body) : undefined
        const fields = [
            'issuer',
            'authorization_endpoint',
            'token_endpoint',
            'userinfo_endpoint',
            'jwks_uri',
        ]
        if (!doc || !fields.every((field) => isHttpUrl(doc[field]))) {
            throw new RelayError(
                502,
                RelayErrorCode.esignetBadResponse,
                'eSignet discovery document is missing or incomplete'
            )
        }
        // The issuer must belong to the host we asked: a discovery document cannot redirect trust.
        if (new URL(doc.issuer as string).origin !== new URL(this.config.discoveryUrl).origin) {
            throw new RelayError(
                502,
                RelayErrorCode.esignetBadResponse,
                'eSignet discovery names an issuer on another origin than the discovery URL'
            )
        }
        return doc as unknown as ProviderMetadata
    }

    private keySet(metadata: ProviderMetadata) {
        if (!this.jwks || this.jwks.uri !== metadata.jwks_uri) {
            this.jwks = {
                uri: metadata.jwks_uri,
                set: createRemoteJWKSet(new URL(metadata.jwks_uri), {
                    timeoutDuration: this.config.timeoutMs,
                    cooldownDuration: 30_000,
                    cacheMaxAge: 10 * 60_000,
                    [customFetch]: (url: string, options: RequestInit) =>
                        this.fetchImpl(url, options),
                }),
            }
        }
        return this.jwks.set
    }

    /** The `iss` values an id_token may carry, per the configured issuer quirk. */
    acceptedIssuers(metadata: ProviderMetadata): string[] {
        const quirk = `${metadata.issuer.replace(/\/+$/, '')}/v1/esignet`
        switch (this.config.issuerQuirk) {
            case 'strict':
                return [metadata.issuer]
            case 'v1-esignet':
                return [quirk]
            case 'either':
                return [metadata.issuer, quirk]
        }
    }

    /** A login's code redeemed and its tokens verified; refused before any call when the redirect URI is not ours. */
    async exchange(request: CodeExchangeRequest): Promise<VerifiedLogin> {
        if (!this.config.allowedRedirectUris.includes(request.redirectUri)) {
            throw new RelayError(
                400,
                RelayErrorCode.redirectUriNotAllowed,
                'redirectUri is not one of the redirect URIs this relay is registered for'
            )
        }
        const metadata = await this.metadata()
        const tokens = await this.redeemCode(metadata, request)
        const idToken = await this.verifyIdToken(metadata, tokens.idToken, request.nonce)
        const userinfo = await this.fetchUserinfo(metadata, tokens.accessToken)
        if (userinfo.sub !== idToken.sub) {
            throw new RelayError(
                502,
                RelayErrorCode.subjectMismatch,
                'userinfo belongs to another subject than the id_token'
            )
        }
        const claims: Record<string, unknown> = {}
        for (const [name, value] of Object.entries(userinfo)) {
            if (!REGISTERED_JWT_CLAIMS.has(name)) {
                claims[name] = value
            }
        }
        return {
            sub: idToken.sub,
            claims,
            acr: typeof idToken.acr === 'string' ? idToken.acr : null,
            authTime: typeof idToken.auth_time === 'number' ? idToken.auth_time : null,
        }
    }

    private async clientAssertion(tokenEndpoint: string): Promise<string> {
        const { clientId, clientKey } = this.config
        const header =
            clientKey.kid === undefined
                ? { alg: clientKey.alg, typ: 'JWT' }
                : { alg: clientKey.alg, kid: clientKey.kid, typ: 'JWT' }
        // eSignet compares `aud` byte for byte with its token endpoint and (1.7+) refuses a reused jti.
        return new SignJWT({})
            .setProtectedHeader(header)
            .setIssuer(clientId)
            .setSubject(clientId)
            .setAudience(tokenEndpoint)
            .setJti(randomUUID())
            .setIssuedAt()
            .setExpirationTime(`${ASSERTION_LIFETIME_SECONDS}s`)
            .sign(clientKey.key)
    }

    private async redeemCode(
        metadata: ProviderMetadata,
        request: CodeExchangeRequest
    ): Promise<{ idToken: string; accessToken: string }> {
        const form = new URLSearchParams({
            grant_type: 'authorization_code',
            code: request.code,
            redirect_uri: request.redirectUri,
            client_id: this.config.clientId,
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: await this.clientAssertion(metadata.token_endpoint),
            code_verifier: request.codeVerifier,
        })
        const response = await callUpstream(
            this.fetchImpl,
            metadata.token_endpoint,
            {
                method: 'POST',
                headers: {
                    'content-type': 'application/x-www-form-urlencoded',
                    accept: 'application/json',
                },
                body: form.toString(),
            },
            {
                what: 'eSignet token endpoint',
                timeoutMs: this.config.timeoutMs,
                maxBytes: MAX_TOKEN_RESPONSE_BYTES,
                ...ESIGNET_CALL,
            }
        )
        const body = response.contentType.includes('json')
            ? parseJsonObject(response.body)
            : undefined
        if (response.status !== 200) {
            if (body && 'error' in body) {
                throw esignetTokenError(body.error)
            }
            throw new RelayError(
                502,
                RelayErrorCode.esignetBadResponse,
                `eSignet token endpoint failed with HTTP ${response.status}`
            )
        }
        if (!body || typeof body.id_token !== 'string' || typeof body.access_token !== 'string') {
            throw new RelayError(
                502,
                RelayErrorCode.esignetBadResponse,
                'eSignet token endpoint answered without an id_token and access_token'
            )
        }
        if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
            throw new RelayError(
                502,
                RelayErrorCode.esignetBadResponse,
                'eSignet issued a non-Bearer access token'
            )
        }
        return { idToken: body.id_token, accessToken: body.access_token }
    }

    private async verifyIdToken(
        metadata: ProviderMetadata,
        idToken: string,
        nonce: string
    ): Promise<JWTPayload & { sub: string }> {
        let payload: JWTPayload
        try {
            const result = await jwtVerify(idToken, this.keySet(metadata), {
                issuer: this.acceptedIssuers(metadata),
                audience: this.config.clientId,
                algorithms: this.config.signingAlgs,
                maxTokenAge: ID_TOKEN_MAX_AGE,
                clockTolerance: CLOCK_TOLERANCE_SECONDS,
                requiredClaims: ['sub', 'exp', 'iat'],
            })
            payload = result.payload
        } catch (error) {
            throw joseFailure(RelayErrorCode.invalidIdToken, 'id_token', error)
        }
        // With several audiences the id_token must name us as the authorized party (OIDC Core 3.1.3.7).
        if (
            Array.isArray(payload.aud) &&
            payload.aud.length > 1 &&
            payload.azp !== this.config.clientId
        ) {
            throw new RelayError(
                502,
                RelayErrorCode.invalidIdToken,
                'id_token rejected: azp is not this client'
            )
        }
        if (typeof payload.sub !== 'string' || payload.sub === '') {
            throw new RelayError(
                502,
                RelayErrorCode.invalidIdToken,
                'id_token rejected: no subject'
            )
        }
        if (payload.nonce !== nonce) {
            throw new RelayError(
                401,
                RelayErrorCode.nonceMismatch,
                'The login response does not belong to this login attempt (nonce mismatch); sign in again'
            )
        }
        return payload as JWTPayload & { sub: string }
    }

    private async fetchUserinfo(
        metadata: ProviderMetadata,
        accessToken: string
    ): Promise<JWTPayload & { sub: string }> {
        const response = await callUpstream(
            this.fetchImpl,
            metadata.userinfo_endpoint,
            { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/jwt' } },
            {
                what: 'eSignet userinfo endpoint',
                timeoutMs: this.config.timeoutMs,
                maxBytes: MAX_USERINFO_BYTES,
                ...ESIGNET_CALL,
            }
        )
        if (response.status !== 200) {
            throw new RelayError(
                502,
                RelayErrorCode.invalidUserinfo,
                `eSignet userinfo endpoint failed with HTTP ${response.status}`
            )
        }
        let jws = response.body.trim()
        const decryption = this.config.userinfoDecryptionKey
        if (decryption) {
            if (jws.split('.').length !== 5) {
                throw new RelayError(
                    502,
                    RelayErrorCode.invalidUserinfo,
                    'userinfo is not encrypted although a decryption key is configured'
                )
            }
            try {
                const { plaintext } = await compactDecrypt(jws, decryption.key, {
                    keyManagementAlgorithms: [decryption.alg],
                })
                jws = new TextDecoder().decode(plaintext)
            } catch (error) {
                throw joseFailure(RelayErrorCode.invalidUserinfo, 'userinfo', error)
            }
        }
        if (jws.split('.').length !== 3) {
            const what = jws.startsWith('{') ? 'unsigned JSON' : 'not a signed JWT'
            throw new RelayError(502, RelayErrorCode.invalidUserinfo, `userinfo rejected: ${what}`)
        }
        let payload: JWTPayload
        try {
            const result = await jwtVerify(jws, this.keySet(metadata), {
                algorithms: this.config.signingAlgs,
                clockTolerance: CLOCK_TOLERANCE_SECONDS,
            })
            payload = result.payload
        } catch (error) {
            throw joseFailure(RelayErrorCode.invalidUserinfo, 'userinfo', error)
        }
        // Mock identity systems add iss/aud; when present they must be eSignet's and ours.
        const issuers = [metadata.issuer, `${metadata.issuer.replace(/\/+$/, '')}/v1/esignet`]
        if (payload.iss !== undefined && !issuers.includes(payload.iss)) {
            throw new RelayError(
                502,
                RelayErrorCode.invalidUserinfo,
                'userinfo rejected: unexpected issuer'
            )
        }
        if (payload.aud !== undefined) {
            const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
            if (!audiences.includes(this.config.clientId)) {
                throw new RelayError(
                    502,
                    RelayErrorCode.invalidUserinfo,
                    'userinfo rejected: not meant for this client'
                )
            }
        }
        if (typeof payload.sub !== 'string' || payload.sub === '') {
            throw new RelayError(
                502,
                RelayErrorCode.invalidUserinfo,
                'userinfo rejected: no subject'
            )
        }
        return payload as JWTPayload & { sub: string }
    }

    /** Public parameters the browser needs to build the /authorize request. */
    async browserParameters() {
        const metadata = await this.metadata()
        const claims: Record<string, { essential: boolean }> = {}
        for (const name of this.config.voluntaryClaims) {
            claims[name] = { essential: false }
        }
        for (const name of this.config.essentialClaims) {
            claims[name] = { essential: true }
        }
        return {
            authorizationEndpoint:
                this.config.authorizationEndpoint ?? metadata.authorization_endpoint,
            clientId: this.config.clientId,
            scope: this.config.scope,
            acrValues: this.config.acrValues,
            claims: { userinfo: claims, id_token: {} },
            claimsLocales: this.config.claimsLocales,
            uiLocalesSupported: this.config.uiLocales,
            issuer: metadata.issuer,
        }
    }
}

/** Maps a jose verification failure to a typed error naming the failed check. */
function joseFailure(code: string, what: string, error: unknown): RelayError {
    let reason = 'verification failed'
    if (error instanceof RelayError) {
        return error
    }
    if (error instanceof joseErrors.JWTExpired) {
        reason = error.claim === 'iat' ? 'issued too long ago' : 'expired'
    } else if (error instanceof joseErrors.JWTClaimValidationFailed) {
        reason = `claim "${error.claim}" check failed (${error.reason})`
    } else if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
        reason = 'signature does not verify'
    } else if (error instanceof joseErrors.JWKSNoMatchingKey) {
        reason = "signed with a key not in eSignet's key set"
    } else if (error instanceof joseErrors.JWKSMultipleMatchingKeys) {
        reason = 'ambiguous signing key'
    } else if (error instanceof joseErrors.JOSEAlgNotAllowed) {
        reason = 'signature algorithm not allowed'
    } else if (error instanceof joseErrors.JWEDecryptionFailed) {
        reason = 'cannot be decrypted with the configured key'
    } else if (error instanceof joseErrors.JWKSTimeout) {
        return new RelayError(
            504,
            RelayErrorCode.esignetTimeout,
            "eSignet's key set did not arrive in time"
        )
    } else if (error instanceof joseErrors.JOSENotSupported) {
        reason = 'uses an unsupported algorithm'
    } else if (error instanceof joseErrors.JOSEError) {
        reason = `malformed (${error.code})`
    } else {
        // Not a verification verdict: fetching the key set itself failed.
        return new RelayError(
            502,
            RelayErrorCode.esignetUnreachable,
            "eSignet's key set could not be fetched",
            {
                cause: error,
            }
        )
    }
    return new RelayError(502, code, `${what} rejected: ${reason}`, { cause: error })
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
    try {
        const value: unknown = JSON.parse(text)
        return typeof value === 'object' && value !== null && !Array.isArray(value)
            ? (value as Record<string, unknown>)
            : undefined
    } catch {
        return undefined
    }
}

function isHttpUrl(value: unknown): boolean {
    if (typeof value !== 'string') {
        return false
    }
    try {
        const url = new URL(value)
        return url.protocol === 'https:' || url.protocol === 'http:'
    } catch {
        return false
    }
}
