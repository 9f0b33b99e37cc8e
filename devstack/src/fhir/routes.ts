import './websocket-shim'
import { randomUUID } from 'node:crypto'

import { allOk, badRequest, OperationOutcomeError, parseSearchRequest } from '@medplum/core'
import type { SearchRequest } from '@medplum/core'
import { FhirRouter } from '@medplum/fhir-router'
import type { FhirRequest, FhirRouteHandler } from '@medplum/fhir-router'
import type {
    Bundle,
    BundleEntry,
    BundleLink,
    CapabilityStatement,
    Resource,
} from '@medplum/fhirtypes'

import { searchParametersOf } from './definitions'
import type { FhirProfile } from './profile'
import type { FhirStore } from './store'

export interface RouteSettings {
    /** Absolute base of this server, e.g. http://localhost:8090/fhir: used in links and fullUrl. */
    baseUrl: string
    /** Page size when a search has no _count (HAPI's default is 20). */
    defaultPageSize: number
    /** Largest _count honoured; larger values are lowered to it, as HAPI does. */
    maxPageSize: number
    /** Resource types of the Patient compartment and their parameters. */
    patientCompartment: Map<string, string[]>
    capabilityStatement: CapabilityStatement
    /** The HAPI FHIR version reproduced: branch on this where versions differ. */
    profile: FhirProfile
}

/** Search result parameters (not filters) a HAPI server accepts on a type search. */
const RESULT_PARAMETERS = new Set([
    '_sort',
    '_count',
    '_offset',
    '_include',
    '_revinclude',
    '_summary',
    '_elements',
    '_total',
    '_format',
    '_pretty',
])

const EVERYTHING_PARAMETERS = new Set(['_count', '_offset', '_type', '_format', '_pretty'])

type Query = Record<string, string | string[] | undefined>

/**
 * Medplum's router with the parts a HAPI client relies on replaced or added: searches validate
 * their parameters (400 for unknown ones), page with a default _count and absolute Bundle.link
 * URLs; Patient/$everything and /metadata exist. Batch entries go through the same handlers.
 */
export function buildRouter(store: FhirStore, settings: RouteSettings): FhirRouter {
    const router = new FhirRouter()
    const search = searchHandler(settings)
    for (const route of router.router.routes) {
        const path = route.path
            .map((segment) => (segment.param ? `:${segment.value}` : segment.value))
            .join('/')
        if (
            (route.method === 'GET' && path === ':resourceType') ||
            (route.method === 'POST' && path === ':resourceType/_search')
        ) {
            route.handler = search
        }
    }
    router.add('GET', 'Patient/:id/$everything', everythingHandler(store, settings), 'operation')
    router.add('GET', 'metadata', async () => [allOk, settings.capabilityStatement], 'operation')
    return router
}

function searchHandler(settings: RouteSettings): FhirRouteHandler {
    return async (req, repo) => {
        const resourceType = req.params.resourceType as string
        const pairs = queryPairs(req)
        const parameters = searchParametersOf(resourceType)
        for (const [key] of pairs) {
            const code = key.split(':')[0]?.split('.')[0] ?? key
            if (RESULT_PARAMETERS.has(code)) {
                continue
            }
            if (code === '_has') {
                throw new OperationOutcomeError(
                    badRequest('_has (reverse chaining) is not supported by this server')
                )
            }
            if (!parameters[code]) {
                throw new OperationOutcomeError(
                    badRequest(
                        `Unknown search parameter "${code}" for resource type "${resourceType}". Valid search ` +
                            `parameters for this search are: [${Object.keys(parameters).sort().join(', ')}]`
                    )
                )
            }
        }
        const request = parseSearchRequest(resourceType as Resource['resourceType'], toQuery(pairs))
        checkResultParameters(request, parameters)
        const { count, offset } = pageOf(request.count, request.offset, settings)
        request.count = count
        request.offset = offset
        const result = await repo.search(request)
        const entries = (result.entry ?? []) as BundleEntry[]
        return [
            allOk,
            searchset(settings, {
                path: resourceType,
                pairs,
                total: result.total ?? entries.length,
                count,
                offset,
                entries,
            }),
        ]
    }
}

function everythingHandler(store: FhirStore, settings: RouteSettings): FhirRouteHandler {
    return async (req) => {
        const id = req.params.id as string
        const pairs = queryPairs(req)
        for (const [key] of pairs) {
            if (!EVERYTHING_PARAMETERS.has(key)) {
                throw new OperationOutcomeError(
                    badRequest(`Unsupported parameter "${key}" for Patient/$everything`)
                )
            }
        }
        const query: Query = toQuery(pairs)
        const patient = await store.readResource<Resource>('Patient', id)
        const typeList = [query._type ?? []].flat()
        const types = typeList.length
            ? new Set(typeList.flatMap((value) => value.split(',')))
            : undefined
        const members = store
            .compartmentOf(id, settings.patientCompartment)
            .sort(
                (a, b) =>
                    a.resourceType.localeCompare(b.resourceType) ||
                    (a.meta?.lastUpdated ?? '').localeCompare(b.meta?.lastUpdated ?? '') ||
                    a.id.localeCompare(b.id)
            )
        const all = [patient, ...members].filter(
            (resource) => !types || types.has(resource.resourceType)
        )
        const { count, offset } = pageOf(
            integer(query._count, '_count'),
            integer(query._offset, '_offset'),
            settings
        )
        const entries: BundleEntry[] = all
            .slice(offset, offset + count)
            .map((resource) => ({ resource, search: { mode: 'match' } }))
        return [
            allOk,
            searchset(settings, {
                path: `Patient/${id}/$everything`,
                pairs,
                total: all.length,
                count,
                offset,
                entries,
            }),
        ]
    }
}

