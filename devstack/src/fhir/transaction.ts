import { randomUUID } from 'node:crypto'
import {
    allOk,
    isOk,
    matchesSearchRequest,
    OperationOutcomeError,
    parseSearchRequest,
} from '@medplum/core'
import type { FhirResponse, FhirRouter } from '@medplum/fhir-router'
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes'
import type { IncomingHttpHeaders } from 'node:http'
import { exactTokenFilters, matchesTokenExactly } from './exact-tokens'
import { invalid, publicOutcome } from './outcomes'
import type { StandInRequestConfig } from './routes'
import type { FhirStore } from './store'

const STATUS_TEXT: Record<number, string> = {
    200: 'OK',
    201: 'Created',
    204: 'No Content',
    400: 'Bad Request',
    401: 'Unauthorized',
    404: 'Not Found',
    409: 'Conflict',
    410: 'Gone',
    412: 'Precondition Failed',
    422: 'Unprocessable Entity',
    500: 'Internal Server Error',
}

/**
 * A transaction, all or nothing. Medplum's own transaction mode neither rolls back nor accepts
 * more than 8 conditional entries, so the bundle runs with batch semantics (same ordering and
 * urn:uuid rewriting) inside the store's undo log, and the first failed entry fails the whole.
 */
export async function runTransaction(
    router: FhirRouter,
    store: FhirStore,
    requested: Bundle,
    request: { headers: IncomingHttpHeaders; config: StandInRequestConfig; hapi: boolean }
): Promise<FhirResponse> {
    const bundle = request.hapi ? withHapiIfMatches(requested) : requested
    const entries = bundle.entry ?? []
    if (entries.length === 0) {
        return [allOk, { resourceType: 'Bundle', type: 'transaction-response', entry: [] }]
    }
    const fullUrls = new Set<string>()
    const conditions = new Set<string>()
    for (const entry of entries) {
        if (entry.fullUrl) {
            if (fullUrls.has(entry.fullUrl)) {
                return [invalid(`Duplicate fullUrl in transaction: ${entry.fullUrl}`)]
            }
            fullUrls.add(entry.fullUrl)
        }
        // Two entries with one condition would both miss and create twice: refuse instead of
        // silently duplicating a record.
        const { method, url = '', ifNoneExist } = entry.request ?? {}
        let condition: string | undefined
        if (method === 'PUT' && url.includes('?')) {
            condition = url
        } else if (method === 'POST' && ifNoneExist) {
            condition = `${url}?${ifNoneExist}`
        }
        if (condition) {
            if (conditions.has(condition)) {
                return [invalid(`Two entries of the transaction share the condition ${condition}`)]
            }
            conditions.add(condition)
        }
    }
    if (request.hapi) {
        const refused = await refuseConditionalEntries(store, entries)
        if (refused) {
            return [refused]
        }
    }
    if (request.hapi) {
        store.deferReferenceChecks()
    }
    const response = await router.handleRequest(
        {
            method: 'POST',
            url: '',
            pathname: '',
            body: bundle,
            params: {},
            query: {},
            headers: request.headers,
            config: { ...request.config, transactions: false },
        },
        store
    )
    const [result, resource] = response
    if (!isOk(result) || resource?.resourceType !== 'Bundle') {
        return response
    }
    const results = (resource as Bundle).entry ?? []
    for (let i = 0; i < entries.length; i++) {
        const status = results[i]?.response?.status ?? '500'
        if (!status.startsWith('2')) {
            const failed = results[i]?.response?.outcome
            const detail = failed?.issue
                ?.map((issue) => issue.details?.text ?? issue.diagnostics)
                .filter(Boolean)
                .join('; ')
            const entryRequest = entries[i]?.request
            const text =
                `Transaction failed at entry ${i} (${entryRequest?.method} ${entryRequest?.url}): ` +
                (detail || `status ${status}`) +
                '. Nothing in the transaction was applied.'
            return [
                {
                    resourceType: 'OperationOutcome',
                    // Same id as the entry's outcome, so the whole request gets the entry's status.
                    ...(failed?.id ? { id: failed.id } : {}),
                    issue: [
                        ...(failed?.issue ?? []).map(
                            ({ severity, code, details, diagnostics, expression }) => ({
                                severity,
                                code,
                                ...(details ? { details } : {}),
                                ...(diagnostics ? { diagnostics } : {}),
                                ...(expression ? { expression } : {}),
                            })
                        ),
                        { severity: 'error', code: 'processing', diagnostics: text },
                    ],
                },
            ]
        }
    }
    if (request.hapi) {
        try {
            store.finishDeferredReferenceChecks()
        } catch (error) {
            if (error instanceof OperationOutcomeError) {
                return [error.outcome]
            }
            throw error
        }
    }
    return response
}

