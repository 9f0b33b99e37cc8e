import { OidcClient, SigninState, WebStorageStateStore } from 'oidc-client-ts'
import { buildClaimsRequest, type ClaimsRequest, type ClaimToRequest } from './claims-request'
import { uiLocalesFor, type EsignetPublicConfig } from './config'
import { randomUrlSafeToken } from './random'

/** sessionStorage prefix of the pending sign-in states (one per `state`, single use). */
export const STATE_STORE_PREFIX = 'anc.esignet.state.'
/** eSignet's authorization codes live 600 s; a state older than that can never succeed. */
export const STATE_MAX_AGE_SECONDS = 900

export interface AuthorizeRequestOptions {
    config: EsignetPublicConfig
    /** The app's esignet-callback.html: no query string, no fragment (eSignet <= 1.6). */
    redirectUri: string
    /** The user's DHIS2 UI language (`si`, `ta_LK`, ...). */
    language: string
    /** From the claims mapping config; when absent the relay's claims request is used. */
    claims?: readonly ClaimToRequest[]
    display?: 'page' | 'popup'
    storage?: Storage
}

export interface AuthorizeRequest {
    url: string
    state: string
    nonce: string
}

export function assertRedirectUri(redirectUri: string): void {
    const url = new URL(redirectUri)
    if (url.search || url.hash || redirectUri.includes('?') || redirectUri.includes('#')) {
        // eSignet <= 1.6 appends "?state=" blindly, so a query here would corrupt the answer.
        throw new Error('The eSignet redirect URI must have no query string and no fragment')
    }
}

function stateStore(storage: Storage): WebStorageStateStore {
    return new WebStorageStateStore({ store: storage, prefix: STATE_STORE_PREFIX })
}

export function createOidcClient(
    config: EsignetPublicConfig,
    redirectUri: string,
    storage: Storage
): OidcClient {
    const authority = config.issuer ?? new URL(config.authorizationEndpoint).origin
    return new OidcClient({
        authority,
        // Given in full so oidc-client-ts never fetches discovery from the browser.
        metadata: { issuer: authority, authorization_endpoint: config.authorizationEndpoint },
        client_id: config.clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        response_mode: 'query',
        scope: config.scope,
        stateStore: stateStore(storage),
        staleStateAgeInSeconds: STATE_MAX_AGE_SECONDS,
        // Tokens are never fetched here: the relay does the exchange with the private key.
        loadUserInfo: false,
    })
}

/**
 * Builds the /authorize URL: PKCE S256 (oidc-client-ts makes the verifier and challenge with
 * Web Crypto), `state` kept in sessionStorage with the verifier, a 256-bit `nonce` the relay
 * checks against the id_token, the claims request, `acr_values` and `ui_locales`.
 */
export async function createAuthorizeRequest(
    options: AuthorizeRequestOptions
): Promise<AuthorizeRequest> {
    const { config, redirectUri, language } = options
    assertRedirectUri(redirectUri)
    const storage = options.storage ?? window.sessionStorage
    const client = createOidcClient(config, redirectUri, storage)
    const nonce = randomUrlSafeToken(32)
    const claims = options.claims ? buildClaimsRequest(options.claims) : config.claims
    const extraQueryParams: Record<string, string> = {}
    if (claims.userinfo && Object.keys(claims.userinfo).length > 0) {
        extraQueryParams.claims = serializeClaimsRequest(claims)
    }
    const claimsLocale = config.claimsLocales[0]
    if (claimsLocale !== undefined) {
        // One language only: with several, the mock identity system tags every claim
        // (`name#eng`, `name#sin`, ...) and gives nothing for a claim it lacks in one of them,
        // and plugins up to 1.3.0 use only the first (mock-identity-system
        // AuthenticationServiceImpl.getKycValues, v0.11.2).
        extraQueryParams.claims_locales = claimsLocale
    }
    const request = await client.createSigninRequest({
        nonce,
        // Kept with the PKCE verifier: the callback's `iss` (eSignet 1.7+) must name this issuer.
        state: { issuer: config.issuer ?? null } satisfies PendingState,
        ui_locales: uiLocalesFor(language, config.uiLocalesSupported),
        ...(config.acrValues.length > 0 ? { acr_values: config.acrValues.join(' ') } : {}),
        ...(options.display ? { display: options.display } : {}),
        extraQueryParams,
    })
    return { url: request.url, state: request.state.id, nonce }
}

/**
 * The `claims` parameter as eSignet's sign-in page can read it. Its UI runs `decodeURI` over the
 * already-decoded parameter (oidc-ui Authorize.js, v1.4.1-v1.8.0), so a `%` anywhere in it (a
 * purpose such as "100% for your record") fails its JSON parse and the page shows an error, or
 * a `%20` silently turns into a space. Inside JSON a `%` can only be part of a string, where
 * `\u0025` means the same character: eSignet receives the text unchanged.
 */
export function serializeClaimsRequest(claims: ClaimsRequest): string {
    return JSON.stringify(claims).replace(/%/g, '\\u0025')
}

interface PendingState {
    /** Discovery `issuer` the sign-in was started with (null when the relay did not say). */
    issuer: string | null
}

export interface PendingSignin {
    codeVerifier: string
    redirectUri: string
    nonce: string
    /** The issuer the callback's `iss` parameter must equal when eSignet sends one (1.7+). */
    issuer: string | null
}

/**
 * Takes the stored state for `state` out of sessionStorage (single use) and returns what the
 * relay needs. Returns null when there is no such state, it is too old, or it is incomplete:
 * an answer for a request this browser did not start is never used.
 */
export async function consumePendingSignin(
    state: string,
    storage: Storage,
    now: () => number = Date.now
): Promise<PendingSignin | null> {
    const stored = await stateStore(storage).remove(state)
    if (!stored) return null
    let signinState: SigninState
    try {
        signinState = await SigninState.fromStorageString(stored)
    } catch {
        return null
    }
    const ageSeconds = now() / 1000 - signinState.created
    if (ageSeconds > STATE_MAX_AGE_SECONDS || ageSeconds < -60) return null
    if (!signinState.code_verifier || !signinState.nonce || !signinState.redirect_uri) return null
    const data = signinState.data as Partial<PendingState> | undefined
    return {
        codeVerifier: signinState.code_verifier,
        redirectUri: signinState.redirect_uri,
        nonce: signinState.nonce,
        issuer: typeof data?.issuer === 'string' ? data.issuer : null,
    }
}

/** Drops a pending state whose flow ended without an answer (cancelled, timed out). */
export async function discardPendingSignin(state: string, storage: Storage): Promise<void> {
    await stateStore(storage).remove(state)
}
