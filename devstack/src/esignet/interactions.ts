import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Provider } from 'oidc-provider'
import { ACR, PATHS, SCOPE_CLAIMS } from './config'
import type { FileStore } from './file-store'
import { claimsLocalesToLanguages, maskContact, type IdentityStore } from './identities'
import { CLAIMS_AVAILABLE, RECORD } from './provider'
import { consentPage, errorPage, loginPage, otpPage, PAGE_CSP } from './views'

/** What the interaction has established so far (stored per interaction uid). */
interface AuthState {
    individualId?: string
    authenticated?: boolean
    authTime?: number
}

interface RememberedConsent {
    accepted: string[]
    declined: string[]
}

interface ResolvedClaims {
    essential: string[]
    voluntary: string[]
}

const MAX_FORM_BYTES = 16 * 1024

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
        size += (chunk as Buffer).length
        if (size > MAX_FORM_BYTES) {
            throw new Error('form too large')
        }
        chunks.push(chunk as Buffer)
    }
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
    res.statusCode = status
    res.setHeader('Content-Type', 'text/html; charset=utf-8')
    res.setHeader('Content-Security-Policy', PAGE_CSP)
    res.setHeader('Cache-Control', 'no-store')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.end(html)
}

function redirect(res: ServerResponse, location: string): void {
    res.statusCode = 303
    res.setHeader('Location', location)
    res.setHeader('Content-Length', '0')
    res.end()
}

/**
 * eSignet's claim resolution: the client's registered userClaims intersected with the explicit
 * `claims.userinfo` request (essential flag kept) and the claims implied by scope (voluntary).
 */
export function resolveClaims(
    params: Record<string, unknown>,
    userClaims: string[]
): ResolvedClaims {
    const essential: string[] = []
    const voluntary: string[] = []
    const allowed = new Set(userClaims.filter((claim) => CLAIMS_AVAILABLE.includes(claim)))
    const add = (claim: string, isEssential: boolean): void => {
        if (!allowed.has(claim) || essential.includes(claim)) {
            return
        }
        if (isEssential) {
            essential.push(claim)
            const at = voluntary.indexOf(claim)
            if (at >= 0) {
                voluntary.splice(at, 1)
            }
        } else if (!voluntary.includes(claim)) {
            voluntary.push(claim)
        }
    }
    if (typeof params.claims === 'string') {
        const parsed = JSON.parse(params.claims) as {
            userinfo?: Record<string, { essential?: boolean } | null>
        }
        for (const [claim, spec] of Object.entries(parsed.userinfo ?? {})) {
            add(claim, spec?.essential === true)
        }
    }
    const scopes = typeof params.scope === 'string' ? params.scope.split(' ') : []
    for (const scope of scopes) {
        for (const claim of SCOPE_CLAIMS[scope] ?? []) {
            add(claim, false)
        }
    }
    return { essential, voluntary }
}

export interface InteractionDeps {
    provider: Provider
    store: FileStore
    identities: IdentityStore
    otp: string
}

