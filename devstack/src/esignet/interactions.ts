import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Provider } from 'oidc-provider'
import { CLAIMS_AVAILABLE, resolveClaims, type ResolvedClaims } from './claims'
import { ACR, PATHS } from './config'
import { coveredByEarlierConsent, rememberConsent, rememberedConsent } from './consent'
import type { FileStore } from './file-store'
import { claimsLocalesToLanguages, maskContact, type IdentityStore } from './identities'
import { readForm, redirect, sendHtml } from './interaction-http'
import { isAtLeast } from '../common/version'
import type { EsignetProfile } from './profile'
import { RECORD } from './records'
import { consentPage, errorPage, loginPage, otpPage } from './views'

/** What the interaction has established so far (stored per interaction uid). */
interface AuthState {
    individualId?: string
    authenticated?: boolean
    authTime?: number
}

export interface InteractionDeps {
    provider: Provider
    store: FileStore
    identities: IdentityStore
    otp: string
    /** The eSignet version reproduced: branch on this where versions differ. */
    profile: EsignetProfile
}

/** One request to an interaction's pages, with what the steps need to know about it. */
interface InteractionRequest {
    deps: InteractionDeps
    req: IncomingMessage
    res: ServerResponse
    uid: string
    /** The interaction's own path: the pages post here and redirect back here. */
    base: string
    params: Record<string, unknown>
    clientId: string
    clientName: string
    resolved: ResolvedClaims
    state: AuthState
    saveState(next: AuthState): Promise<void>
}

/**
 * Serves `${PATHS.interaction}/:uid[/login|/otp|/consent|/cancel]`: eSignet's sign-in pages,
 * individual ID, then OTP, then consent (skipped when consent given earlier covers the request).
 */
export function interactionHandler(deps: InteractionDeps) {
    return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
        const [uid, step = ''] = pathname.slice(PATHS.interaction.length + 1).split('/')
        const request = await openInteraction(deps, req, res, uid)
        if (!request) {
            return
        }
        if (req.method === 'GET' && step === '') {
            render(request)
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
                await cancel(request, form)
                return
            case 'login':
                await submitIndividualId(request, form)
                return
            case 'otp':
                await submitOtp(request, form)
                return
            case 'consent':
                await submitConsent(request, form)
                return
            default:
                sendHtml(res, 404, errorPage('invalid_request', 'Unknown step.'))
        }
    }
}

/**
 * The interaction this browser is in, if it is the one the path names and its client is
 * registered; otherwise the error page has been sent and the result is undefined.
 */
async function openInteraction(
    deps: InteractionDeps,
    req: IncomingMessage,
    res: ServerResponse,
    uid: string | undefined
): Promise<InteractionRequest | undefined> {
    const { provider, store } = deps
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
        return undefined
    }
    if (!uid || interaction.uid !== uid) {
        sendHtml(
            res,
            400,
            errorPage('invalid_transaction', 'This sign-in does not belong to this browser.')
        )
        return undefined
    }
    const params = interaction.params as Record<string, unknown>
    const clientId = String(params.client_id)
    const client = await provider.Client.find(clientId)
    if (!client) {
        sendHtml(res, 400, errorPage('invalid_client_id', 'The application is not registered.'))
        return undefined
    }
    const userClaims = (client.metadata().esignet_user_claims as string[] | undefined) ?? []
    const remainingSeconds = Math.max(interaction.exp - Math.floor(Date.now() / 1000), 1)
    return {
        deps,
        req,
        res,
        uid,
        base: `${PATHS.interaction}/${uid}`,
        params,
        clientId,
        clientName: client.clientName ?? clientId,
        resolved: resolveClaims(params, userClaims),
        state: (store.get(RECORD.auth(uid)) ?? {}) as AuthState,
        saveState: (next) =>
            store.set(RECORD.auth(uid), next as Record<string, unknown>, remainingSeconds),
    }
}

