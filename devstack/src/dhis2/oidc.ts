import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { createRemoteJWKSet, importX509, jwtVerify } from 'jose'
import * as client from 'openid-client'
import { createSession, loadUser } from './auth'
import type { Dhis2Context } from './context'

/**
 * Staff sign-in with national ID, as DHIS2 core does it with `oidc.provider.esignet.*` in
 * dhis.conf: authorization code + PKCE, private_key_jwt client authentication, id_token and
 * the signed userinfo verified against the provider's JWKS, user found by openId == the
 * mapping claim. No account is ever created.
 */
export interface OidcOptions {
    providerId: string
    clientId: string
    /** The client's private JWK (RS256, with kid). */
    privateJwk: () => Record<string, unknown>
    authorizationEndpoint: string
    tokenEndpoint: string
    userinfoEndpoint: string
    jwksUri: string
    /**
     * Expected `iss` of id_token and userinfo. eSignet <= 1.7 signs `<base>/v1/esignet` while its
     * discovery says `<base>`; like dhis.conf's explicit endpoints, we configure it directly.
     */
    issuer: string
    scopes: string
    mappingClaim: string
    /** Optional OIDC `claims` request (JSON), as DHIS2 passes via extra_request_parameters. */
    claims?: string
    /**
     * A PEM certificate of the identity system that signs userinfo. The MOSIP mock identity
     * system signs with a key eSignet's JWKS does not list (mosip/esignet#2417), so a JWKS-only
     * check refuses every sign-in. Interim: stock DHIS2 cannot read JWT userinfo at all (issue 14,
     * the relay's userinfo adapter), this stand-in verifies it like the relay does.
     */
    userinfoCertificateFile?: string
    redirectUri: () => string
}

const PENDING_COOKIE = 'OIDC_AUTHZ'
const PENDING_TTL_MS = 10 * 60 * 1000

interface Pending {
    codeVerifier: string
    nonce: string
    expires: number
}

export function esignetOidcOptions(
    esignetUrl: string,
    dhis2Url: () => string,
    privateKeyFile: string,
    issuer = `${esignetUrl}/v1/esignet`,
    userinfoCertificateFile?: string
): OidcOptions {
    return {
        ...(userinfoCertificateFile ? { userinfoCertificateFile } : {}),
        providerId: 'esignet',
        clientId: 'dhis2-staff',
        privateJwk: () =>
            JSON.parse(readFileSync(privateKeyFile, 'utf8')) as Record<string, unknown>,
        authorizationEndpoint: `${esignetUrl}/authorize`,
        tokenEndpoint: `${esignetUrl}/v1/esignet/oauth/v2/token`,
        userinfoEndpoint: `${esignetUrl}/v1/esignet/oidc/userinfo`,
        jwksUri: `${esignetUrl}/.well-known/jwks.json`,
        issuer,
        scopes: 'openid profile',
        mappingClaim: 'sub',
        claims: JSON.stringify({ userinfo: { name: { essential: true } }, id_token: {} }),
        redirectUri: () => `${dhis2Url()}/oauth2/code/esignet`,
    }
}

