import { DataEngine, FetchError, type DataEngineLink } from '@dhis2/data-engine'

export interface RecordedRequest {
    type: string
    resource: string
    id?: string
    params?: Record<string, unknown>
    data?: unknown
}

type Handler = (request: RecordedRequest) => unknown

/**
 * A DataEngine whose link records each resolved request and answers from `handler`. Errors are
 * thrown as app-runtime's FetchError, shaped as RestAPILink shapes them.
 */
export function recordingEngine(handler: Handler) {
    const requests: RecordedRequest[] = []
    const link: DataEngineLink = {
        executeResourceQuery: async (type, query) => {
            const request: RecordedRequest = {
                type,
                resource: query.resource,
                ...(query.id !== undefined ? { id: query.id } : {}),
                ...(query.params !== undefined ? { params: query.params } : {}),
                ...(query.data !== undefined ? { data: query.data } : {}),
            }
            requests.push(request)
            return handler(request) as never
        },
    }
    return { engine: new DataEngine(link), requests }
}

export function httpError(status: number, body: Record<string, unknown> = {}): FetchError {
    if (status === 401 || status === 403 || status === 409) {
        return new FetchError({
            type: 'access',
            message: String(body.message ?? 'Forbidden'),
            details: body,
        })
    }
    return new FetchError({
        type: 'unknown',
        message: `An unknown error occurred - (${status})`,
        details: { httpStatusCode: status, ...body },
    })
}

/** An in-memory DHIS2 datastore behind the engine (GET keys, GET/POST/PUT/DELETE key). PUT arrives as 'replace'. */
export function datastoreEngine(namespace: string) {
    const store = new Map<string, unknown>()
    const prefix = `dataStore/${namespace}`
    const recorded = recordingEngine((request) => {
        const key = request.id ?? request.resource.slice(prefix.length + 1)
        if (request.type === 'read' && request.resource === prefix && request.id === undefined) {
            if (store.size === 0) throw httpError(404, { message: 'Namespace not found' })
            return [...store.keys()]
        }
        if (request.type === 'read') {
            if (!store.has(key)) throw httpError(404)
            return structuredClone(store.get(key))
        }
        if (request.type === 'create') {
            if (store.has(key)) throw httpError(409, { message: 'Key already exists' })
            store.set(key, structuredClone(request.data))
            return { httpStatus: 'Created' }
        }
        if (request.type === 'replace' || request.type === 'update') {
            if (!store.has(key)) throw httpError(404)
            store.set(key, structuredClone(request.data))
            return { httpStatus: 'OK' }
        }
        if (request.type === 'delete') {
            if (!store.delete(key)) throw httpError(404)
            return { httpStatus: 'OK' }
        }
        throw new Error(`unexpected ${request.type} ${request.resource}`)
    })
    return { ...recorded, store }
}
