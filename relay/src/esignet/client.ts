import { createHash, randomUUID } from 'node:crypto'
import { jwtVerify, SignJWT, type JWTPayload } from 'jose'
import { isLoopbackHost, type EsignetConfig, type RelayMode } from '../config'
import { RelayError, RelayErrorCode, esignetTokenError } from '../errors'
import { callUpstream, ESIGNET_CALL, type FetchLike } from '../http'
import { joseFailure } from './jose-failure'
import { remoteKeySet, UserinfoVerifier, type VerifiedUserinfo } from './userinfo'

/** What the browser posts after eSignet redirected back with a code. */
export interface CodeExchangeRequest {
    code: string
    codeVerifier: string
    redirectUri: string
    nonce: string
}

/** Which door the code came through: each has its own redirect URIs. */
export type LoginSide = 'staff' | 'patient'

/** The verified outcome of a login: only this leaves the relay, never a token. */
export interface VerifiedLogin {
    sub: string
    claims: Record<string, unknown>
    acr: string | null
    authTime: number | null
}

export interface ProviderMetadata {
    issuer: string
    authorization_endpoint: string
    token_endpoint: string
    userinfo_endpoint: string
    jwks_uri: string
    /** eSignet <= 1.6: ["RS256"]; 1.7+: RS256, PS256, ES256 (absent: RS256 only). */
    token_endpoint_auth_signing_alg_values_supported?: unknown
    /** eSignet 1.7+ (true under 1.8's fapi2.0 server profile). */
    require_pushed_authorization_requests?: unknown
    /** Set when the server binds tokens to DPoP proofs (1.8 fapi2.0). */
    dpop_signing_alg_values_supported?: unknown
}

/** How the relay signs its client assertion, settled against discovery. */
interface AssertionSigner {
    alg: string
    key: CryptoKey
}

const DISCOVERY_TTL_MS = 60 * 60 * 1000
const MAX_TOKEN_RESPONSE_BYTES = 256 * 1024
// Userinfo may carry a photo as a data URI.
const MAX_USERINFO_BYTES = 4 * 1024 * 1024
// An id_token is minted by the token call we just made: an older one is a replay. The clock
// tolerance (eSignet runs on its own host) widens iat/exp/nbf by at most a minute; it never
// lengthens this age.
const ID_TOKEN_MAX_AGE_SECONDS = 10 * 60
const ASSERTION_LIFETIME_SECONDS = 60
const REGISTERED_JWT_CLAIMS = new Set(['sub', 'iss', 'aud', 'iat', 'exp', 'nbf', 'jti'])

/**
 * The confidential half of eSignet's authorization-code flow: private_key_jwt client assertion,
 * code + PKCE verifier exchange at the v2 token endpoint, id_token and userinfo verification.
 */
export class EsignetClient {
    private metadataCache: { value: Promise<ProviderMetadata>; expires: number } | undefined
    private jwks: { uri: string; set: ReturnType<typeof remoteKeySet> } | undefined
    /** The one userinfo verifier (eSignet's keys plus the identity system's). */
    readonly userinfo: UserinfoVerifier

    constructor(
        private readonly config: EsignetConfig,
        private readonly fetchImpl: FetchLike,
        private readonly mode: RelayMode = 'production'
    ) {
        this.userinfo = new UserinfoVerifier(config, fetchImpl)
    }

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

    /**
     * Start-up check against eSignet's discovery: the assertion algorithm this key can use, and
     * server-wide PAR/DPoP the relay does not do. Throws a RelayError (esignet_misconfigured)
     * with what to change; an unreachable eSignet is left for the first login to report.
     */
    async checkCompatibility(): Promise<{ assertionAlg: string }> {
        const metadata = await this.metadata()
        return { assertionAlg: this.assertionSigner(metadata).alg }
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
        // Tokens and personal data cross these endpoints: https, plain http only on loopback
        // outside production.
        for (const field of fields) {
            const url = new URL(doc[field] as string)
            const loopbackAllowed = this.mode === 'development' && isLoopbackHost(url.hostname)
            if (url.protocol !== 'https:' && !loopbackAllowed) {
                throw new RelayError(
                    502,
                    RelayErrorCode.esignetBadResponse,
                    `eSignet discovery names a plain-http ${field}; the relay talks to eSignet over https only`
                )
            }
        }
        return doc as unknown as ProviderMetadata
    }

