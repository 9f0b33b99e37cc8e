import './websocket-shim'
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import type { AddressInfo } from 'node:net'

import { allOk, getStatus, isOk } from '@medplum/core'
import type { FhirResponse, FhirRouter, HttpMethod } from '@medplum/fhir-router'
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes'
import Fastify from 'fastify'
import type { FastifyReply, FastifyRequest } from 'fastify'

import { dataDir } from '../common/data-dir'
import { explainListenError, portOf } from '../common/ports'
import { capabilityStatement } from './capability'
import {
    assertPinnedMedplum,
    loadDefinitions,
    patientCompartment,
    resourceTypes,
} from './definitions'
import { Journal } from './journal'
import { buildRouter } from './routes'
import { FhirStore } from './store'

export interface FhirServerOptions {
    /** Port to listen on; 0 picks a free one. Default FHIR_PORT or 8090. */
    port?: number
    /** Interface to listen on. Default `localhost`. */
    host?: string
    /** Where the journal lives. Default dataDir('fhir') (ANC_DATA_DIR or <repo>/.data/fhir). */
    dataDir?: string
    /** Base URL written into links, fullUrl and Location. Default http://localhost:<port>/fhir. */
    publicBaseUrl?: string
    /** When set, every request needs these HTTP Basic credentials (the DHIS2 route sends them). */
    basicAuth?: { user: string; password: string }
    /** Page size of a search without _count. Default 20, like HAPI. */
    defaultPageSize?: number
    /** Largest page a client can ask for. Default 1000. */
    maxPageSize?: number
    /** Fastify request logging. Default off. */
    logger?: boolean
}

export interface RunningFhirServer {
    /** Base URL of the FHIR API, e.g. http://localhost:8090/fhir */
    url: string
    port: number
    close: () => Promise<void>
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8'
const PREFIX = '/fhir'

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

/** One request at a time: a transaction runs entry by entry and must not interleave with others. */
class Mutex {
    private tail: Promise<unknown> = Promise.resolve()

    run<T>(task: () => Promise<T>): Promise<T> {
        const result = this.tail.then(task)
        this.tail = result.catch(() => undefined)
        return result
    }
}

function outcome(
    severity: 'error' | 'information',
    code: IssueType,
    text: string
): OperationOutcome {
    return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics: text }] }
}

function invalid(text: string): OperationOutcome {
    return outcome('error', 'invalid', text)
}

type IssueType = NonNullable<OperationOutcome['issue']>[number]['code']

/** Error outcomes without Medplum's internal ids (HAPI's carry none). */
function publicOutcome(value: OperationOutcome): OperationOutcome {
    const { id: _id, ...rest } = value
    return rest
}