export function registerOidc(
    app: FastifyInstance,
    { db }: Dhis2Context,
    options: OidcOptions
): void {
    const pending = new Map<string, Pending>()
    let configuration: Promise<client.Configuration> | undefined

    const configure = async (): Promise<client.Configuration> => {
        const jwk = options.privateJwk()
        const key = await crypto.subtle.importKey(
            'jwk',
            jwk as JsonWebKey,
            { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
            false,
            ['sign']
        )
        const server: client.ServerMetadata = {
            issuer: options.issuer,
            authorization_endpoint: options.authorizationEndpoint,
            token_endpoint: options.tokenEndpoint,
            userinfo_endpoint: options.userinfoEndpoint,
            jwks_uri: options.jwksUri,
        }
        const auth = client.PrivateKeyJwt(
            { key, kid: typeof jwk.kid === 'string' ? jwk.kid : undefined },
            {
                // eSignet wants the assertion `aud` to be exactly the token endpoint URL.
                [client.modifyAssertion]: (_header, payload) => {
                    payload.aud = options.tokenEndpoint
                },
            }
        )
        const config = new client.Configuration(
            server,
            options.clientId,
            { id_token_signed_response_alg: 'RS256', userinfo_signed_response_alg: 'RS256' },
            auth
        )
        // Verify id_token and userinfo JWS signatures against the JWKS, as Spring Security does.
        client.enableNonRepudiationChecks(config)
        if (options.tokenEndpoint.startsWith('http:')) client.allowInsecureRequests(config)
        return config
    }
    const getConfig = () =>
        (configuration ??= configure().catch((error) => {
            configuration = undefined
            throw error
        }))

    const sweep = () => {
        const now = Date.now()
        for (const [state, p] of pending) if (p.expires < now) pending.delete(state)
    }

    app.get(`/oauth2/authorization/${options.providerId}`, async (_request, reply) => {
        let config: client.Configuration
        try {
            config = await getConfig()
        } catch (error) {
            return reply
                .code(503)
                .header('content-type', 'text/plain')
                .send(`OIDC provider not configured: ${(error as Error).message}`)
        }
        sweep()
        const state = randomBytes(32).toString('base64url')
        const nonce = randomBytes(32).toString('base64url')
        const codeVerifier = client.randomPKCECodeVerifier()
        pending.set(state, { codeVerifier, nonce, expires: Date.now() + PENDING_TTL_MS })
        const parameters: Record<string, string> = {
            redirect_uri: options.redirectUri(),
            scope: options.scopes,
            response_type: 'code',
            state,
            nonce,
            code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
            code_challenge_method: 'S256',
        }
        if (options.claims) parameters.claims = options.claims
        // Binds the flow to this browser (Spring keeps it in the HTTP session).
        reply.setCookie(PENDING_COOKIE, state, {
            path: '/oauth2/',
            httpOnly: true,
            sameSite: 'lax',
            maxAge: PENDING_TTL_MS / 1000,
        })
        return reply.redirect(client.buildAuthorizationUrl(config, parameters).href)
    })

    app.get(`/oauth2/code/${options.providerId}`, async (request, reply) => {
        const failure = () =>
            reply
                .clearCookie(PENDING_COOKIE, { path: '/oauth2/' })
                .redirect('/dhis-web-login/?oidcFailure=true')
        const query = request.query as Record<string, string | undefined>
        const state = query.state
        const flow = state ? pending.get(state) : undefined
        if (
            !state ||
            !flow ||
            flow.expires < Date.now() ||
            request.cookies[PENDING_COOKIE] !== state ||
            query.error
        ) {
            return failure()
        }
        pending.delete(state)
        try {
            const config = await getConfig()
            const callback = new URL(options.redirectUri())
            // Spring ignores an RFC 9207 `iss` parameter (eSignet 1.7 sends its discovery issuer).
            for (const [k, v] of Object.entries(query))
                if (k !== 'iss' && v !== undefined) callback.searchParams.set(k, v)
            const tokens = await client.authorizationCodeGrant(
                config,
                callback,
                {
                    pkceCodeVerifier: flow.codeVerifier,
                    expectedState: state,
                    expectedNonce: flow.nonce,
                    idTokenExpected: true,
                },
                { redirect_uri: options.redirectUri() }
            )
            const idClaims = tokens.claims()
            if (!idClaims) return failure()
            const userinfo = options.userinfoCertificateFile
                ? await userinfoWithIdentitySystemKey(
                      config,
                      tokens.access_token,
                      options,
                      options.userinfoCertificateFile
                  )
                : await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)
            if (userinfo.sub !== idClaims.sub) return failure()
            const mapped = idClaims[options.mappingClaim] ?? userinfo[options.mappingClaim]
            if (typeof mapped !== 'string' || mapped === '') return failure()
            const user = await loadUser(db, 'open_id', mapped)
            if (!user || user.disabled || !user.externalAuth) return failure()
            await createSession(db, reply, user.id)
            reply.clearCookie(PENDING_COOKIE, { path: '/oauth2/' })
            return reply.redirect('/')
        } catch (error) {
            request.log.warn({ err: error }, 'OIDC sign-in failed')
            return failure()
        }
    })
}

/** Userinfo verified against eSignet's JWKS, then the identity system's pinned certificate. */
async function userinfoWithIdentitySystemKey(
    config: client.Configuration,
    accessToken: string,
    options: OidcOptions,
    certificateFile: string
): Promise<Record<string, unknown>> {
    const response = await client.fetchProtectedResource(
        config,
        accessToken,
        new URL(options.userinfoEndpoint),
        'GET',
        undefined,
        new Headers({ accept: 'application/jwt' })
    )
    if (response.status !== 200) throw new Error(`userinfo answered ${response.status}`)
    const jwt = await response.text()
    try {
        return (await jwtVerify(jwt, createRemoteJWKSet(new URL(options.jwksUri)))).payload
    } catch {
        const key = await importX509(readFileSync(certificateFile, 'utf8'), 'RS256')
        return (await jwtVerify(jwt, key)).payload
    }
}