    /**
     * The assertion algorithm: the configured one if eSignet supports it, else the first in
     * discovery's `token_endpoint_auth_signing_alg_values_supported` the key can sign with
     * (eSignet <= 1.6 lists RS256 only and refuses anything else with `invalid_assertion`;
     * 1.7+ RS256, PS256, ES256: TokenServiceImpl.verifyClientAssertionToken). Without the list,
     * RS256 (what every eSignet accepts).
     */
    private assertionSigner(metadata: ProviderMetadata): AssertionSigner {
        const advertised = metadata.token_endpoint_auth_signing_alg_values_supported
        const supported =
            Array.isArray(advertised) && advertised.every((alg) => typeof alg === 'string')
                ? (advertised as string[])
                : ['RS256']
        if (metadata.require_pushed_authorization_requests === true) {
            throw misconfigured(
                'eSignet requires pushed authorization requests (PAR, its fapi2.0 server profile); the relay does not send them. Use a server profile without PAR and DPoP, or see relay/README.md (eSignet versions).'
            )
        }
        const { keys, configuredAlg } = this.config.clientKey
        const candidates = configuredAlg ? [configuredAlg] : supported
        for (const alg of candidates) {
            const key = keys[alg]
            if (key && supported.includes(alg)) {
                return { alg, key }
            }
        }
        const have = Object.keys(keys).join('/')
        throw misconfigured(
            configuredAlg
                ? `ESIGNET_CLIENT_ASSERTION_ALG=${configuredAlg} is not accepted by this eSignet (it accepts ${supported.join(', ')}): eSignet <= 1.6 takes RS256 only`
                : `the client key signs ${have}, but this eSignet accepts client assertions signed with ${supported.join(', ')} only`
        )
    }

