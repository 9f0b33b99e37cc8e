import './websocket-shim'
import type { AddressInfo } from 'node:net'

import Fastify from 'fastify'

import { dataDir } from '../common/data-dir'
import { explainListenError, portOf } from '../common/ports'
import { capabilityStatement } from './capability'
import {
    assertPinnedMedplum,
    loadDefinitions,
    patientCompartment,
    resourceTypes,
} from './definitions'
import { fhirRequestHandler, type HandlerDeps, Mutex, PREFIX } from './handler'
import { installFhirHttp } from './http'
import { Journal } from './journal'
import { repositoryRefusal } from './nehr'
import { SearchCache } from './paging'
import { fhirProfile, isHapi } from './profile'
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
    /** Largest page a client can ask for. Default unlimited in HAPI mode (the starter's
     * `max_page_size`), 1000 in lenient mode. */
    maxPageSize?: number
    /** The HAPI FHIR version reproduced (`FHIR_HAPI_VERSION`); see profile.ts. Default 8.2. */
    hapiVersion?: string
    /** `hapi` (default, see profile.ts) or `lenient` (`FHIR_MODE`). */
    mode?: string
    /** NEHR IPS profiles: `off` (default), `repository` (412) or `request` (422) (`FHIR_NEHR_VALIDATION`). */
    nehrValidation?: string
    /** HAPI `reuse_cached_search_results_millis`. Default 60 000. */
    reuseCachedSearchResultsMillis?: number
    /** HAPI `retain_cached_searches_mins`. Default 60. */
    retainCachedSearchesMinutes?: number
    /** Included resources per page (HAPI's maximumIncludesToLoadPerPage). Default 1000. */
    maxIncludesPerPage?: number
    /** The clock of stored searches (tests move it on to expire them). Default Date.now. */
    now?: () => number
    /** Fastify request logging. Default off. */
    logger?: boolean
}

export interface RunningFhirServer {
    /** Base URL of the FHIR API, e.g. http://localhost:8090/fhir */
    url: string
    port: number
    close: () => Promise<void>
}

/** Starts the FHIR R4 stand-in: replays the journal, then listens. */
export async function startFhir(options: FhirServerOptions = {}): Promise<RunningFhirServer> {
    // First: a version the stand-in does not model stops it before it reads or listens.
    const profile = fhirProfile({
        hapiVersion: options.hapiVersion,
        mode: options.mode,
        nehrValidation: options.nehrValidation,
    })
    assertPinnedMedplum()
    loadDefinitions()
    const types = resourceTypes()
    const knownTypes = new Set(types)
    const hapi = isHapi(profile)
    const store = new FhirStore({
        hapi,
        baseUrl: '',
        ...(profile.nehrValidation === 'repository'
            ? { refuseBeforeStore: repositoryRefusal }
            : {}),
    })
    const { journal, records } = await Journal.open(options.dataDir ?? dataDir('fhir'))
    try {
        for (const writes of records) {
            await store.replay(writes)
        }
    } catch (error) {
        await journal.close()
        throw error
    }

    const app = Fastify({ logger: options.logger ?? false, bodyLimit: 64 * 1024 * 1024 })
    installFhirHttp(app, options.basicAuth)
    const mutex = new Mutex()
    const live: HandlerDeps['live'] = { baseUrl: '' }
    const handle = fhirRequestHandler({ store, journal, mutex, knownTypes, profile, live })
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
    store.rules.baseUrl = baseUrl
    live.router = buildRouter(store, {
        baseUrl,
        defaultPageSize: options.defaultPageSize ?? 20,
        maxPageSize: options.maxPageSize ?? (hapi ? Infinity : 1000),
        maxIncludesPerPage: options.maxIncludesPerPage ?? 1000,
        searches: new SearchCache({
            reuseMillis: options.reuseCachedSearchResultsMillis ?? 60_000,
            retainMillis: (options.retainCachedSearchesMinutes ?? 60) * 60_000,
            now: options.now ?? Date.now,
        }),
        patientCompartment: patientCompartment(),
        profile,
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
