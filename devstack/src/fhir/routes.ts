import './websocket-shim'
import { randomUUID } from 'node:crypto'

import { allOk, badRequest, OperationOutcomeError, parseSearchRequest } from '@medplum/core'
import type { IncludeTarget, SearchRequest, WithId } from '@medplum/core'
import {
    FhirRouter,
    getSearchIncludeEntries,
    getSearchRevIncludeEntries,
} from '@medplum/fhir-router'
import type {
    FhirRepository,
    FhirRequest,
    FhirRequestConfig,
    FhirRouteHandler,
} from '@medplum/fhir-router'
import type {
    Bundle,
    BundleEntry,
    BundleLink,
    CapabilityStatement,
    OperationOutcome,
    Resource,
} from '@medplum/fhirtypes'

import { searchParametersOf } from './definitions'
import { offsetLink, pagingLink, searchKey, type SearchCache, type StoredSearch } from './paging'
import { type FhirProfile, isHapi } from './profile'
import type { FhirStore } from './store'

/** What the stand-in passes to its route handlers beyond Medplum's settings. */
export type StandInRequestConfig = FhirRequestConfig & {
    /** The request's Cache-Control, which the sub-requests of a batch inherit too. */
    cacheControl?: string
}

export interface RouteSettings {
    /** Absolute base of this server, e.g. http://localhost:8090/fhir: used in links and fullUrl. */
    baseUrl: string
    /** Page size when a search has no _count (HAPI's default is 20). */
    defaultPageSize: number
    /** Largest _count honoured; larger values are lowered to it, as HAPI does. */
    maxPageSize: number
    /**
     * Included resources per page across every `_include` and `_revinclude`, the rest dropped
     * without a word (HAPI `JpaStorageSettings.DEFAULT_MAXIMUM_INCLUDES_TO_LOAD_PER_PAGE` 1000,
     * applied in `PersistedJpaBundleProvider` and `SynchronousSearchSvcImpl`: `_revinclude`
     * first, then `_include` with what is left).
     */
    maxIncludesPerPage: number
    /** HAPI's stored searches (`_getpages`), see paging.ts. */
    searches: SearchCache
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

/** Enough to take every match of a search (its pages are cut by the stand-in). */
const ALL = Number.MAX_SAFE_INTEGER

type Query = Record<string, string | string[] | undefined>

/**
 * Medplum's router with the parts a HAPI client relies on replaced or added: searches validate
 * their parameters (400 for unknown ones) and page as HAPI does (stored searches and
 * `_getpages` links in HAPI mode, offset links otherwise); Patient/$everything and /metadata
 * exist. Batch entries go through the same handlers.
 */
export function buildRouter(store: FhirStore, settings: RouteSettings): FhirRouter {
    const router = new FhirRouter()
    const search = searchHandler(store, settings)
    for (const route of router.router.routes) {
        const path = route.path
            .map((segment) => (segment.param ? `:${segment.value}` : segment.value))
            .join('/')
        if (
            (route.method === 'GET' && path === ':resourceType') ||
            (route.method === 'POST' && path === ':resourceType/_search')
        ) {
            route.handler = search
        } else if (route.method === 'GET' && path === '') {
            route.handler = pagesHandler(store, settings, route.handler)
        }
    }
    router.add('GET', 'Patient/:id/$everything', everythingHandler(store, settings), 'operation')
    router.add('GET', 'metadata', async () => [allOk, settings.capabilityStatement], 'operation')
    return router
}

/** The Cache-Control directives HAPI honours on a search (`CacheControlDirective`). */
function cacheControlOf(req: FhirRequest): { noCache: boolean; noStore: boolean } {
    const header =
        req.headers?.['cache-control'] ?? (req.config as StandInRequestConfig)?.cacheControl
    const value = Array.isArray(header) ? header.join(',') : (header ?? '')
    return { noCache: /\bno-cache\b/i.test(value), noStore: /\bno-store\b/i.test(value) }
}

function searchHandler(store: FhirStore, settings: RouteSettings): FhirRouteHandler {
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
        const { noCache, noStore } = cacheControlOf(req)
        const matchesOnly: SearchRequest = { ...request, include: undefined, revInclude: undefined }

        if (!isHapi(settings.profile) || request.offset !== undefined || noStore) {
            // Synchronous: this page only, offset links, nothing stored.
            const result = await repo.search({ ...matchesOnly, count, offset })
            const matches = (result.entry ?? []).map((entry) => entry.resource as WithId<Resource>)
            const total = result.total ?? matches.length
            const links = offsetLinks(settings, resourceType, pairs, { offset, count, total })
            const included = await includesOf(store, request, matches, includeCap(settings))
            return [allOk, searchset(settings, { id: undefined, total, links, matches, included })]
        }

        const key = searchKey(resourceType, pairs)
        let stored = noCache ? undefined : settings.searches.reusable(key)
        if (!stored) {
            const result = await repo.search({ ...matchesOnly, count: ALL, offset: 0 })
            stored = settings.searches.store({
                key,
                matches: (result.entry ?? []).map(
                    (entry) => `${entry.resource?.resourceType}/${entry.resource?.id}`
                ),
                resourceType,
                include: request.include ?? [],
                revInclude: request.revInclude ?? [],
                includeValues: pairs.filter(([k]) => k === '_include').map(([, v]) => v),
            })
        }
        return [
            allOk,
            await storedPage(store, settings, stored, {
                offset: 0,
                count,
                self: selfLink(settings, resourceType, pairs),
                pretty: !pairs.some(([k, v]) => k === '_pretty' && v === 'false'),
            }),
        ]
    }
}