/** Starts the FHIR R4 stand-in: replays the journal, then listens. */
export async function startFhir(options: FhirServerOptions = {}): Promise<RunningFhirServer> {
    assertPinnedMedplum()
    loadDefinitions()
    const types = resourceTypes()
    const knownTypes = new Set(types)
    const store = new FhirStore()
    const { journal, records } = await Journal.open(options.dataDir ?? dataDir('fhir'))
    try {
        for (const writes of records) {
            await store.replay(writes)
        }
    } catch (error) {
        await journal.close()
        throw error
    }

    const credentials = options.basicAuth
        ? createHash('sha256')
              .update(`${options.basicAuth.user}:${options.basicAuth.password}`)
              .digest()
        : undefined

    const app = Fastify({ logger: options.logger ?? false, bodyLimit: 64 * 1024 * 1024 })
    app.removeAllContentTypeParsers()
    app.addContentTypeParser(
        ['application/fhir+json', 'application/json', 'application/json-patch+json'],
        { parseAs: 'string' },
        (_request, body, done) => {
            const text = body as string
            if (text.trim() === '') {
                done(null, undefined)
                return
            }
            try {
                done(null, JSON.parse(text))
            } catch {
                done(
                    Object.assign(new Error('Failed to parse request body as JSON'), {
                        statusCode: 400,
                    }),
                    undefined
                )
            }
        }
    )
    app.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) => {
            const form: Record<string, string[]> = {}
            for (const [key, value] of new URLSearchParams(body as string)) {
                ;(form[key] ??= []).push(value)
            }
            done(null, form)
        }
    )

    const send = (reply: FastifyReply, status: number, body: unknown): FastifyReply =>
        reply.code(status).header('content-type', FHIR_JSON).send(JSON.stringify(body))

    app.setErrorHandler(
        (error: Error & { statusCode?: number; code?: string }, _request, reply) => {
            const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
            const code =
                status === 415
                    ? 'not-supported'
                    : status === 413
                      ? 'too-costly'
                      : status < 500
                        ? 'invalid'
                        : 'exception'
            return send(reply, status, outcome('error', code, error.message))
        }
    )
    app.setNotFoundHandler((request, reply) =>
        send(
            reply,
            404,
            outcome('error', 'not-found', `No FHIR endpoint at ${request.method} ${request.url}`)
        )
    )

    app.addHook('onRequest', async (request, reply) => {
        if (!credentials) {
            return
        }
        const header = request.headers.authorization ?? ''
        const match = /^Basic\s+(.+)$/i.exec(header)
        const given = createHash('sha256')
            .update(match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '')
            .digest()
        if (!match || !timingSafeEqual(given, credentials)) {
            reply.header('www-authenticate', 'Basic realm="fhir", charset="UTF-8"')
            return send(reply, 401, outcome('error', 'login', 'Authentication required'))
        }
    })

    const mutex = new Mutex()
    // Known once the port is: links, fullUrl and Location carry this server's absolute base.
    const live: { router?: FhirRouter; baseUrl: string } = { baseUrl: '' }

    const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
        const activeRouter = live.router
        const baseUrl = live.baseUrl
        if (!activeRouter) {
            return send(reply, 503, outcome('error', 'transient', 'Starting'))
        }
        const relative = (request.raw.url ?? '').slice(PREFIX.length).replace(/^\/+/, '')
        const path = relative.split('?')[0] ?? ''
        const segments = path.split('/').filter(Boolean)
        const first = segments[0]
        const method = request.method as HttpMethod
        if (first && !knownTypes.has(first) && first !== 'metadata') {
            return send(
                reply,
                404,
                outcome('error', 'not-found', `Unknown resource type "${first}"`)
            )
        }
        const invalidBody = checkBody(method, segments, request.body)
        if (invalidBody) {
            return send(reply, 400, outcome('error', 'invalid', invalidBody))
        }
        const body = request.body as Resource | undefined
        const isBundlePost = method === 'POST' && segments.length === 0
        const prefer = String(request.headers.prefer ?? '')

        const [result, status] = await mutex.run(async () => {
            store.begin()
            let response: FhirResponse
            try {
                response =
                    isBundlePost && (body as Bundle).type === 'transaction'
                        ? await runTransaction(activeRouter, store, body as Bundle, request)
                        : await activeRouter.handleRequest(
                              {
                                  method,
                                  url: relative,
                                  pathname: '',
                                  body,
                                  params: {},
                                  query: {},
                                  headers: request.headers,
                                  config: {},
                              },
                              store
                          )
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
        })

        const [resultOutcome, resource] = result
        if (!isOk(resultOutcome) || !resource) {
            return send(reply, status, publicOutcome(resultOutcome))
        }
        if (isBundlePost && resource.resourceType === 'Bundle') {
            const representation = /return=representation/.test(prefer)
            return send(
                reply,
                200,
                bundleResponse(body as Bundle, resource as Bundle, baseUrl, representation)
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
                if (method === 'PUT' && resource.meta.versionId === '1') {
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
        return send(reply, finalStatus, resource)
    }

    app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: PREFIX, handler: handle })
    app.route({
        method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        url: `${PREFIX}/*`,
        handler: handle,
    })

    const port = options.port ?? portOf('fhir')
    try {
        await app.listen({ port, host: options.host ?? 'localhost' })
    } catch (error) {
        await journal.close()
        throw explainListenError('fhir', port, error)
    }
    const actualPort = (app.server.address() as AddressInfo).port
    const url = `http://localhost:${actualPort}${PREFIX}`
    const baseUrl = (options.publicBaseUrl ?? url).replace(/\/+$/, '')
    live.baseUrl = baseUrl
    live.router = buildRouter(store, {
        baseUrl,
        defaultPageSize: options.defaultPageSize ?? 20,
        maxPageSize: options.maxPageSize ?? 1000,
        patientCompartment: patientCompartment(),
        capabilityStatement: capabilityStatement(baseUrl, types, new Date().toISOString()),
    })

    return {
        url,
        port: actualPort,
        close: async () => {
            await app.close()
            // Let a write in flight finish before the journal closes.
            await mutex.run(async () => undefined)
            await journal.close()
        },
    }
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

/**
 * A transaction, all or nothing. Medplum's own transaction mode neither rolls back nor accepts
 * more than 8 conditional entries, so the bundle runs with batch semantics (same ordering and
 * urn:uuid rewriting) inside the store's undo log, and the first failed entry fails the whole.
 */
async function runTransaction(
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
function bundleResponse(
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