    private keySet(metadata: ProviderMetadata) {
        if (!this.jwks || this.jwks.uri !== metadata.jwks_uri) {
            this.jwks = {
                uri: metadata.jwks_uri,
                set: remoteKeySet(metadata.jwks_uri, this.config.timeoutMs, this.fetchImpl),
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

    /**
     * A login's code redeemed and its tokens verified; refused before any call when the redirect
     * URI is not one of this side's (a code for a staff app's callback never opens a patient
     * session, and back).
     */
    async exchange(request: CodeExchangeRequest, side: LoginSide): Promise<VerifiedLogin> {
        if (!this.config.redirectUris[side].includes(request.redirectUri)) {
            throw new RelayError(
                400,
                RelayErrorCode.redirectUriNotAllowed,
                side === 'patient'
                    ? "redirectUri is not one of the patient portal's redirect URIs"
                    : "redirectUri is not one of the staff apps' redirect URIs"
            )
        }
        const metadata = await this.metadata()
        const signer = this.assertionSigner(metadata)
        const tokens = await this.redeemCode(metadata, signer, request)
        const idToken = await this.verifyIdToken(metadata, tokens, request.nonce)
        const userinfo = await this.fetchUserinfo(tokens.accessToken, metadata)
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

    private async clientAssertion(tokenEndpoint: string, signer: AssertionSigner): Promise<string> {
        const { clientId, clientKey } = this.config
        const header =
            clientKey.kid === undefined
                ? { alg: signer.alg, typ: 'JWT' }
                : { alg: signer.alg, kid: clientKey.kid, typ: 'JWT' }
        // eSignet compares `aud` byte for byte with its token endpoint and (1.7+) refuses a reused jti.
        return new SignJWT({})
            .setProtectedHeader(header)
            .setIssuer(clientId)
            .setSubject(clientId)
            .setAudience(tokenEndpoint)
            .setJti(randomUUID())
            .setIssuedAt()
            .setExpirationTime(`${ASSERTION_LIFETIME_SECONDS}s`)
            .sign(signer.key)
    }

    private async redeemCode(
        metadata: ProviderMetadata,
        signer: AssertionSigner,
        request: CodeExchangeRequest
    ): Promise<{ idToken: string; accessToken: string }> {
        const form = new URLSearchParams({
            grant_type: 'authorization_code',
            code: request.code,
            redirect_uri: request.redirectUri,
            client_id: this.config.clientId,
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: await this.clientAssertion(metadata.token_endpoint, signer),
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
                throw esignetTokenError(body.error, body.error_description)
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
        if (typeof body.token_type === 'string' && body.token_type.toLowerCase() === 'dpop') {
            throw misconfigured(
                'eSignet issued a DPoP-bound access token: the client is registered for DPoP (eSignet 1.8 fapi2.0), which the relay does not do. Register it without DPoP; see relay/README.md (eSignet versions).'
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
        tokens: { idToken: string; accessToken: string },
        nonce: string
    ): Promise<JWTPayload & { sub: string }> {
        let payload: JWTPayload
        let alg: string
        try {
            const result = await jwtVerify(tokens.idToken, this.keySet(metadata), {
                issuer: this.acceptedIssuers(metadata),
                audience: this.config.clientId,
                algorithms: this.config.signingAlgs,
                clockTolerance: this.config.clockToleranceSeconds,
                // Also refuses an iat further in the future than the tolerance.
                maxTokenAge: ID_TOKEN_MAX_AGE_SECONDS,
                requiredClaims: ['sub', 'exp', 'iat'],
            })
            payload = result.payload
            alg = result.protectedHeader.alg
        } catch (error) {
            throw joseFailure(RelayErrorCode.invalidIdToken, 'id_token', error)
        }
        const invalid = (reason: string) =>
            new RelayError(502, RelayErrorCode.invalidIdToken, `id_token rejected: ${reason}`)
        // Skew widens "not in the future"; the age is counted from eSignet's own iat, so an old
        // token stays old however the clocks differ.
        const age = Math.floor(Date.now() / 1000) - (payload.iat as number)
        if (age > ID_TOKEN_MAX_AGE_SECONDS) {
            throw invalid('issued too long ago')
        }
        // The authorized party, when named, must be us (OIDC Core 3.1.3.7); with several
        // audiences it must be named.
        if (payload.azp !== undefined && payload.azp !== this.config.clientId) {
            throw invalid('azp is another client')
        }
        if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp === undefined) {
            throw invalid('several audiences and no azp')
        }
        if (typeof payload.sub !== 'string' || payload.sub === '') {
            throw invalid('no subject')
        }
        // eSignet always binds the access token (TokenServiceImpl.getIDToken puts at_hash): a
        // token pair spliced from two logins is refused (OIDC Core 3.1.3.8 / 3.2.2.9).
        if (typeof payload.at_hash !== 'string') {
            throw invalid('no at_hash')
        }
        if (payload.at_hash !== accessTokenHash(tokens.accessToken, alg)) {
            throw invalid('at_hash does not match the access token')
        }
        // The authentication must be one this relay asked for: a weaker one (e.g. a static PIN
        // when OTP is configured) is refused. eSignet space-joins the satisfied ACRs.
        const acrs = typeof payload.acr === 'string' ? payload.acr.split(' ') : []
        if (!acrs.some((acr) => this.config.acrValues.includes(acr))) {
            throw new RelayError(
                401,
                RelayErrorCode.insufficientAcr,
                'The sign-in did not use an accepted authentication method; sign in again'
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

    /**
     * Userinfo for an access token, fetched and verified (signature against eSignet's and the
     * identity system's keys, decrypted when configured, iss/aud/sub checked). `expect` overrides
     * the client it must be for (e.g. DHIS2's own client, for a userinfo adapter).
     */
    async fetchUserinfo(
        accessToken: string,
        metadata?: ProviderMetadata,
        expect: {
            clientId?: string
            decryptionKey?: EsignetConfig['userinfoDecryptionKey'] | null
        } = {}
    ): Promise<VerifiedUserinfo> {
        const discovered = metadata ?? (await this.metadata())
        const response = await callUpstream(
            this.fetchImpl,
            discovered.userinfo_endpoint,
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
        return this.userinfo.verify(response.body, this.keySet(discovered), {
            clientId: expect.clientId ?? this.config.clientId,
            issuers: [discovered.issuer, `${discovered.issuer.replace(/\/+$/, '')}/v1/esignet`],
            decryptionKey:
                expect.decryptionKey === undefined
                    ? (this.config.userinfoDecryptionKey ?? null)
                    : expect.decryptionKey,
        })
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

function misconfigured(message: string): RelayError {
    return new RelayError(502, RelayErrorCode.esignetMisconfigured, message)
}

/** OIDC at_hash: base64url of the left half of the hash the id_token's alg uses. */
function accessTokenHash(accessToken: string, alg: string): string {
    const bits = alg.endsWith('512') ? 512 : alg.endsWith('384') ? 384 : 256
    const digest = createHash(`sha${bits}`).update(accessToken, 'ascii').digest()
    return digest.subarray(0, digest.length / 2).toString('base64url')
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