/** Serves `${PATHS.interaction}/:uid[/login|/otp|/consent|/cancel]`. */
export function interactionHandler(deps: InteractionDeps) {
    const { provider, store, identities } = deps

    return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
        const rest = pathname.slice(PATHS.interaction.length + 1).split('/')
        const [uid, step = ''] = rest
        let interaction
        try {
            interaction = await provider.interactionDetails(req, res)
        } catch {
            sendHtml(
                res,
                400,
                errorPage(
                    'invalid_transaction',
                    'This sign-in has expired or is not valid in this browser.'
                )
            )
            return
        }
        if (!uid || interaction.uid !== uid) {
            sendHtml(
                res,
                400,
                errorPage('invalid_transaction', 'This sign-in does not belong to this browser.')
            )
            return
        }
        const base = `${PATHS.interaction}/${uid}`
        const params = interaction.params as Record<string, unknown>
        const clientId = String(params.client_id)
        const client = await provider.Client.find(clientId)
        if (!client) {
            sendHtml(res, 400, errorPage('invalid_client_id', 'The application is not registered.'))
            return
        }
        const clientName = client.clientName ?? clientId
        const userClaims = (client.metadata().esignet_user_claims as string[] | undefined) ?? []
        const resolved = resolveClaims(params, userClaims)
        const remainingSeconds = Math.max(interaction.exp - Math.floor(Date.now() / 1000), 1)
        const state = (store.get(RECORD.auth(uid)) ?? {}) as AuthState
        const saveState = (next: AuthState): Promise<void> =>
            store.set(RECORD.auth(uid), next as Record<string, unknown>, remainingSeconds)

        const finish = async (accepted: string[]): Promise<void> => {
            const individualId = state.individualId as string
            const grant = new provider.Grant({ accountId: individualId, clientId })
            const requestedScopes = (
                typeof params.scope === 'string' ? params.scope.split(' ') : []
            ).filter((scope) => ['openid', 'profile', 'email', 'phone'].includes(scope))
            grant.addOIDCScope(requestedScopes)
            grant.addOIDCClaims(accepted)
            // Everything not accepted is rejected, so scope-implied claims cannot slip through.
            grant.rejectOIDCClaims(CLAIMS_AVAILABLE.filter((claim) => !accepted.includes(claim)))
            const grantId = await grant.save()
            const languages = claimsLocalesToLanguages(
                typeof params.claims_locales === 'string' ? params.claims_locales : undefined
            )
            await store.set(RECORD.grantLanguages(grantId), { languages }, 86400)
            const requested = [...resolved.essential, ...resolved.voluntary]
            const previous = store.get(RECORD.consent(clientId, individualId)) as
                RememberedConsent | undefined
            const remembered: RememberedConsent = {
                accepted: [
                    ...new Set([
                        ...(previous?.accepted ?? []).filter((c) => !requested.includes(c)),
                        ...accepted,
                    ]),
                ],
                declined: [
                    ...new Set([
                        ...(previous?.declined ?? []).filter((c) => !requested.includes(c)),
                        ...requested.filter((claim) => !accepted.includes(claim)),
                    ]),
                ],
            }
            await store.set(RECORD.consent(clientId, individualId), remembered as never)
            await store.delete(RECORD.auth(uid))
            await provider.interactionFinished(
                req,
                res,
                {
                    login: {
                        accountId: individualId,
                        acr: ACR.generatedCode,
                        amr: ['OTP'],
                        remember: false,
                        ts: state.authTime ?? Math.floor(Date.now() / 1000),
                    },
                    consent: { grantId },
                },
                { mergeWithLastSubmission: false }
            )
        }

        /** Consent given earlier for the same client and person covers this request. */
        const rememberedChoice = (): string[] | undefined => {
            if (params.prompt === 'consent' || !state.individualId) {
                return undefined
            }
            const previous = store.get(RECORD.consent(clientId, state.individualId)) as
                RememberedConsent | undefined
            if (!previous) {
                return undefined
            }
            const covered = [...resolved.essential, ...resolved.voluntary].every(
                (claim) => previous.accepted.includes(claim) || previous.declined.includes(claim)
            )
            const essentialsAccepted = resolved.essential.every((claim) =>
                previous.accepted.includes(claim)
            )
            if (!covered || !essentialsAccepted) {
                return undefined
            }
            return [...resolved.essential, ...resolved.voluntary].filter((claim) =>
                previous.accepted.includes(claim)
            )
        }

        const render = (error?: { code: string; description: string }): void => {
            const ctx = {
                action: base,
                clientName,
                ...(error ? { error: error.code, errorDescription: error.description } : {}),
            }
            const status = error ? 400 : 200
            if (!state.individualId) {
                sendHtml(res, status, loginPage(ctx))
                return
            }
            if (!state.authenticated) {
                const identity = identities.find(state.individualId)
                const targets = [identity?.phone, identity?.email]
                    .filter((value): value is string => typeof value === 'string')
                    .map(maskContact)
                sendHtml(res, status, otpPage({ ...ctx, maskedTargets: targets }))
                return
            }
            const previous = store.get(RECORD.consent(clientId, state.individualId)) as
                RememberedConsent | undefined
            sendHtml(
                res,
                status,
                consentPage({ ...ctx, ...resolved, previouslyDeclined: previous?.declined ?? [] })
            )
        }

        if (req.method === 'GET' && step === '') {
            render()
            return
        }
        if (req.method !== 'POST') {
            res.statusCode = 405
            res.setHeader('Allow', 'GET, POST')
            res.end()
            return
        }
        const form = await readForm(req)

        switch (step) {
            case 'cancel':
                await store.delete(RECORD.auth(uid))
                await provider.interactionFinished(
                    req,
                    res,
                    {
                        error: 'consent_request_rejected',
                        error_description: 'consent_request_rejected',
                    },
                    { mergeWithLastSubmission: false }
                )
                return
            case 'login': {
                // eSignet's UI keeps only digits; a pasted ID may carry spaces.
                const individualId = (form.get('individualId') ?? '').replace(/\s+/g, '')
                if (!/^[0-9]{5,19}$/.test(individualId) || !identities.find(individualId)) {
                    render({
                        code: 'invalid_individual_id',
                        description: 'No record found for this Individual ID.',
                    })
                    return
                }
                state.individualId = individualId
                state.authenticated = false
                await saveState(state)
                redirect(res, base)
                return
            }
            case 'otp': {
                if (!state.individualId) {
                    redirect(res, base)
                    return
                }
                if ((form.get('otp') ?? '').trim() !== deps.otp) {
                    render({
                        code: 'auth_failed',
                        description: 'Authentication failed. Check the code and try again.',
                    })
                    return
                }
                state.authenticated = true
                state.authTime = Math.floor(Date.now() / 1000)
                await saveState(state)
                const remembered = rememberedChoice()
                if (remembered) {
                    await finish(remembered)
                    return
                }
                redirect(res, base)
                return
            }
            case 'consent': {
                if (!state.individualId || !state.authenticated) {
                    redirect(res, base)
                    return
                }
                const chosen = new Set(form.getAll('claim'))
                const accepted = [
                    ...resolved.essential,
                    ...resolved.voluntary.filter((claim) => chosen.has(claim)),
                ]
                await finish(accepted)
                return
            }
            default:
                sendHtml(res, 404, errorPage('invalid_request', 'Unknown step.'))
        }
    }
}
