import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
    CompactEncrypt,
    exportJWK,
    generateKeyPair,
    jwtVerify,
    SignJWT,
    type CryptoKey as JoseKey,
    type JWK,
    type JWTPayload,
} from 'jose'

/**
 * An eSignet look-alike under the test's control (test support, not shipped): discovery, JWKS,
 * v2 token endpoint and userinfo on an ephemeral port. By default it behaves like eSignet <=1.7
 * (issuer quirk, byte-exact assertion `aud`, unique `jti`, single-use codes answered with
 * `invalid_transaction`, S256 PKCE); `behaviour` makes it lie in the ways the relay must catch.
 */

export interface Grant {
    sub: string
    nonce: string
    codeChallenge: string
    redirectUri: string
    claims?: Record<string, unknown>
}

export interface Behaviour {
    token?: 'http500' | 'html' | 'hang'
    /** Merged into the id_token claims (undefined values delete the claim). */
    idTokenClaims?: Record<string, unknown>
    /** Replaces id_token minting entirely. */
    idToken?: (claims: JWTPayload, issuer: HostileIssuer) => Promise<string>
    /** Merged into the userinfo claims. */
    userinfoClaims?: Record<string, unknown>
    /** Replaces the userinfo answer entirely. */
    userinfo?: (
        claims: JWTPayload,
        issuer: HostileIssuer
    ) => Promise<{ contentType: string; body: string }>
    /** Encrypt userinfo (JWE around the JWS) to this public key. */
    userinfoEncryptTo?: JoseKey
    /**
     * Sign userinfo with the identity system's own key (served at identitySystemJwksUrl, never
     * in the JWKS), as the MOSIP mock identity system does.
     */
    userinfoSignedByIdentitySystem?: boolean
    /** Merged into the discovery document (undefined values delete a field). */
    discovery?: Record<string, unknown>
    /** The token endpoint refuses every request with this answer (eSignet 1.7+ shapes). */
    tokenError?: { status: number; error: string; error_description: string }
}

export class HostileIssuer {
    readonly signingKid = 'esignet-signing-1'
    behaviour: Behaviour = {}
    readonly assertions: JWTPayload[] = []
    /** Every code, assertion, token and userinfo body that crossed the wire: none may be logged. */
    readonly secretsSeen: string[] = []
    tokenCalls = 0
    private readonly codes = new Map<string, Grant>()
    private readonly accessTokens = new Map<string, Grant>()
    private readonly seenJti = new Set<string>()
    private readonly hanging = new Set<ServerResponse>()

    private constructor(
        private readonly server: Server,
        readonly base: string,
        readonly signingKey: JoseKey,
        private readonly publicJwk: JWK,
        readonly clientId: string,
        private readonly clientPublicKey: JoseKey,
        readonly identitySystemKey: JoseKey,
        private readonly identitySystemJwk: JWK
    ) {}

    static async start(clientId: string, clientPublicKey: JoseKey): Promise<HostileIssuer> {
        const { privateKey, publicKey } = await generateKeyPair('RS256')
        const publicJwk = {
            ...(await exportJWK(publicKey)),
            kid: 'esignet-signing-1',
            alg: 'RS256',
            use: 'sig',
        }
        const identity = await generateKeyPair('RS256')
        const identitySystemJwk = {
            ...(await exportJWK(identity.publicKey)),
            kid: 'identity-system-1',
            alg: 'RS256',
            use: 'sig',
        }
        const server = createServer()
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
        const issuer = new HostileIssuer(
            server,
            base,
            privateKey,
            publicJwk,
            clientId,
            clientPublicKey,
            identity.privateKey,
            identitySystemJwk
        )
        server.on('request', (req, res) => {
            issuer.handle(req, res).catch((error: unknown) => {
                res.statusCode = 500
                res.end(String(error))
            })
        })
        return issuer
    }

    get discoveryUrl(): string {
        return `${this.base}/.well-known/openid-configuration`
    }

    /** The identity system's key set (not eSignet's JWKS). */
    get identitySystemJwksUrl(): string {
        return `${this.base}/identity-system/jwks.json`
    }