/**
 * Conditional entries HAPI refuses before writing anything, with 412: a condition that matches
 * several resources ("HAPI-0988: Failed to UPDATE ... because this search matched N resources",
 * hapi-fhir-jpaserver-base `BaseHapiFhirResourceDao.doUpdate`; Medplum answers 400), and a body
 * its own condition does not match ("HAPI-0539: Invalid conditional URL ... The given resource
 * is not matched by this URL.", hapi-fhir-storage `BaseTransactionProcessor`).
 */
async function refuseConditionalEntries(
    store: FhirStore,
    entries: BundleEntry[]
): Promise<OperationOutcome | undefined> {
    for (const [index, entry] of entries.entries()) {
        const { method, url = '' } = entry.request ?? {}
        if (method !== 'PUT' || !url.includes('?')) {
            continue
        }
        const search = parseSearchRequest(url)
        const matches = await store.searchResources({ ...search, count: 2, offset: 0 })
        let text: string | undefined
        if (matches.length > 1) {
            text = `HAPI-0988: Failed to UPDATE ${search.resourceType} resource with match URL "${url}" because this search matched ${matches.length} resources`
        } else if (
            entry.resource &&
            !(
                matchesSearchRequest(entry.resource, search) &&
                exactTokenFilters(search).every((filter) =>
                    matchesTokenExactly(entry.resource as Resource, filter)
                )
            )
        ) {
            text = `HAPI-0539: Invalid conditional URL "${url}". The given resource is not matched by this URL.`
        }
        if (text) {
            return {
                resourceType: 'OperationOutcome',
                id: 'precondition-failed',
                issue: [
                    {
                        severity: 'error',
                        code: 'processing',
                        diagnostics: `${text} (transaction entry ${index})`,
                    },
                ],
            }
        }
    }
    return undefined
}

/** A copy of the bundle whose entries' `ifMatch` read as HAPI reads them (see hapiIfMatch). */
function withHapiIfMatches(bundle: Bundle): Bundle {
    return {
        ...bundle,
        entry: (bundle.entry ?? []).map((entry) =>
            entry.request?.ifMatch
                ? {
                      ...entry,
                      request: { ...entry.request, ifMatch: hapiIfMatch(entry.request.ifMatch) },
                  }
                : entry
        ),
    }
}

/**
 * HAPI reads If-Match as `W/"3"`, `"3"` or a bare `3` (hapi-fhir-server `ParameterUtil
 * .parseETagValue`); Medplum only quoted forms and ignores a bare version, which would let a
 * stale write through. Normalised to `W/"3"`.
 */
export function hapiIfMatch(value: string): string {
    const match = /^\s*(?:W\/)?"?([^"\s]+)"?\s*$/.exec(value)
    return match ? `W/"${match[1]}"` : value
}

export interface BundleResponseOptions {
    baseUrl: string
    /** `Prefer: return=representation`: entries carry the resources written. */
    representation: boolean
    /** Whether the request created `Type/id` (a PUT that created answers 201). */
    created: (resourceType: string, id: string) => boolean
}

/** batch-/transaction-response entries as HAPI writes them: "201 Created", versioned locations. */
export function bundleResponse(
    requested: Bundle,
    bundle: Bundle,
    { baseUrl, representation, created }: BundleResponseOptions
): Bundle {
    const entry = (bundle.entry ?? []).map((entry, index): BundleEntry => {
        const response = entry.response
        if (!response) {
            return entry
        }
        const resource = entry.resource
        const method = requested.entry?.[index]?.request?.method
        let code = Number.parseInt(response.status, 10)
        if (
            code === 200 &&
            method === 'PUT' &&
            resource?.id &&
            created(resource.resourceType, resource.id)
        ) {
            code = 201
        }
        const isWrite = method !== 'GET' && resource?.meta?.versionId !== undefined
        const out: BundleEntry = {
            ...(resource && (!isWrite || representation)
                ? { fullUrl: fullUrlOf(baseUrl, resource), resource }
                : {}),
            response: {
                status: `${code} ${STATUS_TEXT[code] ?? ''}`.trim(),
                ...(isWrite && resource && code < 300
                    ? {
                          location: `${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId}`,
                          etag: `W/"${resource.meta?.versionId}"`,
                          ...(resource.meta?.lastUpdated
                              ? { lastModified: resource.meta.lastUpdated }
                              : {}),
                      }
                    : {}),
                ...(code >= 300 && response.outcome
                    ? { outcome: publicOutcome(response.outcome) }
                    : {}),
            },
        }
        return out
    })
    return {
        resourceType: 'Bundle',
        id: randomUUID(),
        type: bundle.type,
        link: [{ relation: 'self', url: baseUrl }],
        entry,
    }
}

function fullUrlOf(baseUrl: string, resource: Resource): string {
    return resource.resourceType === 'Bundle'
        ? baseUrl
        : `${baseUrl}/${resource.resourceType}/${resource.id}`
}