/**
 * `GET <base>?_getpages=<id>&_getpagesoffset=N&_count=N`: a page of a stored search, 410 once
 * it expired (HAPI `PageMethodBinding`). Without `_getpages`, Medplum's system search.
 */
function pagesHandler(
    store: FhirStore,
    settings: RouteSettings,
    systemSearch: FhirRouteHandler
): FhirRouteHandler {
    return async (req, repo, router, options) => {
        const pairs = queryPairs(req)
        const id = pairs.find(([key]) => key === '_getpages')?.[1]
        if (id === undefined || !isHapi(settings.profile)) {
            return systemSearch(req, repo, router, options)
        }
        const stored = settings.searches.get(id)
        if (!stored) {
            throw new OperationOutcomeError(
                gone(`HAPI-0417: Search ID "${id}" does not exist and may have expired`)
            )
        }
        const query: Query = toQuery(pairs)
        const { count } = pageOf(integer(query._count, '_count'), undefined, settings)
        const offset = integer(query._getpagesoffset, '_getpagesoffset') ?? 0
        const params = new URLSearchParams()
        for (const [key, value] of pairs) {
            params.append(key, value)
        }
        return [
            allOk,
            await storedPage(store, settings, stored, {
                offset,
                count,
                self: `${settings.baseUrl}?${params.toString()}`,
                pretty: !pairs.some(([k, v]) => k === '_pretty' && v === 'false'),
            }),
        ]
    }
}

function gone(text: string): OperationOutcome {
    // The id maps to 410 in @medplum/core getStatus().
    return {
        resourceType: 'OperationOutcome',
        id: 'gone',
        issue: [{ severity: 'error', code: 'processing', diagnostics: text }],
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
        const all = [patient as WithId<Resource>, ...members].filter(
            (resource) => !types || types.has(resource.resourceType)
        )
        const requestedOffset = integer(query._offset, '_offset')
        const { count, offset } = pageOf(integer(query._count, '_count'), requestedOffset, settings)
        const path = `Patient/${id}/$everything`
        if (isHapi(settings.profile) && requestedOffset === undefined) {
            // Stored for paging, never reused (`getEverythingMode() == null` guards reuse).
            const stored = settings.searches.store({
                key: undefined,
                matches: all.map((resource) => `${resource.resourceType}/${resource.id}`),
                resourceType: 'Patient',
                include: [],
                revInclude: [],
                includeValues: [],
            })
            return [
                allOk,
                await storedPage(store, settings, stored, {
                    offset: 0,
                    count,
                    self: selfLink(settings, path, pairs),
                    pretty: true,
                }),
            ]
        }
        const links = offsetLinks(settings, path, pairs, { offset, count, total: all.length })
        return [
            allOk,
            searchset(settings, {
                id: undefined,
                total: all.length,
                links,
                matches: all.slice(offset, offset + count),
                included: [],
            }),
        ]
    }
}

