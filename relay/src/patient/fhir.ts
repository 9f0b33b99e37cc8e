import { onConfiguredBase } from '@anc/shared/fhir'
import { ESIGNET_SUB_SYSTEM } from '@anc/shared/metadata'
import type { FhirConfig } from '../config'
import { RelayError, RelayErrorCode } from '../errors'
import { callUpstream, FHIR_CALL, type FetchLike } from '../http'

export interface FhirResource {
    resourceType: string
    id?: string
    [key: string]: unknown
}

interface FhirBundle {
    resourceType: 'Bundle'
    entry?: { resource?: FhirResource; search?: { mode?: string } }[]
    link?: { relation: string; url: string }[]
}

const MAX_FHIR_BYTES = 16 * 1024 * 1024

/** How far one search may go: pages of `pageSize`, at most `maxPages` of them. */
export interface PagingLimits {
    pageSize: number
    maxPages: number
}
const DEFAULT_PAGING: PagingLimits = { pageSize: 200, maxPages: 20 }

/**
 * The relay's own FHIR client: the FHIR server is called directly with the relay's service
 * credentials (never through a DHIS2 route). Only reads; the patient gateway never writes.
 */
export class FhirReader {
    private readonly authorization: string | undefined

    constructor(
        private readonly config: FhirConfig,
        private readonly fetchImpl: FetchLike,
        private readonly paging: PagingLimits = DEFAULT_PAGING
    ) {
        this.authorization =
            config.username !== undefined && config.password !== undefined
                ? `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`
                : undefined
    }

    get baseUrl(): string {
        return this.config.baseUrl
    }

    private async get(url: string): Promise<{ status: number; json: unknown }> {
        const headers: Record<string, string> = {
            accept: 'application/fhir+json',
            // HAPI FHIR answers a search repeated within 60 s from its stored results, blind to
            // what was written since (reuse_cached_search_results_millis): a woman signing in
            // right after her registration, or looking right after a visit, must see it.
            'cache-control': 'no-cache',
        }
        if (this.authorization) {
            headers.authorization = this.authorization
        }
        const response = await callUpstream(
            this.fetchImpl,
            url,
            { headers },
            {
                what: 'FHIR server',
                timeoutMs: this.config.timeoutMs,
                maxBytes: MAX_FHIR_BYTES,
                ...FHIR_CALL,
            }
        )
        let json: unknown
        try {
            json = response.body === '' ? undefined : JSON.parse(response.body)
        } catch {
            json = undefined
        }
        return { status: response.status, json }
    }

    /** Reads one resource; undefined when the server does not have it. */
    async read(type: string, id: string): Promise<FhirResource | undefined> {
        const { status, json } = await this.get(
            `${this.config.baseUrl}/${type}/${encodeURIComponent(id)}`
        )
        if (status === 404 || status === 410) {
            return undefined
        }
        if (status !== 200 || !isResource(json) || json.resourceType !== type) {
            throw unavailable(`reading ${type} failed with HTTP ${status}`)
        }
        return json
    }

    /**
     * Every match of a search, following `next` links. HAPI writes them on its configured server
     * address (`<address>?_getpages=<id>&...`, possibly another host name than the relay calls):
     * each is rebuilt on the configured base, so a forged link cannot send the service
     * credentials elsewhere. A search that goes beyond `maxPages` fails: a record is never
     * served cut short.
     */
    async search(type: string, params: Record<string, string>): Promise<FhirResource[]> {
        const query = new URLSearchParams({ ...params, _count: String(this.paging.pageSize) })
        let url: string | undefined = `${this.config.baseUrl}/${type}?${query.toString()}`
        const found: FhirResource[] = []
        for (let page = 1; url !== undefined; page++) {
            const { status, json } = await this.get(url)
            if (status !== 200 || !isResource(json) || json.resourceType !== 'Bundle') {
                throw unavailable(`searching ${type} failed with HTTP ${status}`)
            }
            const bundle = json as unknown as FhirBundle
            for (const entry of bundle.entry ?? []) {
                if (entry.resource && (entry.search?.mode ?? 'match') === 'match') {
                    found.push(entry.resource)
                }
            }
            const next = bundle.link?.find((link) => link.relation === 'next')?.url
            if (next !== undefined && page >= this.paging.maxPages) {
                throw unavailable(
                    `searching ${type} gave more than ${this.paging.maxPages} pages of ${this.paging.pageSize}`
                )
            }
            url = next === undefined ? undefined : onConfiguredBase(next, this.config.baseUrl)
        }
        return found
    }

    /** The Patient linked to an eSignet subject (the relay client's pairwise `sub`). */
    async findPatientBySub(sub: string): Promise<FhirResource | undefined> {
        const matches = (
            await this.search('Patient', { identifier: `${ESIGNET_SUB_SYSTEM}|${sub}` })
        ).filter(
            (patient) =>
                patient.resourceType === 'Patient' &&
                hasIdentifier(patient, ESIGNET_SUB_SYSTEM, sub)
        )
        if (matches.length > 1) {
            throw new RelayError(
                409,
                RelayErrorCode.ambiguousRecord,
                'More than one record is linked to this national ID; the clinic has to merge them'
            )
        }
        return matches[0]
    }
}

function unavailable(detail: string): RelayError {
    return new RelayError(
        502,
        RelayErrorCode.fhirUnavailable,
        `The health record is unavailable (${detail})`
    )
}

function isResource(value: unknown): value is FhirResource {
    return (
        typeof value === 'object' &&
        value !== null &&
        typeof (value as FhirResource).resourceType === 'string'
    )
}

function hasIdentifier(resource: FhirResource, system: string, value: string): boolean {
    const identifiers = resource.identifier
    return (
        Array.isArray(identifiers) &&
        identifiers.some(
            (identifier: { system?: unknown; value?: unknown }) =>
                identifier.system === system && identifier.value === value
        )
    )
}
