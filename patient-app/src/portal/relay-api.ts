import { NO_LINKED_RECORD_CODE, PATIENT_RELAY_BASE } from '@anc/shared/esignet'
import type { Bundle } from '@medplum/fhirtypes'

/**
 * The relay's patient gateway, on the DHIS2 origin under /anc-relay/ (the login app has no
 * DHIS2 session, so it cannot use a route). The session is the relay's HttpOnly cookie: this
 * code never sees it, it only learns from 401 that there is none (any more).
 */
export const RECORD_QUERY_KEY = ['patient-record'] as const

export type RecordFailureKind = 'sessionExpired' | 'noLinkedRecord' | 'unreachable' | 'server'

export class RecordFailure extends Error {
    override name = 'RecordFailure'
    constructor(
        readonly kind: RecordFailureKind,
        message: string
    ) {
        super(message)
    }
}

export interface PatientApiOptions {
    baseUrl?: string
    fetchImpl?: typeof fetch
    signal?: AbortSignal
}

async function errorCode(response: Response): Promise<string | undefined> {
    try {
        const body = (await response.json()) as { error?: unknown }
        return typeof body.error === 'string' ? body.error : undefined
    } catch {
        return undefined
    }
}

/** One request for the whole record: the patient's compartment as a FHIR Bundle. */
export async function fetchPatientRecord(options: PatientApiOptions = {}): Promise<Bundle> {
    const fetchImpl = options.fetchImpl ?? fetch
    let response: Response
    try {
        response = await fetchImpl(`${options.baseUrl ?? PATIENT_RELAY_BASE}/patient/record`, {
            credentials: 'same-origin',
            headers: { Accept: 'application/fhir+json, application/json' },
            ...(options.signal ? { signal: options.signal } : {}),
        })
    } catch (error) {
        if ((error as Error)?.name === 'AbortError') throw error
        throw new RecordFailure('unreachable', 'network error')
    }
    if (response.status === 401) throw new RecordFailure('sessionExpired', 'session ended')
    if (response.status === 404 && (await errorCode(response)) === NO_LINKED_RECORD_CODE) {
        throw new RecordFailure('noLinkedRecord', 'no linked record')
    }
    if (response.status >= 502 && response.status <= 504) {
        throw new RecordFailure('unreachable', `relay answered ${response.status}`)
    }
    if (!response.ok) throw new RecordFailure('server', `relay answered ${response.status}`)
    let body: unknown
    try {
        body = await response.json()
    } catch {
        throw new RecordFailure('server', 'record is not JSON')
    }
    if (typeof body !== 'object' || body === null || (body as Bundle).resourceType !== 'Bundle') {
        throw new RecordFailure('server', 'record is not a FHIR Bundle')
    }
    return body as Bundle
}

/** Ends the relay session (clears its cookie). Resolves false when the relay could not be told. */
export async function endPatientSession(options: PatientApiOptions = {}): Promise<boolean> {
    const fetchImpl = options.fetchImpl ?? fetch
    try {
        const response = await fetchImpl(
            `${options.baseUrl ?? PATIENT_RELAY_BASE}/patient/logout`,
            {
                method: 'POST',
                credentials: 'same-origin',
                headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
                ...(options.signal ? { signal: options.signal } : {}),
            }
        )
        return response.ok || response.status === 401
    } catch {
        return false
    }
}