/** The page for where the person is: individual ID, then OTP, then consent. */
function render(
    { deps, res, base, clientId, clientName, resolved, state }: InteractionRequest,
    error?: { code: string; description: string }
): void {
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
        const identity = deps.identities.find(state.individualId)
        const targets = [identity?.phone, identity?.email]
            .filter((value): value is string => typeof value === 'string')
            .map(maskContact)
        sendHtml(res, status, otpPage({ ...ctx, maskedTargets: targets }))
        return
    }
    const previous = rememberedConsent(deps.store, clientId, state.individualId)
    sendHtml(
        res,
        status,
        consentPage({ ...ctx, ...resolved, previouslyDeclined: previous?.declined ?? [] })
    )
}

/**
 * The code a cancel redirects with (oidc-ui): the consent page's "discontinue" sends
 * `consent_request_rejected` up to 1.7 (Consent.js) and `access_denied` in 1.8; the claim
 * details page of 1.6+ (ClaimDetails.js:229 in v1.6.2) sends `consent_details_rejected`.
 */
function cancelCode(profile: EsignetProfile, page: string | null): string {
    if (page === 'claim-details' && isAtLeast(profile.version, '1.6')) {
        return 'consent_details_rejected'
    }
    return isAtLeast(profile.version, '1.8') ? 'access_denied' : 'consent_request_rejected'
}

async function cancel(
    { deps, req, res, uid }: InteractionRequest,
    form: URLSearchParams
): Promise<void> {
    await deps.store.delete(RECORD.auth(uid))
    const error = cancelCode(deps.profile, form.get('page'))
    await deps.provider.interactionFinished(
        req,
        res,
        { error, error_description: error },
        { mergeWithLastSubmission: false }
    )
}

async function submitIndividualId(
    request: InteractionRequest,
    form: URLSearchParams
): Promise<void> {
    const { deps, res, base, state } = request
    // eSignet's UI keeps only digits; a pasted ID may carry spaces.
    const individualId = (form.get('individualId') ?? '').replace(/\s+/g, '')
    if (!/^[0-9]{5,19}$/.test(individualId) || !deps.identities.find(individualId)) {
        render(request, {
            code: 'invalid_individual_id',
            description: 'No record found for this Individual ID.',
        })
        return
    }
    state.individualId = individualId
    state.authenticated = false
    await request.saveState(state)
    redirect(res, base)
}

async function submitOtp(request: InteractionRequest, form: URLSearchParams): Promise<void> {
    const { deps, res, base, state, params, clientId } = request
    if (!state.individualId) {
        redirect(res, base)
        return
    }
    if ((form.get('otp') ?? '').trim() !== deps.otp) {
        render(request, {
            code: 'auth_failed',
            description: 'Authentication failed. Check the code and try again.',
        })
        return
    }
    state.authenticated = true
    state.authTime = Math.floor(Date.now() / 1000)
    await request.saveState(state)
    // Consent given earlier for the same client and person covers this request.
    const remembered =
        params.prompt === 'consent'
            ? undefined
            : coveredByEarlierConsent(
                  rememberedConsent(deps.store, clientId, state.individualId),
                  request.resolved
              )
    if (remembered) {
        await finish(request, remembered)
        return
    }
    redirect(res, base)
}

async function submitConsent(request: InteractionRequest, form: URLSearchParams): Promise<void> {
    const { res, base, state, resolved } = request
    if (!state.individualId || !state.authenticated) {
        redirect(res, base)
        return
    }
    const chosen = new Set(form.getAll('claim'))
    const accepted = [
        ...resolved.essential,
        ...resolved.voluntary.filter((claim) => chosen.has(claim)),
    ]
    await finish(request, accepted)
}

/**
 * Ends the interaction with a grant of exactly the accepted claims (everything else rejected),
 * remembers the consent and the claims languages, and sends the browser back to the client.
 */
async function finish(request: InteractionRequest, accepted: string[]): Promise<void> {
    const { deps, req, res, uid, params, clientId, resolved, state } = request
    const { provider, store } = deps
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
    await rememberConsent(store, clientId, individualId, requested, accepted)
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
