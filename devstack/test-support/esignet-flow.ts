/**
 * Drives the stand-in over HTTP the way a browser and a relying party do: manual redirects, a
 * cookie jar, the interaction forms, then a private_key_jwt token request. Used by the contract
 * tests, the restart test and the bench; it knows nothing of the stand-in's internals.
 */
import { randomUUID } from 'node:crypto'
import { importJWK, SignJWT, type JWK } from 'jose'
import * as oauth from 'oauth4webapi'

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/** A minimal browser: follows nothing by itself, keeps cookies per name (path-scoped). */
export class Browser {
    private readonly cookies = new Map<string, { value: string; path: string }>()

    async request(url: string, init: RequestInit = {}): Promise<Response> {
        const target = new URL(url)
        const cookie = [...this.cookies.entries()]
            .filter(([, entry]) => target.pathname.startsWith(entry.path))
            .map(([name, entry]) => `${name}=${entry.value}`)
            .join('; ')
        const headers = new Headers(init.headers)
        if (cookie) {
            headers.set('Cookie', cookie)
        }
        const response = await fetch(url, { ...init, headers, redirect: 'manual' })
        for (const line of response.headers.getSetCookie()) {
            const [pair = '', ...attributes] = line.split(';')
            const at = pair.indexOf('=')
            const name = pair.slice(0, at).trim()
            const value = pair.slice(at + 1).trim()
            const pathAttribute = attributes
                .map((a) => a.trim())
                .find((a) => a.toLowerCase().startsWith('path='))
            const cookiePath = pathAttribute ? pathAttribute.slice(5) : '/'
            const expired =
                attributes.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a)) || value === ''
            const key = `${name}`
            if (expired) {
                this.cookies.delete(key)
            } else {
                this.cookies.set(key, { value, path: cookiePath })
            }
        }
        return response
    }

    async get(url: string): Promise<Response> {
        return this.request(url)
    }

    async postForm(url: string, fields: [string, string][]): Promise<Response> {
        return this.request(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(fields).toString(),
        })
    }
}

export function location(response: Response, base: string): string {
    const value = response.headers.get('location')
    if (!value || response.status < 300 || response.status >= 400) {
        throw new Error(`expected a redirect, got ${response.status}`)
    }
    return new URL(value, base).href
}

export interface AuthorizeRequest {
    baseUrl: string
    clientId: string
    redirectUri: string
    scope?: string
    /** the `claims` parameter (serialised here) */
    claims?: unknown
    claimsLocales?: string
    prompt?: string
    acrValues?: string
    individualId: string
    otp?: string
    /** voluntary claims to untick on the consent page */
    decline?: string[]
    /** extra or overriding query parameters */
    extra?: Record<string, string | undefined>
}

export interface AuthorizeResult {
    code: string
    state: string
    nonce: string
    codeVerifier: string
    /** the final redirect to the client, exactly as sent */
    callback: string
    /** whether the consent page was shown */
    consentShown: boolean
    consentHtml?: string
    browser: Browser
}

/** Starts an authorization request; returns the browser and the first response. */
export async function startAuthorization(request: AuthorizeRequest, browser = new Browser()) {
    const codeVerifier = oauth.generateRandomCodeVerifier()
    const state = oauth.generateRandomState()
    const nonce = oauth.generateRandomNonce()
    const query = new URLSearchParams({
        client_id: request.clientId,
        redirect_uri: request.redirectUri,
        response_type: 'code',
        scope: request.scope ?? 'openid profile',
        state,
        nonce,
        code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        acr_values: request.acrValues ?? 'mosip:idp:acr:generated-code',
    })
    if (request.claims !== undefined) {
        query.set('claims', JSON.stringify(request.claims))
    }
    if (request.claimsLocales) {
        query.set('claims_locales', request.claimsLocales)
    }
    if (request.prompt) {
        query.set('prompt', request.prompt)
    }
    for (const [name, value] of Object.entries(request.extra ?? {})) {
        if (value === undefined) {
            query.delete(name)
        } else {
            query.set(name, value)
        }
    }
    const response = await browser.get(`${request.baseUrl}/authorize?${query.toString()}`)
    return { browser, response, codeVerifier, state, nonce }
}

