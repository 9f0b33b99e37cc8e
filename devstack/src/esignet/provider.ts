import {
    Provider,
    errors,
    interactionPolicy,
    type Account,
    type ClientMetadata,
    type Configuration,
    type KoaContextWithOIDC,
} from 'oidc-provider'
import type { JWK } from 'jose'
import { pairwiseSub } from '../common/pairwise'
import { ACR, ESIGNET_CLAIMS_SUPPORTED, PATHS, SCOPE_CLAIMS, type EsignetClient } from './config'
import { authorizeError, tokenError } from './esignet-errors'
import { fileAdapterFactory } from './file-adapter'
import type { FileStore } from './file-store'
import { identityClaims, renderClaim, type IdentityStore, type RawClaimValue } from './identities'
import { errorPage } from './views'

/** Claims the stand-in can supply; eSignet's list plus names a deployment may enable. */
export const CLAIMS_AVAILABLE = [
    ...ESIGNET_CLAIMS_SUPPORTED,
    'given_name',
    'family_name',
    'middle_name',
    'locale',
]

/** The stand-in's own records in the durable store (beside oidc-provider's models). */
export const RECORD = {
    /** per interaction uid: who is signing in and whether the OTP was verified */
    auth: (uid: string) => `EsignetAuth:${uid}`,
    /** per grant id: the languages (ISO 639-3) userinfo renders tagged claims in */
    grantLanguages: (grantId: string) => `EsignetGrant:${grantId}`,
    /** per client and person: the remembered consent (eSignet stores it per client and PSUT) */
    consent: (clientId: string, individualId: string) =>
        `EsignetConsent:${clientId}:${individualId}`,
}

const RAW_CLAIMS = Symbol('esignet raw claims')
const LANGUAGES = Symbol('esignet claim languages')

export interface ProviderSettings {
    baseUrl: string
    issuer: string
    clients: EsignetClient[]
    signingKey: JWK
    cookieKeys: string[]
    store: FileStore
    identities: IdentityStore
}

function clientMetadata(client: EsignetClient): ClientMetadata {
    const metadata: ClientMetadata = {
        client_id: client.clientId,
        client_name: client.name,
        redirect_uris: client.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'RS256',
        id_token_signed_response_alg: 'RS256',
        userinfo_signed_response_alg: 'RS256',
        subject_type: 'pairwise',
        jwks: { keys: [client.publicKey as never] },
        // read back by the interaction pages
        esignet_user_claims: client.userClaims,
        esignet_acr_values: client.acrValues,
    }
    if (client.userinfoResponseType === 'JWE') {
        // eSignet 1.6 + mock ID system: JWE(JWS) to the client's key
        metadata.userinfo_encrypted_response_alg = 'RSA-OAEP-256'
        metadata.userinfo_encrypted_response_enc = 'A256GCM'
    }
    return metadata
}

/**
 * eSignet (<= 1.8) authenticates on every authorization request: there is no single sign-on
 * session to reuse. So login is prompted unless this very interaction just completed it.
 */
function esignetPolicy(): interactionPolicy.DefaultPolicy {
    const policy = interactionPolicy.base()
    policy
        .get('login')
        ?.checks.add(
            new interactionPolicy.Check(
                'esignet_authenticates_every_request',
                'eSignet authenticates the individual on every authorization request',
                'login_required',
                (ctx) =>
                    ctx.oidc.result?.login
                        ? interactionPolicy.Check.NO_NEED_TO_PROMPT
                        : interactionPolicy.Check.REQUEST_PROMPT
            )
        )
    return policy
}

