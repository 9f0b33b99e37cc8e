/**
 * The operator's configuration as the apps use it: the three keys `npm run deploy` writes to the
 * DHIS2 datastore (namespace `anc`), each validated and merged over the shipped defaults.
 * Imports the config modules by file, not the folders' index: this runs on the first screen.
 */
import type { DataEngine } from '@dhis2/data-engine'
import { mergeClaimsMappingConfig, type ClaimsMappingConfig } from '../claims/config'
import { mergeFhirMappingConfig, type FhirMappingConfig } from '../fhir/config'
import { DATASTORE } from '../metadata/ids'
import { mergePhnConfig, type PhnConfig } from '../phn/phn'
import type { ConfigProblem } from '../stored/problem'

export interface AncConfig {
    claims: ClaimsMappingConfig
    fhir: FhirMappingConfig
    phn: PhnConfig
    /** Settings refused (their defaults are used), paths prefixed by key: `fhir-config.systems`. */
    problems: ConfigProblem[]
}

/** The datastore keys read, under DATASTORE.namespace. */
export const ANC_CONFIG_KEYS = {
    claims: DATASTORE.claimsMappingKey,
    fhir: DATASTORE.fhirConfigKey,
    phn: DATASTORE.phnConfigKey,
} as const

/** Merges what each key held (`undefined`: absent) over the defaults; pure, no request. */
export function mergeAncConfig(stored: {
    claims?: unknown
    fhir?: unknown
    phn?: unknown
}): AncConfig {
    const claims = mergeClaimsMappingConfig(stored.claims)
    const fhir = mergeFhirMappingConfig(stored.fhir)
    const phn = mergePhnConfig(stored.phn)
    const labelled = (key: string, problems: ConfigProblem[]) =>
        problems.map((p) => ({ ...p, path: p.path ? `${key}.${p.path}` : key }))
    return {
        claims: claims.config,
        fhir: fhir.config,
        phn: phn.config,
        problems: [
            ...labelled(ANC_CONFIG_KEYS.claims, claims.problems),
            ...labelled(ANC_CONFIG_KEYS.fhir, fhir.problems),
            ...labelled(ANC_CONFIG_KEYS.phn, phn.problems),
        ],
    }
}

/** app-runtime's FetchError carries DHIS2's JSON body (httpStatusCode) or ends its message "(404)". */
function isNotFound(error: unknown): boolean {
    const details = (error as { details?: { httpStatusCode?: unknown } } | null)?.details
    if (typeof details?.httpStatusCode === 'number') return details.httpStatusCode === 404
    const message = (error as { message?: unknown } | null)?.message
    return typeof message === 'string' && /\(404\)\s*$/.test(message)
}

async function readKey(
    engine: Pick<DataEngine, 'query'>,
    key: string,
    signal?: AbortSignal
): Promise<unknown> {
    try {
        const result = await engine.query(
            { value: { resource: `dataStore/${DATASTORE.namespace}/${key}` } },
            signal ? { signal } : undefined
        )
        return result.value
    } catch (error) {
        // An absent key is the normal "not customised" case; anything else (403, 500, network)
        // must not silently turn into defaults, or a PHN could be issued in the wrong format.
        if (isNotFound(error)) return undefined
        throw error
    }
}

export type AncConfigPart = keyof typeof ANC_CONFIG_KEYS

export const ALL_ANC_CONFIG_PARTS: readonly AncConfigPart[] = ['claims', 'fhir', 'phn']

/**
 * Reads the keys of the parts an app uses in parallel (app-runtime's `useDataEngine()`), then
 * validates and merges; the parts it does not use stay at their defaults and are not read, so a
 * setting an app never applies cannot warn or fail there.
 */
export async function readAncConfig(
    engine: Pick<DataEngine, 'query'>,
    signal?: AbortSignal,
    parts: readonly AncConfigPart[] = ALL_ANC_CONFIG_PARTS
): Promise<AncConfig> {
    const read = (part: AncConfigPart) =>
        parts.includes(part) ? readKey(engine, ANC_CONFIG_KEYS[part], signal) : undefined
    const [claims, fhir, phn] = await Promise.all([read('claims'), read('fhir'), read('phn')])
    return mergeAncConfig({ claims, fhir, phn })
}
