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
import {
    assertClaimsParameter,
    CLAIMS_AVAILABLE,
    installLocalizedClaims,
    userinfoClaims,
} from './claims'
import { ACR, PATHS, SCOPE_CLAIMS, type EsignetClient } from './config'
import { authorizeError } from './esignet-errors'
import { fileAdapterFactory } from './file-adapter'
import type { FileStore } from './file-store'
import { identityClaims, type IdentityStore } from './identities'
import { isOauthHardened, type EsignetProfile } from './profile'
import { ensureSameRealmStructuredClone } from './realm'
import { RECORD } from './records'
import type { UserinfoRenderer } from './userinfo'
import { errorPage } from './views'
import { esignetWireFormat } from './wire-format'

export interface ProviderSettings {
    baseUrl: string
    issuer: string
    clients: EsignetClient[]
    signingKey: JWK
    cookieKeys: string[]
    store: FileStore
    identities: IdentityStore
    /** The eSignet version reproduced: branch on this where versions differ. */
    profile: EsignetProfile
    /** Signs (and encrypts) userinfo as the identity system does. */
    userinfo: UserinfoRenderer
}

/** Client assertion algorithms: RS256 up to 1.6, RS256/PS256/ES256 from 1.7 (TokenServiceImpl). */
function assertionAlgs(profile: EsignetProfile): ('RS256' | 'PS256' | 'ES256')[] {
    return isOauthHardened(profile) ? ['RS256', 'PS256', 'ES256'] : ['RS256']
}