/** eSignet's claims-parameter schema: members null or {essential, purpose(3-300), value, values}. */
async function assertClaimsParameter(_ctx: KoaContextWithOIDC, request: object): Promise<void> {
    const claims = request as Record<string, unknown>
    const invalid = (why: string): never => {
        throw new errors.CustomOIDCProviderError('invalid_claim', why)
    }
    for (const container of ['userinfo', 'id_token']) {
        const members = claims[container]
        if (members === undefined) {
            continue
        }
        if (members === null || typeof members !== 'object' || Array.isArray(members)) {
            invalid(`claims.${container} must be an object`)
        }
        for (const [name, spec] of Object.entries(members as Record<string, unknown>)) {
            if (spec === null) {
                continue
            }
            if (typeof spec !== 'object' || Array.isArray(spec)) {
                invalid(`claims.${container}.${name} must be null or an object`)
            }
            const { essential, purpose, values } = spec as Record<string, unknown>
            if (essential !== undefined && typeof essential !== 'boolean') {
                invalid(`claims.${container}.${name}.essential must be a boolean`)
            }
            if (
                purpose !== undefined &&
                (typeof purpose !== 'string' || purpose.length < 3 || purpose.length > 300)
            ) {
                invalid(`claims.${container}.${name}.purpose must be 3-300 characters`)
            }
            if (values !== undefined && !Array.isArray(values)) {
                invalid(`claims.${container}.${name}.values must be an array`)
            }
        }
    }
}

/**
 * Renders the mock identity system's raw values after oidc-provider has filtered the claims to
 * what was granted: `name` becomes `name#eng`/`name#sin`/... per the grant's claims_locales.
 * oidc-provider's claim filter only knows plain claim names, hence the post-filter step.
 */
function installLocalizedClaims(provider: Provider): void {
    const BaseClaims = provider.Claims as unknown as new (...args: unknown[]) => {
        available: Record<string | symbol, unknown>
        result(): Promise<Record<string, unknown>>
    }
    class EsignetClaims extends BaseClaims {
        override async result(): Promise<Record<string, unknown>> {
            const filtered = await super.result()
            const raw = this.available[RAW_CLAIMS] as Record<string, RawClaimValue> | undefined
            const languages = this.available[LANGUAGES] as string[] | undefined
            if (!raw || !languages) {
                return filtered
            }
            const out: Record<string, unknown> = {}
            for (const [name, value] of Object.entries(filtered)) {
                const rawValue = raw[name]
                Object.assign(
                    out,
                    rawValue === undefined
                        ? { [name]: value }
                        : renderClaim(name, rawValue, languages)
                )
            }
            return out
        }
    }
    // IdToken (which also builds JWT userinfo) reads `provider.Claims` at call time.
    Object.defineProperty(provider, 'Claims', { value: EsignetClaims, configurable: true })
}

/** Re-creates plain objects and arrays in this realm; other values are kept as they are. */
function inThisRealm(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(inThisRealm)
    }
    if (
        value !== null &&
        typeof value === 'object' &&
        Object.getPrototypeOf(value)?.constructor?.name === 'Object'
    ) {
        return Object.fromEntries(
            Object.entries(value).map(([key, item]) => [key, inThisRealm(item)])
        )
    }
    return value
}

/**
 * Jest runs modules in a vm context but gives them Node's own structuredClone, whose results
 * belong to the outer realm; oidc-provider clones client metadata with it and then rejects the
 * keys (`constructor === Object`). Only in such a sandbox, rebuild plain data in this realm, so
 * every team's tests can start the stand-in in-process. oidc-provider clones only JSON data.
 */
function ensureSameRealmStructuredClone(): void {
    if (structuredClone({}).constructor === Object) {
        return
    }
    const native = globalThis.structuredClone
    globalThis.structuredClone = ((value: unknown, options?: StructuredSerializeOptions) =>
        inThisRealm(native(value, options))) as typeof structuredClone
}

