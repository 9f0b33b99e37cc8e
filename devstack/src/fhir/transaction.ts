import { randomUUID } from 'node:crypto'
import { allOk, isOk } from '@medplum/core'
import type { FhirResponse, FhirRouter } from '@medplum/fhir-router'
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes'
import type { FastifyRequest } from 'fastify'
import { invalid, publicOutcome } from './outcomes'
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
    bundle: Bundle,
    request: FastifyRequest
): Promise<FhirResponse> {
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
    const response = await router.handleRequest(
        {
            method: 'POST',
            url: '',
            pathname: '',
            body: bundle,
            params: {},
            query: {},
            headers: request.headers,
            config: { transactions: false },
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
                        ...(failed?.issue ?? []).map(({ severity, code, details, expression }) => ({
                            severity,
                            code,
                            ...(details ? { details } : {}),
                            ...(expression ? { expression } : {}),
                        })),
                        { severity: 'error', code: 'processing', diagnostics: text },
                    ],
                },
            ]
        }
    }
    return response
}

/** batch-/transaction-response entries as HAPI writes them: "201 Created", versioned locations. */
export function bundleResponse(
    requested: Bundle,
    bundle: Bundle,
    baseUrl: string,
    representation: boolean
): Bundle {
    const entry = (bundle.entry ?? []).map((entry, index): BundleEntry => {
        const response = entry.response
        if (!response) {
            return entry
        }
        const code = Number.parseInt(response.status, 10)
        const resource = entry.resource
        const method = requested.entry?.[index]?.request?.method
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
