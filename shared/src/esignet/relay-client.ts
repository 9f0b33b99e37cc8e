import type { DataEngine } from '@dhis2/data-engine'
import i18n from '@dhis2/d2-i18n'
import { ROUTE_CODES } from '../metadata/ids'
import { parseRelayConfig, type EsignetPublicConfig } from './config'
import { mapEsignetError } from './errors'
import {
    cancelled,
    relayForbidden,
    relayUnreachable,
    type PatientSigninOutcome,
    type SigninFailure,
    type StaffSigninOutcome,
    type VerifiedIdentity,
} from './outcomes'

/** What the relay needs to redeem the code (contracts: POST /staff/exchange, /patient/session). */
export interface ExchangeRequest {
    code: string
    codeVerifier: string
    redirectUri: string
    nonce: string
}

/** Staff apps reach the relay only through the DHIS2 route (adds the route secret header). */
export const RELAY_ROUTE_PATH = `routes/${ROUTE_CODES.relay}/run`
/** The patient app reaches it on the DHIS2 origin, behind the reverse proxy. */
export const PATIENT_RELAY_BASE = '/anc-relay'

/** The relay's error code (its `{error, message}` body, 404) for an identity with no record. */
export const NO_LINKED_RECORD_CODE = 'no_linked_record'

type EngineQuery = Pick<DataEngine, 'query'>
type EngineMutate = Pick<DataEngine, 'mutate'>

interface FetchErrorLike {
    type?: string
    message?: string
    details?: Record<string, unknown>
}

function statusOf(error: FetchErrorLike): number | undefined {
    const code = error.details?.httpStatusCode
    if (typeof code === 'number') return code
    // app-runtime puts the status only in the message for non-access errors: "... (502)".
    const match = /\((\d{3})\)\s*$/.exec(error.message ?? '')
    return match ? Number(match[1]) : undefined
}

/** Maps a data-engine FetchError from the relay route onto an outcome. */
export function failureFromRouteError(error: unknown): SigninFailure {
    const fetchError = (error ?? {}) as FetchErrorLike
    if (fetchError.type === 'aborted') return cancelled()
    if (fetchError.type === 'network') return relayUnreachable()
    const relayCode = fetchError.details?.error
    if (typeof relayCode === 'string') return mapEsignetError(relayCode)
    const status = statusOf(fetchError)
    if (status === 401 || status === 403 || fetchError.message === 'Forbidden') {
        return relayForbidden()
    }
    return relayUnreachable()
}

function parseVerified(body: unknown): VerifiedIdentity | null {
    if (typeof body !== 'object' || body === null) return null
    const json = body as Record<string, unknown>
    const { sub, claims, acr, authTime } = json
    if (typeof sub !== 'string' || sub === '') return null
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return null
    return {
        kind: 'verified',
        sub,
        claims: claims as Record<string, unknown>,
        acr: typeof acr === 'string' ? acr : '',
        authTime: typeof authTime === 'number' ? authTime : 0,
    }
}

export async function fetchStaffRelayConfig(engine: EngineQuery): Promise<EsignetPublicConfig> {
    const result = await engine.query({ config: { resource: `${RELAY_ROUTE_PATH}/config` } })
    return parseRelayConfig(result.config)
}

/** Staff apps: the code and verifier go to the relay through the DHIS2 route. */
export async function exchangeStaffCode(
    engine: EngineMutate,
    request: ExchangeRequest,
    signal?: AbortSignal
): Promise<StaffSigninOutcome> {
    let body: unknown
    try {
        body = await engine.mutate(
            {
                resource: `${RELAY_ROUTE_PATH}/staff/exchange`,
                type: 'create',
                data: { ...request },
            },
            signal ? { signal } : undefined
        )
    } catch (error) {
        return failureFromRouteError(error)
    }
    return parseVerified(body) ?? mapEsignetError('invalid_response')
}

export interface PatientRelayOptions {
    /** Defaults to `/anc-relay` on the page's origin. */
    baseUrl?: string
    fetchImpl?: typeof fetch
    signal?: AbortSignal
}

async function readJson(response: Response): Promise<Record<string, unknown> | null> {
    try {
        const body: unknown = await response.json()
        return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null
    } catch {
        return null
    }
}

export async function fetchPatientRelayConfig(
    options: PatientRelayOptions = {}
): Promise<EsignetPublicConfig> {
    const fetchImpl = options.fetchImpl ?? fetch
    const response = await fetchImpl(`${options.baseUrl ?? PATIENT_RELAY_BASE}/config`, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
        ...(options.signal ? { signal: options.signal } : {}),
    })
    if (!response.ok) throw new Error(`Relay config answered ${response.status}`)
    return parseRelayConfig(await response.json())
}

/** Patient portal: the relay redeems the code and sets its HttpOnly session cookie. */
export async function startPatientSession(
    request: ExchangeRequest,
    options: PatientRelayOptions = {}
): Promise<PatientSigninOutcome> {
    const fetchImpl = options.fetchImpl ?? fetch
    let response: Response
    try {
        response = await fetchImpl(`${options.baseUrl ?? PATIENT_RELAY_BASE}/patient/session`, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
            body: JSON.stringify(request),
            ...(options.signal ? { signal: options.signal } : {}),
        })
    } catch (error) {
        if ((error as Error)?.name === 'AbortError') return cancelled()
        return relayUnreachable()
    }
    const body = await readJson(response)
    if (response.ok && body?.linked === true) return { kind: 'sessionStarted' }
    const code = body?.error
    if (response.status === 404 && code === NO_LINKED_RECORD_CODE) {
        return {
            kind: 'noLinkedRecord',
            message: i18n.t(
                'Your identity was verified, but no pregnancy record is registered for you yet. Please ask your midwife.'
            ),
        }
    }
    if (typeof code === 'string') return mapEsignetError(code)
    return relayUnreachable()
}
