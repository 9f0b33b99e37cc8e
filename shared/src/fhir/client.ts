/**
 * FHIR client for the staff apps, on `fhirclient`, whose base is the DHIS2 route
 * `<DHIS2>/api/routes/anc-fhir/run`. What the route changes, and how this copes:
 * - a `|` in the route's query string breaks on DHIS2 2.42.4+ (and form fields are copied into
 *   the query): identifier searches, and any page URL containing `|`, go as a FHIR `batch` POST
 *   whose entry is `GET Type?identifier=system|value` (JSON bodies pass untouched);
 * - `Bundle.link` URLs point at the upstream FHIR server: they are rewritten onto the route base,
 *   and a link is never fetched directly (the upstream is unreachable, and following a foreign
 *   URL would hand the request to whoever wrote the link);
 * - `Authorization`, `Cookie` (upstream), `Prefer` and `Location` do not pass; `If-Match` and
 *   `ETag` do, so optimistic locking works;
 * - the DHIS2 session is the credential: requests are sent with cookies and
 *   `X-Requested-With`, so an expired session answers 401 instead of a login page.
 * Errors come out as `FhirClientError` with a `kind` the UI can act on.
 */
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes'
import FHIR from 'fhirclient'
import { batchGet, unwrapBatchEntry } from './batch'
import { errorKindFor, FhirClientError } from './errors'
import { ROUTE_CODES } from '../metadata/ids'
import { relativeToFhirBase } from './links'

/**
 * Parses a FHIR response body that may arrive as a Blob (app-runtime hands
 * `application/fhir+json` over as a Blob), a string, or already parsed.
 */
export async function parseFhirBody(body: unknown): Promise<Resource> {
    let value = body
    if (typeof Blob !== 'undefined' && value instanceof Blob) value = await blobText(value)
    if (typeof value === 'string') {
        try {
            value = JSON.parse(value)
        } catch {
            throw new FhirClientError('badResponse', 'response is not JSON')
        }
    }
    if (
        typeof value !== 'object' ||
        value === null ||
        typeof (value as { resourceType?: unknown }).resourceType !== 'string'
    ) {
        throw new FhirClientError('badResponse', 'response is not a FHIR resource')
    }
    return value as Resource
}

function blobText(blob: Blob): Promise<string> {
    if (typeof blob.text === 'function') return blob.text()
    // Older engines (and jsdom) have no Blob.text().
    return new Promise((resolve, reject) => {
        const reader = new FileReader()
        reader.onload = () => resolve(String(reader.result))
        reader.onerror = () =>
            reject(new FhirClientError('badResponse', 'unreadable response body'))
        reader.readAsText(blob)
    })
}

export function routeBaseUrl(dhis2BaseUrl: string, routeCode: string = ROUTE_CODES.fhir): string {
    return `${dhis2BaseUrl.replace(/\/+$/, '')}/api/routes/${encodeURIComponent(routeCode)}/run`
}

export interface ReadResult<T extends Resource> {
    resource: T
    /** Weak ETag (`W/"3"`) for If-Match; from the header, else from meta.versionId. */
    etag: string | undefined
}

export interface AncFhirClientOptions {
    /** DHIS2 base URL (app-runtime's `useConfig().baseUrl`), e.g. `http://localhost:8080` or `..`. */
    dhis2BaseUrl: string
    routeCode?: string
    /** At most this many pages are followed (guards against link loops). */
    maxPages?: number
}

interface RawResponse {
    body: unknown
    response: Response
}

type FhirRequestOptions = RequestInit & { url: string; includeResponse: true }

export class AncFhirClient {
    readonly serverUrl: string
    private readonly client: ReturnType<typeof FHIR.client>
    private readonly maxPages: number

    constructor(options: AncFhirClientOptions) {
        const base = /^https?:\/\//.test(options.dhis2BaseUrl)
            ? options.dhis2BaseUrl
            : new URL(options.dhis2BaseUrl, globalThis.location?.href).href
        this.serverUrl = routeBaseUrl(base, options.routeCode)
        this.client = FHIR.client({ serverUrl: this.serverUrl })
        this.maxPages = options.maxPages ?? 50
    }

    private async send(url: string, init: RequestInit = {}): Promise<RawResponse> {
        const headers: Record<string, string> = {
            accept: 'application/fhir+json',
            'x-requested-with': 'XMLHttpRequest',
            // HAPI FHIR answers a search repeated within 60 s from its stored results, blind to
            // what was written since (reuse_cached_search_results_millis); a clinician must see
            // the visit just saved. The DHIS2 route forwards Cache-Control.
            'cache-control': 'no-cache',
            ...(init.body ? { 'content-type': 'application/fhir+json' } : {}),
            ...(init.headers as Record<string, string> | undefined),
        }
        const options: FhirRequestOptions = {
            ...init,
            url,
            headers,
            credentials: 'include',
            includeResponse: true,
        }
        let result: RawResponse
        try {
            result = (await this.client.request(options as never, {
                pageLimit: 1,
                useRefreshToken: false,
            })) as RawResponse
        } catch (error) {
            throw await toFhirClientError(error)
        }
        const type = result.response.headers.get('content-type') ?? ''
        if (/text\/html/i.test(type)) {
            // A login page instead of FHIR: the DHIS2 session is gone.
            throw new FhirClientError(
                'sessionExpired',
                'the DHIS2 session has expired',
                result.response.status
            )
        }
        return result
    }