/** A page of a stored search: its matches read now, their includes, HAPI's paging links. */
async function storedPage(
    store: FhirStore,
    settings: RouteSettings,
    search: StoredSearch,
    page: { offset: number; count: number; self: string; pretty: boolean }
): Promise<Bundle> {
    const { offset, count } = page
    const matches: WithId<Resource>[] = []
    for (const key of search.matches.slice(offset, offset + count)) {
        const [type, id] = key.split('/') as [string, string]
        try {
            matches.push(await store.readResource<WithId<Resource>>(type, id))
        } catch {
            // Deleted since the search ran: HAPI leaves it out of the page.
        }
    }
    const total = search.matches.length
    const links: BundleLink[] = [{ relation: 'self', url: page.self }]
    if (count > 0 && offset + count < total) {
        links.push(
            link('next', pagingLink(settings.baseUrl, search, offset + count, count, page.pretty))
        )
    }
    if (count > 0 && offset > 0) {
        links.push(
            link(
                'previous',
                pagingLink(
                    settings.baseUrl,
                    search,
                    Math.max(0, offset - count),
                    count,
                    page.pretty
                )
            )
        )
    }
    const included = await includesOf(store, search, matches, includeCap(settings))
    return searchset(settings, { id: search.id, total, links, matches, included })
}

function includeCap(settings: RouteSettings): number {
    return isHapi(settings.profile) ? settings.maxIncludesPerPage : Infinity
}

/**
 * The resources `_revinclude` and then `_include` add to a page, at most `cap` of them in all
 * and none that is a match of the page itself.
 */
async function includesOf(
    store: FhirRepository,
    search: { include?: IncludeTarget[]; revInclude?: IncludeTarget[] },
    matches: WithId<Resource>[],
    cap: number
): Promise<WithId<Resource>[]> {
    if (matches.length === 0 || cap <= 0) {
        return []
    }
    const seen = new Set(matches.map((resource) => `${resource.resourceType}/${resource.id}`))
    const included: WithId<Resource>[] = []
    const options = {
        // Every reverse match, not Medplum's first 1,000 per parameter: the cap is applied here.
        executeSearch: (request: SearchRequest) =>
            store.searchResources({ ...request, count: ALL }),
    }
    const add = (entries: BundleEntry[]): void => {
        for (const entry of entries) {
            const resource = entry.resource as WithId<Resource> | undefined
            const key = `${resource?.resourceType}/${resource?.id}`
            if (resource && !seen.has(key) && included.length < cap) {
                seen.add(key)
                included.push(resource)
            }
        }
    }
    for (const target of search.revInclude ?? []) {
        add(await getSearchRevIncludeEntries(store, target, matches, options))
    }
    for (const target of search.include ?? []) {
        add(await getSearchIncludeEntries(store, target, matches, options))
    }
    return included
}

function link(relation: string, url: string): BundleLink {
    return { relation, url }
}

/** self, next and previous of a synchronous (offset) page. */
function offsetLinks(
    settings: RouteSettings,
    path: string,
    pairs: [string, string][],
    page: { offset: number; count: number; total: number }
): BundleLink[] {
    const { offset, count, total } = page
    const links = [link('self', selfLink(settings, path, pairs))]
    if (count > 0 && offset + count < total) {
        links.push(link('next', offsetLink(settings.baseUrl, path, pairs, offset + count, count)))
    }
    if (count > 0 && offset > 0) {
        const previous = Math.max(0, offset - count)
        links.push(link('previous', offsetLink(settings.baseUrl, path, pairs, previous, count)))
    }
    return links
}

function selfLink(settings: RouteSettings, path: string, pairs: [string, string][]): string {
    const params = new URLSearchParams()
    for (const [key, value] of pairs) {
        params.append(key, value)
    }
    const query = params.toString()
    return `${settings.baseUrl}/${path}${query ? `?${query}` : ''}`
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

/** A searchset Bundle with total, links, fullUrls, matches and then includes. */
function searchset(
    settings: RouteSettings,
    page: {
        id: string | undefined
        total: number
        links: BundleLink[]
        matches: WithId<Resource>[]
        included: WithId<Resource>[]
    }
): Bundle {
    const entry: BundleEntry[] = [
        ...page.matches.map((resource) => ({ resource, search: { mode: 'match' as const } })),
        ...page.included.map((resource) => ({ resource, search: { mode: 'include' as const } })),
    ].map((item) => ({
        fullUrl: `${settings.baseUrl}/${item.resource.resourceType}/${item.resource.id}`,
        ...item,
    }))
    return {
        resourceType: 'Bundle',
        // HAPI: the stored search's id; a fresh one for a synchronous search.
        id: page.id ?? randomUUID(),
        meta: { lastUpdated: new Date().toISOString() },
        type: 'searchset',
        total: page.total,
        link: page.links,
        ...(entry.length ? { entry } : {}),
    }
}