    get tokenEndpoint(): string {
        return `${this.base}/v1/esignet/oauth/v2/token`
    }

    /** eSignet <=1.7 puts this in `iss`, unlike discovery's `issuer`. */
    get idTokenIssuer(): string {
        return `${this.base}/v1/esignet`
    }

    /** Stands in for a completed /authorize: returns the code eSignet would redirect with. */
    issueCode(grant: Grant): string {
        const code = randomBytes(32).toString('base64url')
        this.codes.set(code, grant)
        this.secretsSeen.push(code)
        return code
    }

    async sign(
        payload: JWTPayload,
        options: { key?: JoseKey; kid?: string; alg?: string } = {}
    ): Promise<string> {
        return new SignJWT(payload)
            .setProtectedHeader({
                alg: options.alg ?? 'RS256',
                kid: options.kid ?? this.signingKid,
                typ: 'JWT',
            })
            .sign(options.key ?? this.signingKey)
    }

    async close(): Promise<void> {
        for (const res of this.hanging) {
            res.destroy()
        }
        this.server.closeAllConnections()
        await new Promise<void>((resolve) => this.server.close(() => resolve()))
    }

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const url = new URL(req.url ?? '/', this.base)
        if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
            const document: Record<string, unknown> = {
                issuer: this.base,
                authorization_endpoint: `${this.base}/authorize`,
                token_endpoint: this.tokenEndpoint,
                userinfo_endpoint: `${this.base}/v1/esignet/oidc/userinfo`,
                jwks_uri: `${this.base}/.well-known/jwks.json`,
                token_endpoint_auth_methods_supported: ['private_key_jwt'],
                id_token_signing_alg_values_supported: ['RS256'],
            }
            for (const [name, value] of Object.entries(this.behaviour.discovery ?? {})) {
                if (value === undefined) delete document[name]
                else document[name] = value
            }
            return json(res, 200, document)
        }
        if (req.method === 'GET' && url.pathname === '/.well-known/jwks.json') {
            return json(res, 200, { keys: [this.publicJwk] })
        }
        if (req.method === 'GET' && url.pathname === '/identity-system/jwks.json') {
            return json(res, 200, { keys: [this.identitySystemJwk] })
        }
        if (req.method === 'POST' && url.pathname === '/v1/esignet/oauth/v2/token') {
            return this.token(req, res)
        }
        if (req.method === 'GET' && url.pathname === '/v1/esignet/oidc/userinfo') {
            return this.userinfo(req, res)
        }
        res.statusCode = 404
        res.end()
    }

    private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
        this.tokenCalls++
        const form = new URLSearchParams(await readBody(req))
        this.secretsSeen.push(form.get('client_assertion') ?? '', form.get('code_verifier') ?? '')
        if (this.behaviour.token === 'hang') {
            this.hanging.add(res)
            return
        }
        if (this.behaviour.token === 'http500') {
            res.statusCode = 500
            res.end()
            return
        }
        if (this.behaviour.token === 'html') {
            res.writeHead(200, { 'content-type': 'text/html' })
            res.end('<html><body>Service temporarily unavailable</body></html>')
            return
        }
        const fail = (status: number, error: string) =>
            json(res, status, { error, error_description: error })
        if (this.behaviour.tokenError) {
            return json(res, this.behaviour.tokenError.status, {
                error: this.behaviour.tokenError.error,
                error_description: this.behaviour.tokenError.error_description,
            })
        }
        if (form.get('grant_type') !== 'authorization_code') {
            return fail(400, 'invalid_grant_type')
        }
        if (
            form.get('client_assertion_type') !==
            'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
        ) {
            return fail(400, 'invalid_assertion_type')
        }
        try {
            const { payload } = await jwtVerify(
                form.get('client_assertion') ?? '',
                this.clientPublicKey,
                {
                    issuer: this.clientId,
                    subject: this.clientId,
                    clockTolerance: 5,
                    requiredClaims: ['exp', 'iat', 'jti', 'aud'],
                }
            )
            // eSignet: aud byte-exact, jti unique.
            if (payload.aud !== this.tokenEndpoint || this.seenJti.has(payload.jti ?? '')) {
                return fail(400, 'invalid_assertion')
            }
            this.seenJti.add(payload.jti ?? '')
            this.assertions.push(payload)
        } catch {
            return fail(400, 'invalid_assertion')
        }
        const code = form.get('code') ?? ''
        const grant = this.codes.get(code)
        if (!grant) {
            return fail(400, 'invalid_transaction')
        }
        this.codes.delete(code)
        if (form.get('redirect_uri') !== grant.redirectUri) {
            return fail(400, 'invalid_redirect_uri')
        }
        const challenge = createHash('sha256')
            .update(form.get('code_verifier') ?? '')
            .digest('base64url')
        if (challenge !== grant.codeChallenge) {
            return fail(500, 'pkce_failed')
        }
        const now = Math.floor(Date.now() / 1000)
        const accessToken = randomUUID()
        const claims: JWTPayload = {
            iss: this.idTokenIssuer,
            sub: grant.sub,
            aud: this.clientId,
            iat: now,
            exp: now + 3600,
            auth_time: now,
            nonce: grant.nonce,
            acr: 'mosip:idp:acr:generated-code',
            // eSignet binds the access token (TokenServiceImpl.getIDToken): left half of SHA-256.
            at_hash: createHash('sha256')
                .update(accessToken)
                .digest()
                .subarray(0, 16)
                .toString('base64url'),
        }
        for (const [name, value] of Object.entries(this.behaviour.idTokenClaims ?? {})) {
            if (value === undefined) {
                delete claims[name]
            } else {
                claims[name] = value
            }
        }
        const idToken = this.behaviour.idToken
            ? await this.behaviour.idToken(claims, this)
            : await this.sign(claims)
        this.accessTokens.set(accessToken, grant)
        this.secretsSeen.push(idToken, accessToken)
        return json(res, 200, {
            id_token: idToken,
            access_token: accessToken,
            token_type: 'Bearer',
            expires_in: 3600,
        })
    }

    private async userinfo(req: IncomingMessage, res: ServerResponse): Promise<void> {
        // eSignet <=1.6 answers 401 unless Accept allows application/jwt.
        if (!/application\/jwt|\*\/\*/.test(req.headers.accept ?? '')) {
            res.writeHead(401, { 'www-authenticate': 'error="unknown_error"' })
            res.end()
            return
        }
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
        const grant = token === undefined ? undefined : this.accessTokens.get(token)
        if (!grant) {
            res.writeHead(401, { 'www-authenticate': 'error="invalid_token"' })
            res.end()
            return
        }
        const claims: JWTPayload = {
            sub: grant.sub,
            iss: this.idTokenIssuer,
            aud: this.clientId,
            ...(grant.claims ?? {
                name: 'Nimali Perera',
                birthdate: '1994/03/12',
                gender: 'Female',
            }),
            ...this.behaviour.userinfoClaims,
        }
        if (this.behaviour.userinfo) {
            const answer = await this.behaviour.userinfo(claims, this)
            res.writeHead(200, { 'content-type': answer.contentType })
            res.end(answer.body)
            return
        }
        let body = this.behaviour.userinfoSignedByIdentitySystem
            ? await this.sign(claims, { key: this.identitySystemKey, kid: 'identity-system-1' })
            : await this.sign(claims)
        if (this.behaviour.userinfoEncryptTo) {
            body = await new CompactEncrypt(new TextEncoder().encode(body))
                .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' })
                .encrypt(this.behaviour.userinfoEncryptTo)
        }
        this.secretsSeen.push(body)
        res.writeHead(200, { 'content-type': 'application/jwt' })
        res.end(body)
    }
}

function json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = []
    for await (const chunk of req) {
        chunks.push(chunk as Buffer)
    }
    return Buffer.concat(chunks).toString('utf8')
}

/** A PKCE pair as a browser would make it (S256). */
export function pkcePair(): { verifier: string; challenge: string } {
    const verifier = randomBytes(32).toString('base64url')
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}
