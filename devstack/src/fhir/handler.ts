import { getStatus, isOk } from '@medplum/core'
import type { FhirResponse, FhirRouter, HttpMethod } from '@medplum/fhir-router'
import type { Bundle, Resource } from '@medplum/fhirtypes'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendFhir } from './http'
import type { Journal } from './journal'
import { requestRefusal } from './nehr'
import { outcome, publicOutcome } from './outcomes'
import { type FhirProfile, isHapi } from './profile'
import type { StandInRequestConfig } from './routes'
import type { FhirStore } from './store'
import { bundleResponse, hapiIfMatch, runTransaction } from './transaction'

export const PREFIX = '/fhir'

/** One request at a time: a transaction runs entry by entry and must not interleave with others. */
export class Mutex {
    private tail: Promise<unknown> = Promise.resolve()

    run<T>(task: () => Promise<T>): Promise<T> {
        const result = this.tail.then(task)
        this.tail = result.catch(() => undefined)
        return result
    }
}

export interface HandlerDeps {
    store: FhirStore
    journal: Journal
    mutex: Mutex
    knownTypes: Set<string>
    /** The HAPI FHIR version reproduced: branch on this where versions differ. */
    profile: FhirProfile
    /** Known once the port is: links, fullUrl and Location carry this server's absolute base. */
    live: { router?: FhirRouter; baseUrl: string }
}

/**
 * The FHIR API under `/fhir`: checks the type and body, runs the request through the router
 * (a transaction all or nothing) inside the store's undo log, journals what it changed before
 * answering, and answers as HAPI does (ETag, Last-Modified, Location, Prefer).
 */
export function fhirRequestHandler(deps: HandlerDeps) {
    return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
        const activeRouter = deps.live.router
        const baseUrl = deps.live.baseUrl
        if (!activeRouter) {
            return sendFhir(reply, 503, outcome('error', 'transient', 'Starting'))
        }
        const relative = (request.raw.url ?? '').slice(PREFIX.length).replace(/^\/+/, '')
        const path = relative.split('?')[0] ?? ''
        const segments = path.split('/').filter(Boolean)
        const first = segments[0]
        const method = request.method as HttpMethod
        if (first && !deps.knownTypes.has(first) && first !== 'metadata') {
            return sendFhir(
                reply,
                404,
                outcome('error', 'not-found', `Unknown resource type "${first}"`)
            )
        }
        const invalidBody = checkBody(method, segments, request.body)
        if (invalidBody) {
            return sendFhir(reply, 400, outcome('error', 'invalid', invalidBody))
        }
        const body = request.body as Resource | undefined
        const isBundlePost = method === 'POST' && segments.length === 0
        const prefer = String(request.headers.prefer ?? '')
        const hapi = isHapi(deps.profile)
        if (deps.profile.nehrValidation === 'request' && (method === 'POST' || method === 'PUT')) {
            const refusal = requestRefusal(body)
            if (refusal) {
                return sendFhir(reply, 422, publicOutcome(refusal))
            }
        }
        const headers = hapi ? withHapiIfMatch(request.headers) : request.headers
        // Sub-requests of a batch inherit the batch request's headers, Cache-Control included
        // (hapi-fhir-server ServletSubRequestDetails); Medplum gives them only If-* headers.
        const config: StandInRequestConfig = {
            cacheControl: singleHeader(request.headers['cache-control']),
        }

        const [result, status] = await deps.mutex.run(() =>
            runInUndoLog(deps, async () =>
                isBundlePost && (body as Bundle).type === 'transaction'
                    ? runTransaction(activeRouter, deps.store, body as Bundle, {
                          headers,
                          config,
                          hapi,
                      })
                    : activeRouter.handleRequest(
                          {
                              method,
                              url: relative,
                              pathname: '',
                              body,
                              params: {},
                              query: {},
                              headers,
                              config,
                          },
                          deps.store
                      )
            )
        )

        const [resultOutcome, resource] = result
        if (!isOk(resultOutcome) || !resource) {
            return sendFhir(reply, status, publicOutcome(resultOutcome))
        }
        if (isBundlePost && resource.resourceType === 'Bundle') {
            const representation = /return=representation/.test(prefer)
            return sendFhir(
                reply,
                200,
                bundleResponse(body as Bundle, resource as Bundle, {
                    baseUrl,
                    representation,
                    created: (type, id) => deps.store.createdInRequest(type, id),
                })
            )
        }
        const isWrite = method === 'PUT' || method === 'POST' || method === 'PATCH'
        const isSearch = resource.resourceType === 'Bundle' && path !== '' && !isWrite
        let finalStatus = status
        if (!isSearch && resource.meta?.versionId && resource.resourceType !== 'OperationOutcome') {
            reply.header('etag', `W/"${resource.meta.versionId}"`)
            if (resource.meta.lastUpdated) {
                reply.header('last-modified', new Date(resource.meta.lastUpdated).toUTCString())
            }
            if (isWrite && segments[1] !== '_search') {
                const created = hapi
                    ? deps.store.createdInRequest(resource.resourceType, resource.id ?? '')
                    : resource.meta.versionId === '1'
                if (method === 'PUT' && created) {
                    finalStatus = 201
                }
                if (finalStatus === 201) {
                    reply.header(
                        'location',
                        `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`
                    )
                }
                if (/return=minimal/.test(prefer)) {
                    return reply.code(finalStatus).send()
                }
            }
        }
        return sendFhir(reply, finalStatus, resource)
    }
}

