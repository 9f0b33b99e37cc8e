import type { DataEngine } from '@dhis2/data-engine'
import { ATTRIBUTES } from '../metadata/ids'
import { DEFAULT_PHN_CONFIG, phnFromSerial, type PhnConfig } from '../phn/phn'
import { importProblems, type ImportProblems } from './import-report'
import type { TrackedEntity, TrackedEntityPage, TrackerImportReport, TrackerPayload } from './types'

/** Anything with the DataEngine's query and mutate (app-runtime's `useDataEngine()`). */
export type Engine = Pick<DataEngine, 'query' | 'mutate'>

export const TRACKED_ENTITY_FIELDS = [
    'trackedEntity',
    'trackedEntityType',
    'orgUnit',
    'createdAt',
    'updatedAt',
    'attributes[attribute,value,displayName,valueType]',
    'enrollments[enrollment,program,orgUnit,enrolledAt,occurredAt,status,' +
        'events[event,programStage,enrollment,orgUnit,occurredAt,scheduledAt,status,updatedAt,' +
        'dataValues[dataElement,value]]]',
].join(',')

export const SEARCH_FIELDS =
    'trackedEntity,trackedEntityType,orgUnit,updatedAt,attributes[attribute,value,displayName]'

export type FilterOperator = 'eq' | 'like' | 'sw' | 'ew'

export interface AttributeFilter {
    attribute: string
    operator?: FilterOperator
    value: string
}

/** `:` `,` and `/` separate filter parts; the tracker API takes them escaped with `/`. */
export function escapeFilterValue(value: string): string {
    return value.replace(/[/:,]/g, (char) => `/${char}`)
}

export function filterParam({ attribute, operator = 'eq', value }: AttributeFilter): string {
    return `${attribute}:${operator}:${escapeFilterValue(value)}`
}

export interface SearchOptions {
    program: string
    filters: AttributeFilter[]
    /** Explicit scope: the API's default differs between versions. */
    orgUnitMode: 'ACCESSIBLE' | 'CAPTURE' | 'ALL' | 'SELECTED' | 'DESCENDANTS' | 'CHILDREN'
    orgUnits?: string[]
    fields?: string
    page?: number
    pageSize?: number
    totalPages?: boolean
    signal?: AbortSignal
}

export async function searchTrackedEntities(
    engine: Pick<Engine, 'query'>,
    options: SearchOptions
): Promise<TrackedEntityPage> {
    if (options.filters.length === 0) {
        // Without a filter the API lists everyone in scope (capture-app #3629): never do that.
        throw new Error('A tracked entity search needs at least one attribute filter')
    }
    if (['SELECTED', 'DESCENDANTS', 'CHILDREN'].includes(options.orgUnitMode)) {
        if (!options.orgUnits?.length) throw new Error(`${options.orgUnitMode} needs orgUnits`)
    }
    const params: Record<string, string | number | boolean | string[]> = {
        program: options.program,
        orgUnitMode: options.orgUnitMode,
        filter: options.filters.map(filterParam),
        fields: options.fields ?? SEARCH_FIELDS,
        page: options.page ?? 1,
        pageSize: options.pageSize ?? 50,
        totalPages: options.totalPages ?? false,
    }
    if (options.orgUnits?.length) params.orgUnits = options.orgUnits
    const result = await engine.query(
        { page: { resource: 'tracker/trackedEntities', params } },
        options.signal ? { signal: options.signal } : undefined
    )
    const page = result.page as Partial<TrackedEntityPage> & { instances?: TrackedEntity[] }
    return {
        trackedEntities: page.trackedEntities ?? page.instances ?? [],
        pager: page.pager ?? { page: params.page as number, pageSize: params.pageSize as number },
    }
}

function isNotFound(error: unknown): boolean {
    const details = (error as { details?: { httpStatusCode?: number } })?.details
    const message = (error as { message?: string })?.message ?? ''
    return details?.httpStatusCode === 404 || /\(404\)\s*$/.test(message)
}

/** One person with her enrollments and events; null when she does not exist or is not visible. */
export async function getTrackedEntity(
    engine: Pick<Engine, 'query'>,
    trackedEntity: string,
    options: { program?: string; fields?: string; signal?: AbortSignal } = {}
): Promise<TrackedEntity | null> {
    const params: Record<string, string> = { fields: options.fields ?? TRACKED_ENTITY_FIELDS }
    if (options.program) params.program = options.program
    try {
        const result = await engine.query(
            { te: { resource: 'tracker/trackedEntities', id: trackedEntity, params } },
            options.signal ? { signal: options.signal } : undefined
        )
        return result.te as TrackedEntity
    } catch (error) {
        if (isNotFound(error)) return null
        throw error
    }
}

export type ImportResult =
    | { ok: true; report: TrackerImportReport }
    | { ok: false; report: TrackerImportReport; problems: ImportProblems }

function reportFromError(error: unknown): TrackerImportReport | null {
    const details = (error as { details?: unknown })?.details
    if (typeof details !== 'object' || details === null) return null
    const candidate = details as Partial<TrackerImportReport>
    return candidate.validationReport ? (candidate as TrackerImportReport) : null
}

/**
 * Creates or updates people, enrollments and events in one synchronous, all-or-nothing import.
 * A validation failure (HTTP 409) comes back as field-level problems; other failures throw.
 */
export async function importTracker(
    engine: Pick<Engine, 'mutate'>,
    payload: TrackerPayload,
    options: { knownFields?: Iterable<string>; signal?: AbortSignal } = {}
): Promise<ImportResult> {
    let report: TrackerImportReport
    try {
        report = (await engine.mutate(
            {
                resource: 'tracker',
                type: 'create',
                data: payload,
                params: { async: false, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL' },
            },
            options.signal ? { signal: options.signal } : undefined
        )) as unknown as TrackerImportReport
    } catch (error) {
        const rejected = reportFromError(error)
        if (!rejected) throw error
        report = rejected
    }
    if (report.status === 'ERROR') {
        return { ok: false, report, problems: importProblems(report, options.knownFields) }
    }
    return { ok: true, report }
}

/**
 * Issues a PHN: DHIS2's TextPattern generator hands out the next serial atomically (reserved for
 * `expirationDays`), the check digit comes from shared/src/phn. Store both attributes in the same
 * import that creates the person.
 */
export async function issuePhn(
    engine: Pick<Engine, 'query'>,
    options: { config?: PhnConfig; expirationDays?: number; signal?: AbortSignal } = {}
): Promise<{ serial: string; phn: string }> {
    const result = await engine.query(
        {
            reserved: {
                resource: `trackedEntityAttributes/${ATTRIBUTES.phnSerial}/generate`,
                params: { expiration: options.expirationDays ?? 3 },
            },
        },
        options.signal ? { signal: options.signal } : undefined
    )
    const serial = (result.reserved as { value?: unknown } | undefined)?.value
    if (typeof serial !== 'string' || !/^\d+$/.test(serial)) {
        throw new Error('DHIS2 did not return a numeric PHN serial')
    }
    return { serial, phn: phnFromSerial(serial, options.config ?? DEFAULT_PHN_CONFIG) }
}