/** Runs the whole front channel: authorize, individual ID, OTP, consent, callback. */
export async function authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    const { browser, response, codeVerifier, state, nonce } = await startAuthorization(request)
    const interactionUrl = location(response, request.baseUrl)
    const loginPage = await browser.get(interactionUrl)
    if (loginPage.status !== 200 || !(await loginPage.text()).includes('name="individualId"')) {
        throw new Error(`login page not shown (${loginPage.status})`)
    }
    const afterLogin = await browser.postForm(`${interactionUrl}/login`, [
        ['individualId', request.individualId],
    ])
    const otpPage = await browser.get(location(afterLogin, request.baseUrl))
    if (!(await otpPage.text()).includes('name="otp"')) {
        throw new Error('OTP page not shown')
    }
    let next = await browser.postForm(`${interactionUrl}/otp`, [['otp', request.otp ?? '111111']])
    let consentShown = false
    let consentHtml: string | undefined
    if (location(next, request.baseUrl) === interactionUrl) {
        const consent = await browser.get(interactionUrl)
        consentHtml = await consent.text()
        consentShown = true
        const offered = [...consentHtml.matchAll(/name="claim" value="([^"]+)"/g)].map(
            (m) => m[1] ?? ''
        )
        const decline = new Set(request.decline ?? [])
        next = await browser.postForm(
            `${interactionUrl}/consent`,
            offered.filter((claim) => !decline.has(claim)).map((claim) => ['claim', claim])
        )
    }
    const resume = await browser.get(location(next, request.baseUrl))
    const callback = resume.headers.get('location') ?? ''
    const params = new URL(callback).searchParams
    const code = params.get('code')
    if (!code) {
        throw new Error(`no code in callback ${callback}`)
    }
    const result: AuthorizeResult = {
        code,
        state,
        nonce,
        codeVerifier,
        callback,
        consentShown,
        browser,
    }
    if (consentHtml !== undefined) {
        result.consentHtml = consentHtml
    }
    return result
}

export interface AssertionOptions {
    clientId: string
    privateJwk: JWK
    aud: string
    jti?: string
    sub?: string
    iss?: string
    alg?: string
}

/** A private_key_jwt client assertion, as the relay signs it. */
export async function clientAssertion(options: AssertionOptions): Promise<string> {
    const alg = options.alg ?? 'RS256'
    const key = await importJWK(options.privateJwk, alg)
    return new SignJWT({})
        .setProtectedHeader({
            alg,
            ...(options.privateJwk.kid ? { kid: options.privateJwk.kid } : {}),
        })
        .setIssuer(options.iss ?? options.clientId)
        .setSubject(options.sub ?? options.clientId)
        .setAudience(options.aud)
        .setIssuedAt()
        .setExpirationTime('2m')
        .setJti(options.jti ?? randomUUID())
        .sign(key)
}

/** POST to the v2 token endpoint with the given form fields. */
export async function tokenRequest(
    tokenEndpoint: string,
    fields: Record<string, string | undefined>
) {
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(fields)) {
        if (value !== undefined) {
            body.set(name, value)
        }
    }
    const response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
        },
        body: body.toString(),
    })
    const text = await response.text()
    return { response, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
}

export interface RedeemRequest {
    baseUrl: string
    code: string
    codeVerifier: string
    redirectUri: string
    clientId: string
    privateJwk: JWK
    /** Overrides of the client assertion (alg, aud, jti, ...). */
    assertion?: Partial<AssertionOptions>
}

/** Redeems a code at the v2 token endpoint with a private_key_jwt assertion, as the relay does. */
export async function redeemCode(request: RedeemRequest) {
    const tokenEndpoint = `${request.baseUrl}/v1/esignet/oauth/v2/token`
    return tokenRequest(tokenEndpoint, {
        grant_type: 'authorization_code',
        code: request.code,
        redirect_uri: request.redirectUri,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await clientAssertion({
            clientId: request.clientId,
            privateJwk: request.privateJwk,
            aud: tokenEndpoint,
            ...request.assertion,
        }),
        code_verifier: request.codeVerifier,
    })
}