export function createProvider(settings: ProviderSettings): Provider {
    ensureSameRealmStructuredClone()
    const { store, identities, baseUrl } = settings
    const tokenEndpoint = `${baseUrl}${PATHS.token}`

    const configuration: Configuration = {
        adapter: fileAdapterFactory(store),
        clients: settings.clients.map(clientMetadata),
        extraClientMetadata: { properties: ['esignet_user_claims', 'esignet_acr_values'] },
        clientAuthMethods: ['private_key_jwt'],
        clientDefaults: {
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'private_key_jwt',
            id_token_signed_response_alg: 'RS256',
        },
        enabledJWA: {
            clientAuthSigningAlgValues: ['RS256'],
            idTokenSigningAlgValues: ['RS256'],
            userinfoSigningAlgValues: ['RS256'],
            userinfoEncryptionAlgValues: ['RSA-OAEP-256'],
            userinfoEncryptionEncValues: ['A256GCM'],
        },
        jwks: { keys: [settings.signingKey as never] },
        cookies: {
            keys: settings.cookieKeys,
            names: {
                session: 'esignet_session',
                interaction: 'esignet_interaction',
                resume: 'esignet_resume',
            },
            long: { signed: true, sameSite: 'lax' },
            short: { signed: true, sameSite: 'lax' },
        },
        // scope -> claims it implies; other claims as `name: null` (`email` is both a scope and a claim)
        claims: {
            ...Object.fromEntries(CLAIMS_AVAILABLE.map((claim) => [claim, null])),
            openid: ['sub'],
            ...SCOPE_CLAIMS,
        },
        scopes: ['openid', 'profile', 'email', 'phone'],
        responseTypes: ['code'],
        acrValues: Object.values(ACR),
        subjectTypes: ['pairwise'],
        pairwiseIdentifier: (_ctx, accountId, client) => pairwiseSub(accountId, client.clientId),
        pkce: { required: () => true },
        clockTolerance: 5,
        allowOmittingSingleRegisteredRedirectUri: false,
        conformIdTokenClaims: true,
        routes: {
            authorization: PATHS.authorize,
            token: PATHS.token,
            userinfo: PATHS.userinfo,
            jwks: PATHS.jwksEsignet,
        },
        ttl: {
            AccessToken: 3600,
            AuthorizationCode: 600,
            IdToken: 3600,
            Interaction: 600,
            Session: 3600,
            Grant: 86400,
        },
        features: {
            devInteractions: { enabled: false },
            claimsParameter: { enabled: true, assertClaimsParameter },
            jwtUserinfo: { enabled: true },
            encryption: { enabled: true },
            userinfo: { enabled: true },
            rpInitiatedLogout: { enabled: false },
            introspection: { enabled: false },
            revocation: { enabled: false },
        },
        // eSignet sends no CORS headers on token or userinfo, whatever the client's redirect origins.
        clientBasedCORS: () => false,
        interactions: {
            policy: esignetPolicy(),
            url: (_ctx, interaction) => `${PATHS.interaction}/${interaction.uid}`,
        },
        // Every authorization gets the grant its own interaction built (consent is remembered by
        // the interaction pages, per client and person, the way eSignet does it).
        loadExistingGrant: async (ctx) => {
            const grantId = ctx.oidc.result?.consent?.grantId
            return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined
        },
        // eSignet's rules for the client assertion (TokenServiceImpl.verifyClientAssertionToken).
        assertJwtClientAuthClaimsAndHeader: async (_ctx, claims, header, client) => {
            if (header.alg !== 'RS256') {
                throw new errors.InvalidClientAuth('client assertion must be signed with RS256')
            }
            const aud =
                Array.isArray(claims.aud) && claims.aud.length === 1 ? claims.aud[0] : claims.aud
            if (aud !== tokenEndpoint) {
                throw new errors.InvalidClientAuth(`aud must be exactly ${tokenEndpoint}`)
            }
            if (claims.sub !== client.clientId || claims.iss !== client.clientId) {
                throw new errors.InvalidClientAuth('iss and sub must both be the client_id')
            }
            if (typeof claims.iat !== 'number') {
                throw new errors.InvalidClientAuth('iat is required')
            }
        },
        findAccount: async (ctx, sub): Promise<Account | undefined> => {
            const identity = identities.find(sub)
            if (!identity) {
                return undefined
            }
            return {
                accountId: sub,
                claims: async (use) => {
                    // eSignet's id_token never carries user claims.
                    if (use !== 'userinfo') {
                        return { sub }
                    }
                    const raw = identityClaims(identity)
                    const grantId = ctx.oidc.accessToken?.grantId
                    const stored = grantId ? store.get(RECORD.grantLanguages(grantId)) : undefined
                    const languages = Array.isArray(stored?.languages)
                        ? (stored.languages as string[])
                        : ['eng']
                    return { sub, ...raw, [RAW_CLAIMS]: raw, [LANGUAGES]: languages } as never
                },
            }
        },
        renderError: async (ctx, out) => {
            ctx.type = 'html'
            ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
            ctx.body = errorPage(authorizeError(out), out.error_description)
        },
    }

    const provider = new Provider(settings.issuer, configuration)
    installLocalizedClaims(provider)
    provider.on('grant.error', (ctx: KoaContextWithOIDC, err: unknown) => {
        ctx.state.providerError = err
    })
    provider.on('server_error', (ctx: KoaContextWithOIDC, err: unknown) => {
        ctx.state.providerError = err
        console.error('[esignet] server error', err)
    })
    provider.use(esignetWireFormat())
    return provider
}

