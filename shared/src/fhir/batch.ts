/**
 * A search whose `|` must not travel in the DHIS2 route's query string (it breaks on DHIS2
 * 2.42.4+) goes as a FHIR `batch` POST of one GET entry; these build it and read its answer.
 */
import type { Bundle, BundleEntry, OperationOutcome } from '@medplum/fhirtypes'
import { errorKindFor, FhirClientError } from './errors'

/** A batch of one GET: a search whose `|` must not travel in the DHIS2 route's query string. */
export function batchGet(relativeUrl: string): Bundle {
    return {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [{ request: { method: 'GET', url: relativeUrl } }],
    }
}

/** The Bundle answering a one-entry batch; throws the entry's own failure, with its status. */
export function unwrapBatchEntry(response: Bundle): Bundle {
    const entry: BundleEntry | undefined = response.entry?.[0]
    const status = Number.parseInt(entry?.response?.status ?? '', 10)
    if (!entry || !Number.isFinite(status))
        throw new FhirClientError('badResponse', 'batch response without a status')
    if (status >= 300) {
        const outcome = entry.response?.outcome as OperationOutcome | undefined
        throw new FhirClientError(
            errorKindFor(status, outcome),
            outcome?.issue?.[0]?.diagnostics ?? `batch entry failed: ${entry.response?.status}`,
            status,
            outcome
        )
    }
    if (entry.resource?.resourceType !== 'Bundle')
        throw new FhirClientError('badResponse', 'batch entry did not return a Bundle')
    return entry.resource
}