/** Query parameters of a search; for POST _search also the form body (HAPI reads both). */
function queryPairs(req: FhirRequest): [string, string][] {
    const pairs: [string, string][] = []
    const seen = new Set<string>()
    const add = (source: Query | undefined): void => {
        for (const [key, value] of Object.entries(source ?? {})) {
            for (const item of Array.isArray(value) ? value : [value ?? '']) {
                // A DHIS2 route copies form fields into the query string as well: count them once.
                const id = `${key}\0${item}`
                if (!seen.has(id)) {
                    seen.add(id)
                    pairs.push([key, item])
                }
            }
        }
    }
    add(req.query)
    if (
        req.method === 'POST' &&
        req.body &&
        typeof req.body === 'object' &&
        !('resourceType' in req.body)
    ) {
        add(req.body as Query)
    }
    return pairs
}

function toQuery(pairs: [string, string][]): Record<string, string[]> {
    const query: Record<string, string[]> = {}
    for (const [key, value] of pairs) {
        ;(query[key] ??= []).push(value)
    }
    return query
}

function checkResultParameters(request: SearchRequest, parameters: Record<string, unknown>): void {
    for (const rule of request.sortRules ?? []) {
        if (!parameters[rule.code]) {
            throw new OperationOutcomeError(
                badRequest(
                    `Unknown _sort parameter value "${rule.code}" for resource type "${request.resourceType}"`
                )
            )
        }
    }
    for (const target of [...(request.include ?? []), ...(request.revInclude ?? [])]) {
        if (
            target.searchParam !== '*' &&
            !searchParametersOf(target.resourceType)[target.searchParam]
        ) {
            throw new OperationOutcomeError(
                badRequest(
                    `Invalid _include/_revinclude value "${target.resourceType}:${target.searchParam}"`
                )
            )
        }
    }
    if (request.count !== undefined && (!Number.isInteger(request.count) || request.count < 0)) {
        throw new OperationOutcomeError(badRequest('_count must be a non-negative integer'))
    }
    if (request.offset !== undefined && (!Number.isInteger(request.offset) || request.offset < 0)) {
        throw new OperationOutcomeError(badRequest('_offset must be a non-negative integer'))
    }
}

function integer(value: string | string[] | undefined, name: string): number | undefined {
    const text = Array.isArray(value) ? value.at(-1) : value
    if (text === undefined) {
        return undefined
    }
    const number = Number(text)
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(number)) {
        throw new OperationOutcomeError(badRequest(`${name} must be a non-negative integer`))
    }
    return number
}

function pageOf(
    count: number | undefined,
    offset: number | undefined,
    settings: RouteSettings
): { count: number; offset: number } {
    return {
        count: Math.min(count ?? settings.defaultPageSize, settings.maxPageSize),
        offset: offset ?? 0,
    }
}

interface Page {
    path: string
    pairs: [string, string][]
    total: number
    count: number
    offset: number
    entries: BundleEntry[]
}

/** A searchset Bundle with total, fullUrls and self/next/previous links on this server. */
function searchset(settings: RouteSettings, page: Page): Bundle {
    const link = (relation: string, offset: number): BundleLink => {
        const params = new URLSearchParams()
        for (const [key, value] of page.pairs) {
            if (key !== '_count' && key !== '_offset') {
                params.append(key, value)
            }
        }
        params.set('_count', String(page.count))
        if (offset > 0) {
            params.set('_offset', String(offset))
        }
        return { relation, url: `${settings.baseUrl}/${page.path}?${params.toString()}` }
    }
    const links = [link('self', page.offset)]
    if (page.count > 0 && page.offset + page.count < page.total) {
        links.push(link('next', page.offset + page.count))
    }
    if (page.offset > 0 && page.count > 0) {
        links.push(link('previous', Math.max(0, page.offset - page.count)))
    }
    return {
        resourceType: 'Bundle',
        id: randomUUID(),
        meta: { lastUpdated: new Date().toISOString() },
        type: 'searchset',
        total: page.total,
        link: links,
        ...(page.entries.length
            ? {
                  entry: page.entries.map((entry) => ({
                      fullUrl: `${settings.baseUrl}/${entry.resource?.resourceType}/${entry.resource?.id}`,
                      ...entry,
                  })),
              }
            : {}),
    }
}