    private async json<T extends Resource>(
        url: string,
        init: RequestInit = {}
    ): Promise<ReadResult<T>> {
        const { body, response } = await this.send(url, init)
        const resource = (await parseFhirBody(body)) as T
        const etag =
            response.headers.get('etag') ??
            (resource.meta?.versionId ? `W/"${resource.meta.versionId}"` : undefined)
        return { resource, etag }
    }

    async read<T extends Resource>(
        resourceType: T['resourceType'],
        id: string
    ): Promise<ReadResult<T>> {
        return this.json<T>(`${resourceType}/${encodeURIComponent(id)}`)
    }

    /** Updates by id; with `ifMatch` the server refuses (preconditionFailed) if someone changed it since. */
    async update<T extends Resource>(
        resource: T,
        options: { ifMatch?: string } = {}
    ): Promise<ReadResult<T>> {
        if (!resource.id) throw new FhirClientError('invalid', 'update needs a resource id')
        return this.json<T>(`${resource.resourceType}/${encodeURIComponent(resource.id)}`, {
            method: 'PUT',
            body: JSON.stringify(resource),
            headers: options.ifMatch ? { 'if-match': options.ifMatch } : {},
        })
    }

    /** Sends a transaction (or batch) Bundle; returns the response Bundle. */
    async transaction(bundle: Bundle): Promise<Bundle> {
        const { resource } = await this.json<Bundle>('', {
            method: 'POST',
            body: JSON.stringify(bundle),
        })
        if (resource.resourceType !== 'Bundle')
            throw new FhirClientError('badResponse', 'expected a Bundle')
        return resource
    }

    /** GETs a path below the FHIR base through a batch, so `|` never reaches the route's query string. */
    private async getViaBatch(relativeUrl: string): Promise<Bundle> {
        return unwrapBatchEntry(await this.transaction(batchGet(relativeUrl)))
    }

    private async getPage(relativeUrl: string): Promise<Bundle> {
        if (/\||%7c/i.test(relativeUrl)) return this.getViaBatch(relativeUrl)
        const { resource } = await this.json<Bundle>(relativeUrl)
        if (resource.resourceType !== 'Bundle')
            throw new FhirClientError('badResponse', 'expected a Bundle')
        return resource
    }

    /**
     * Follows `next` links (rewritten onto the route, HAPI's `?_getpages=` ones included) and
     * returns every entry in one searchset. More pages than `maxPages` is an error: a record is
     * never shown cut short without a word.
     */
    private async allPages(first: Bundle): Promise<Bundle> {
        const entries: BundleEntry[] = [...(first.entry ?? [])]
        let page = first
        const seen = new Set<string>()
        for (let pages = 1; ; pages++) {
            const next = page.link?.find((l) => l.relation === 'next')?.url
            if (!next) break
            if (pages >= this.maxPages)
                throw new FhirClientError(
                    'badResponse',
                    `the answer has more than ${this.maxPages} pages; it is not shown incomplete`
                )
            const relative = relativeToFhirBase(next)
            if (seen.has(relative)) throw new FhirClientError('badResponse', 'paging links loop')
            seen.add(relative)
            page = await this.getPage(relative)
            entries.push(...(page.entry ?? []))
        }
        return { resourceType: 'Bundle', type: 'searchset', total: first.total, entry: entries }
    }

    /** Search with a query that contains no `|` (e.g. `Observation?patient=123&_count=50`), all pages. */
    async search(relativeQuery: string): Promise<Bundle> {
        return this.allPages(await this.getPage(relativeQuery))
    }

    /** Resources of a type whose identifier is `system|value`, via a batch so the route can carry it. */
    async searchByIdentifier<T extends Resource>(
        resourceType: T['resourceType'],
        system: string,
        value: string
    ): Promise<T[]> {
        const first = await this.getViaBatch(
            `${resourceType}?identifier=${encodeURIComponent(system)}|${encodeURIComponent(value)}`
        )
        const all = await this.allPages(first)
        return (all.entry ?? [])
            .map((e) => e.resource)
            .filter((r): r is T => r?.resourceType === resourceType)
    }

    /** The patient's whole record (`Patient/{id}/$everything`), every page. */
    async everything(patientId: string): Promise<Bundle> {
        return this.search(`Patient/${encodeURIComponent(patientId)}/$everything`)
    }
}

async function toFhirClientError(error: unknown): Promise<FhirClientError> {
    if (error instanceof FhirClientError) return error
    const e = error as { name?: string; status?: number; response?: Response; message?: string }
    if (e?.name === 'AbortError') return new FhirClientError('aborted', 'request aborted')
    if (typeof e?.status === 'number') {
        let outcome: OperationOutcome | undefined
        try {
            // fhirclient's HttpError has already read a JSON body and appended it, pretty-printed,
            // to its message after a blank line: recover the OperationOutcome from there.
            const at = e.message?.indexOf('\n\n{') ?? -1
            const parsed = (at >= 0 ? JSON.parse(e.message!.slice(at + 2)) : undefined) as
                Resource | undefined
            if (parsed?.resourceType === 'OperationOutcome') outcome = parsed
        } catch {
            // Not JSON: keep the status alone.
        }
        const detail = outcome?.issue?.[0]?.diagnostics ?? outcome?.issue?.[0]?.details?.text
        return new FhirClientError(
            errorKindFor(e.status, outcome),
            detail ?? `HTTP ${e.status}`,
            e.status,
            outcome
        )
    }
    // fetch rejects with a TypeError when the network, DNS or CORS fails.
    return new FhirClientError('network', e?.message ?? 'network error')
}