/**
 * Runs one request's work inside the store's undo log: a failed or refused request leaves
 * nothing behind; what a successful one changed is in the journal before it is answered.
 */
async function runInUndoLog(
    { store, journal }: HandlerDeps,
    work: () => Promise<FhirResponse>
): Promise<readonly [FhirResponse, number]> {
    store.begin()
    let response: FhirResponse
    try {
        response = await work()
    } catch (error) {
        store.rollback()
        throw error
    }
    if (!isOk(response[0])) {
        store.rollback()
        return [response, getStatus(response[0])] as const
    }
    try {
        await journal.append(store.commit())
    } catch (error) {
        store.rollback()
        throw error
    }
    return [response, getStatus(response[0])] as const
}

function singleHeader(value: string | string[] | undefined): string | undefined {
    return Array.isArray(value) ? value.join(', ') : value
}

function withHapiIfMatch(headers: FastifyRequest['headers']): FastifyRequest['headers'] {
    const ifMatch = singleHeader(headers['if-match'])
    return ifMatch ? { ...headers, 'if-match': hapiIfMatch(ifMatch) } : headers
}

/** A reason to refuse the body before it reaches the router, or undefined. */
function checkBody(method: HttpMethod, segments: string[], body: unknown): string | undefined {
    const isObject = typeof body === 'object' && body !== null && !Array.isArray(body)
    const resourceType = isObject ? (body as { resourceType?: unknown }).resourceType : undefined
    if (method === 'POST' && segments.length === 0) {
        if (resourceType !== 'Bundle') {
            return 'Expected a Bundle of type batch or transaction'
        }
        const type = (body as Bundle).type
        return type === 'batch' || type === 'transaction'
            ? undefined
            : `Unsupported Bundle type "${type}"`
    }
    const isOperation = segments.some((segment) => segment.startsWith('$') || segment === '_search')
    if (
        (method === 'POST' || method === 'PUT') &&
        !isOperation &&
        typeof resourceType !== 'string'
    ) {
        return 'The request body must be a FHIR resource with a resourceType'
    }
    if (method === 'PATCH' && !Array.isArray(body) && resourceType !== 'Parameters') {
        return 'A PATCH body must be a JSON Patch array or a FHIRPath Patch Parameters resource'
    }
    return undefined
}
