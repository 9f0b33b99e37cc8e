import { randomUUID } from 'node:crypto'

import type { IncludeTarget } from '@medplum/core'

/**
 * HAPI FHIR's stored searches (JPA server, jpaserver-starter defaults), as a client meets them:
 *
 * - A search without `_offset` is stored under a UUID; its `next`/`previous` links are
 *   `<server address>?_getpages=<uuid>&_getpagesoffset=N&_count=N&_pretty=true&_bundletype=searchset`
 *   (hapi-fhir-server `RestfulServerUtils.createPagingLink`; `_pretty=true` because the starter's
 *   `default_pretty_print` is true), the server address being `hapi.fhir.server_address` when set
 *   (starter `StarterJpaConfig`: `HardcodedServerAddressStrategy`), which may name another host
 *   than the one the client called. `Bundle.id` is the search's UUID.
 * - An identical search (same type and parameters, `_count` aside: `SearchParameterMap
 *   .toNormalizedQueryString` leaves it out) within `reuse_cached_search_results_millis` (60 s)
 *   gets the stored results again, writes since then unseen, unless it asks `Cache-Control:
 *   no-cache` (`SearchCoordinatorSvcImpl.registerSearch`, `findCachedQuery`). Sub-requests of a
 *   batch inherit the batch request's headers (`ServletSubRequestDetails`).
 * - `$everything` is stored for paging but never reused (`getEverythingMode() == null` guard).
 * - A stored search expires `retain_cached_searches_mins` (60 min) plus the reuse window after it
 *   was created (`DatabaseSearchCacheSvcImpl.getCutoff`); its links then answer 410 with
 *   `HAPI-0417` (`PageMethodBinding.validateHaveBundleProvider`).
 * - `_offset` or `Cache-Control: no-store` load synchronously: nothing stored, offset links
 *   (`SearchCoordinatorSvcImpl`, `RestfulServerUtils.createOffsetPagingLink`).
 */
export interface StoredSearch {
    id: string
    /** Normalized query: type and sorted parameters without `_count`; undefined = never reused. */
    key: string | undefined
    created: number
    /** `Type/id` of every match, in result order. */
    matches: string[]
    resourceType: string
    include: IncludeTarget[]
    revInclude: IncludeTarget[]
    /** `_include` values the paging links repeat (as `createPagingLink` does). */
    includeValues: string[]
}

export interface SearchCacheSettings {
    /** `reuse_cached_search_results_millis`; 0 turns reuse off. */
    reuseMillis: number
    /** `retain_cached_searches_mins` in milliseconds. */
    retainMillis: number
    now: () => number
}

/** The parameters that do not change what a search finds, so do not take part in reuse. */
const NOT_IN_KEY = new Set(['_count', '_format', '_pretty'])

/** The normalized form of a search: its path and sorted parameters, without `_count`. */
export function searchKey(path: string, pairs: readonly [string, string][]): string {
    const kept = pairs
        .filter(([key]) => !NOT_IN_KEY.has(key))
        .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
        .sort()
    return `${path}?${kept.join('&')}`
}

export class SearchCache {
    private readonly searches = new Map<string, StoredSearch>()

    constructor(private readonly settings: SearchCacheSettings) {}

    /** A stored search for this key still inside the reuse window, or undefined. */
    reusable(key: string): StoredSearch | undefined {
        this.purge()
        if (this.settings.reuseMillis <= 0) {
            return undefined
        }
        const cutoff = this.settings.now() - this.settings.reuseMillis
        let newest: StoredSearch | undefined
        for (const search of this.searches.values()) {
            if (search.key === key && search.created > cutoff) {
                if (!newest || search.created >= newest.created) {
                    newest = search
                }
            }
        }
        return newest
    }

    store(search: Omit<StoredSearch, 'id' | 'created'>): StoredSearch {
        this.purge()
        const stored: StoredSearch = { ...search, id: randomUUID(), created: this.settings.now() }
        this.searches.set(stored.id, stored)
        return stored
    }

    /** The stored search behind a `_getpages` id, or undefined once it expired. */
    get(id: string): StoredSearch | undefined {
        this.purge()
        return this.searches.get(id)
    }

    private purge(): void {
        const cutoff = this.settings.now() - this.settings.retainMillis - this.settings.reuseMillis
        for (const [id, search] of this.searches) {
            if (search.created < cutoff) {
                this.searches.delete(id)
            }
        }
    }
}

/** The link HAPI writes to a page of a stored search (`RestfulServerUtils.createPagingLink`). */
export function pagingLink(
    baseUrl: string,
    search: StoredSearch,
    offset: number,
    count: number,
    pretty: boolean
): string {
    const params = new URLSearchParams()
    params.append('_getpages', search.id)
    params.append('_getpagesoffset', String(offset))
    params.append('_count', String(count))
    if (pretty) {
        params.append('_pretty', 'true')
    }
    for (const value of search.includeValues) {
        params.append('_include', value)
    }
    params.append('_bundletype', 'searchset')
    return `${baseUrl}?${params.toString()}`
}

/**
 * The link HAPI writes to another page of a synchronous (`_offset`) search: the request's
 * parameters sorted by name, `_offset` and `_count` set (`RestfulServerUtils.createOffsetPagingLink`).
 */
export function offsetLink(
    baseUrl: string,
    path: string,
    pairs: readonly [string, string][],
    offset: number,
    count: number
): string {
    const kept = pairs.filter(([key]) => key !== '_count' && key !== '_offset')
    kept.push(['_count', String(count)], ['_offset', String(offset)])
    kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const params = new URLSearchParams()
    for (const [key, value] of kept) {
        params.append(key, value)
    }
    return `${baseUrl}/${path}?${params.toString()}`
}