function stripCors(ctx: KoaContextWithOIDC): void {
    for (const header of Object.keys(ctx.response.headers)) {
        if (header.toLowerCase().startsWith('access-control-')) {
            ctx.remove(header)
        }
    }
    ctx.remove('Vary')
}

/**
 * Reshapes oidc-provider's responses into eSignet 1.6's wire format: token errors with eSignet's
 * codes and statuses, no `scope` in the token response, userinfo errors as an empty 401, no CORS
 * on token or userinfo, authorize errors on a page, and the 1.6 success redirect.
 */
function esignetWireFormat() {
    return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
        await next()
        if (ctx.path === PATHS.token) {
            stripCors(ctx)
            if (ctx.status >= 400) {
                const body = (ctx.oidc?.body ?? {}) as Record<string, unknown>
                const mapped = tokenError(body, ctx.state.providerError as never)
                ctx.body = { error: mapped.error, error_description: mapped.error }
                ctx.status = mapped.status
                ctx.remove('WWW-Authenticate')
            } else if (ctx.body && typeof ctx.body === 'object' && 'access_token' in ctx.body) {
                const { scope: _scope, ...rest } = ctx.body as Record<string, unknown>
                ctx.body = rest
            }
            return
        }
        if (ctx.path === PATHS.userinfo) {
            stripCors(ctx)
            if (ctx.status >= 400) {
                ctx.body = ''
                ctx.status = 401
                ctx.remove('Content-Type')
                ctx.set('WWW-Authenticate', 'error="invalid_token"')
            }
            return
        }
        if (ctx.path === PATHS.authorize || ctx.path.startsWith(`${PATHS.authorize}/`)) {
            rewriteAuthorizeRedirect(ctx)
        }
    }
}

function rewriteAuthorizeRedirect(ctx: KoaContextWithOIDC): void {
    const location = ctx.response.get('Location')
    if (ctx.status !== 303 || !location || location.startsWith('/')) {
        return
    }
    const target = new URL(location)
    const params = target.searchParams
    const base = location.split('?')[0] ?? location
    const error = params.get('error')
    const state = params.get('state')
    if (error && ctx.path === PATHS.authorize) {
        // Errors before a transaction exists stay on eSignet's own error page.
        ctx.status = 400
        ctx.type = 'html'
        ctx.remove('Location')
        ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
        ctx.body = errorPage(
            authorizeError({
                error,
                error_description: params.get('error_description') ?? undefined,
            }),
            params.get('error_description') ?? undefined
        )
        return
    }
    if (error) {
        const query = new URLSearchParams()
        query.set('error_description', params.get('error_description') ?? error)
        if (state !== null) {
            query.set('state', state)
        }
        query.set('error', error)
        ctx.redirect(`${base}?${query.toString()}`)
        ctx.status = 303
        return
    }
    const code = params.get('code')
    if (code) {
        // eSignet <= 1.6 concatenates: redirect_uri + "?state=" + state + "&code=" + code,
        // state not URL-encoded and no `iss`.
        ctx.redirect(`${base}?state=${state ?? ''}&code=${code}`)
        ctx.status = 303
    }
}
