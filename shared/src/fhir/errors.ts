/**
 * What a FHIR request through the DHIS2 route can end with, as one error type with a `kind` the
 * UI acts on. Kept apart from the client (client.ts, which loads `fhirclient`) so that pages can
 * tell failures apart without loading the client on their first screen.
 */
import type { OperationOutcome } from '@medplum/fhirtypes'

export type FhirClientErrorKind =
    | 'network'
    | 'aborted'
    | 'sessionExpired'
    | 'forbidden'
    | 'notFound'
    | 'conflict'
    | 'preconditionFailed'
    | 'invalid'
    | 'timeout'
    | 'server'
    | 'badResponse'

export class FhirClientError extends Error {
    constructor(
        readonly kind: FhirClientErrorKind,
        message: string,
        readonly status?: number,
        readonly outcome?: OperationOutcome
    ) {
        super(message)
        this.name = 'FhirClientError'
    }
}

/**
 * The FHIR server (or the route to it) did not give an answer about the request itself: down,
 * timed out, 5xx, or garbage. Writes that fail this way can be queued and replayed; a 4xx cannot.
 */
export function isFhirUnreachable(error: unknown): boolean {
    return (
        error instanceof FhirClientError &&
        (error.kind === 'network' ||
            error.kind === 'timeout' ||
            error.kind === 'server' ||
            error.kind === 'badResponse')
    )
}

/**
 * The kind of a refused request from its status and, where the server sent one, its
 * OperationOutcome. HAPI FHIR answers a stale If-Match with 409 "HAPI-0989 ... is not the current
 * version" (HAPI-0974 for a patch) where the FHIR specification says 412: for this client both
 * mean the same thing, someone changed the resource since it was read (`preconditionFailed`).
 */
export function errorKindFor(status: number, outcome?: OperationOutcome): FhirClientErrorKind {
    const said = (outcome?.issue ?? []).map((issue) => issue.diagnostics ?? '').join(' ')
    if (status === 409 && /HAPI-0?(989|974)\b/.test(said)) return 'preconditionFailed'
    return errorKindForStatus(status)
}

export function errorKindForStatus(status: number): FhirClientErrorKind {
    if (status === 401) return 'sessionExpired'
    if (status === 403) return 'forbidden'
    if (status === 404 || status === 410) return 'notFound'
    if (status === 409) return 'conflict'
    if (status === 412) return 'preconditionFailed'
    if (status === 400 || status === 422) return 'invalid'
    if (status === 504 || status === 408) return 'timeout'
    if (status >= 500) return 'server'
    return 'badResponse'
}