function clientMetadata(client: EsignetClient, profile: EsignetProfile): ClientMetadata {
    const metadata: ClientMetadata = {
        client_id: client.clientId,
        client_name: client.name,
        redirect_uris: client.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'private_key_jwt',
        id_token_signed_response_alg: 'RS256',
        userinfo_signed_response_alg: 'RS256',
        subject_type: 'pairwise',
        jwks: { keys: [client.publicKey as never] },
        // read back by the interaction pages
        esignet_user_claims: client.userClaims,
        esignet_acr_values: client.acrValues,
    }
    if (!isOauthHardened(profile)) {
        metadata.token_endpoint_auth_signing_alg = 'RS256'
    }
    if (client.requirePar && isOauthHardened(profile)) {
        metadata.require_pushed_authorization_requests = true
    }
    // JWE userinfo (userinfoResponseType 'JWE') is made by the wire format, around the identity
    // system's JWS (see userinfo.ts).
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

export function createProvider(settings: ProviderSettings): Provider {
    ensureSameRealmStructuredClone()
    const { store, identities, baseUrl } = settings
    const tokenEndpoint = `${baseUrl}${PATHS.token}`

    const configuration: Configuration = {
        adapter: fileAdapterFactory(store),
        clients: settings.clients.map((client) => clientMetadata(client, settings.profile)),
        extraClientMetadata: { properties: ['esignet_user_claims', 'esignet_acr_values'] },
        clientAuthMethods: ['private_key_jwt'],
        clientDefaults: {
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'private_key_jwt',
            id_token_signed_response_alg: 'RS256',
        },
        enabledJWA: {
            clientAuthSigningAlgValues: assertionAlgs(settings.profile),
            idTokenSigningAlgValues: ['RS256'],
            userinfoSigningAlgValues: ['RS256'],
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
            pushed_authorization_request: PATHS.par,
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
            // eSignet 1.7+ (AuthorizationServiceImpl.assertPARRequiredIsFalse per client; 1.8's
            // fapi2.0 profile for every client).
            pushedAuthorizationRequests: {
                enabled: isOauthHardened(settings.profile),
                requirePushedAuthorizationRequests: settings.profile.fapi2,
            },
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
        assertJwtClientAuthClaimsAndHeader: clientAssertionRules(
            tokenEndpoint,
            settings.baseUrl,
            settings.profile
        ),
        findAccount: accountFinder(identities, store, settings.profile),
        renderError: async (ctx, out) => {
            ctx.type = 'html'
            ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
            ctx.body = errorPage(authorizeError(out), out.error_description)
        },
    }

    const provider = new Provider(settings.issuer, configuration)
    installLocalizedClaims(provider, settings.profile.identitySystem)
    installAccessTokenHash(provider)
    provider.on('grant.error', (ctx: KoaContextWithOIDC, err: unknown) => {
        ctx.state.providerError = err
    })
    provider.on('server_error', (ctx: KoaContextWithOIDC, err: unknown) => {
        ctx.state.providerError = err
        console.error('[esignet] server error', err)
    })
    provider.use(
        esignetWireFormat({
            profile: settings.profile,
            baseUrl: settings.baseUrl,
            userinfo: settings.userinfo,
        })
    )
    return provider
}

/**
 * eSignet's rules for the client assertion, beyond its signature (TokenServiceImpl
 * .verifyClientAssertionToken): RS256 only up to 1.6, RS256/PS256/ES256 from 1.7; `aud` exactly
 * the token endpoint, from 1.7 also the issuer.
 */
function clientAssertionRules(
    tokenEndpoint: string,
    baseUrl: string,
    profile: EsignetProfile
): Configuration['assertJwtClientAuthClaimsAndHeader'] {
    const algorithms = assertionAlgs(profile)
    const audiences = isOauthHardened(profile) ? [tokenEndpoint, baseUrl] : [tokenEndpoint]
    return async (_ctx, claims, header, client) => {
        if (!(algorithms as string[]).includes(String(header.alg))) {
            throw new errors.InvalidClientAuth(
                `client assertion must be signed with ${algorithms.join(', ')}`
            )
        }
        const aud =
            Array.isArray(claims.aud) && claims.aud.length === 1 ? claims.aud[0] : claims.aud
        if (typeof aud !== 'string' || !audiences.includes(aud)) {
            throw new errors.InvalidClientAuth(`aud must be exactly ${tokenEndpoint}`)
        }
        if (claims.sub !== client.clientId || claims.iss !== client.clientId) {
            throw new errors.InvalidClientAuth('iss and sub must both be the client_id')
        }
        if (typeof claims.iat !== 'number') {
            throw new errors.InvalidClientAuth('iat is required')
        }
    }
}

/**
 * Accounts are the mock identity system's people: the id_token carries only `sub`, userinfo the
 * person's raw claims in the languages the grant's claims_locales chose.
 */
function accountFinder(
    identities: IdentityStore,
    store: FileStore,
    profile: EsignetProfile
): Configuration['findAccount'] {
    return async (ctx, sub): Promise<Account | undefined> => {
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
                const raw = identityClaims(identity, profile.identitySystem)
                const grantId = ctx.oidc.accessToken?.grantId
                const stored = grantId ? store.get(RECORD.grantLanguages(grantId)) : undefined
                const languages = Array.isArray(stored?.languages)
                    ? (stored.languages as string[])
                    : ['eng']
                return userinfoClaims(sub, raw, languages) as never
            },
        }
    }
}

/**
 * eSignet binds the access token into every id_token (TokenServiceImpl.getIDToken puts
 * `at_hash`); oidc-provider does so only for implicit and hybrid responses. IdToken hashes the
 * value it is given, so the access token issued alongside is set as `at_hash`.
 */
function installAccessTokenHash(provider: Provider): void {
    const BaseIdToken = provider.IdToken as unknown as new (...args: unknown[]) => {
        ctx?: KoaContextWithOIDC
        extra: Record<string, unknown>
        set(key: string, value: unknown): void
        issue(options: { use: string }): Promise<string>
    }
    class EsignetIdToken extends BaseIdToken {
        override async issue(options: { use: string }): Promise<string> {
            // Opaque access tokens are their jti (oidc-provider models/formats/opaque.js).
            const accessToken = this.ctx?.oidc?.entities?.AccessToken as
                { jti?: string } | undefined
            if (options.use === 'idtoken' && accessToken?.jti && !('at_hash' in this.extra)) {
                this.set('at_hash', accessToken.jti)
            }
            return super.issue(options)
        }
    }
    // oidc-provider looks up the token's TTL by class name.
    Object.defineProperty(EsignetIdToken, 'name', { value: 'IdToken' })
    Object.defineProperty(provider, 'IdToken', { value: EsignetIdToken, configurable: true })
}
