import { DATA_ELEMENTS } from '../metadata/ids'

/**
 * Tracker API v41 shapes (the subset the ANC apps read and write): the one definition of tracker
 * JSON in this package. Readers that accept partial JSON (the FHIR mapping reads whatever a
 * `fields=` filter returned) derive looser types from these rather than declaring their own.
 */

export interface AttributeValue {
    attribute: string
    /** `null` deletes the value on update. */
    value: string | null
    displayName?: string
    valueType?: string
}

export interface DataValue {
    dataElement: string
    value: string | null
}

/** A data element of the ANC program stages, by its name in metadata/ids DATA_ELEMENTS. */
export type DataElementName = keyof typeof DATA_ELEMENTS

/**
 * Data values from what a form holds, by data element name, in the order given: a field left
 * empty (undefined, or only spaces) is left out rather than sent as an empty value; the rest are
 * sent trimmed, as text.
 */
export function dataValuesOf(
    fields: Partial<Record<DataElementName, string | number | undefined>>
): DataValue[] {
    const values: DataValue[] = []
    for (const [name, raw] of Object.entries(fields)) {
        const value = raw === undefined ? '' : String(raw).trim()
        if (value !== '')
            values.push({ dataElement: DATA_ELEMENTS[name as DataElementName], value })
    }
    return values
}

export type EventStatus = 'ACTIVE' | 'COMPLETED' | 'VISITED' | 'SCHEDULE' | 'OVERDUE' | 'SKIPPED'
export type EnrollmentStatus = 'ACTIVE' | 'COMPLETED' | 'CANCELLED'

export interface TrackerEvent {
    event: string
    programStage: string
    program?: string
    enrollment?: string
    trackedEntity?: string
    orgUnit: string
    /** Date of the contact (v41 name; `eventDate` before v40). */
    occurredAt?: string
    scheduledAt?: string
    status: EventStatus
    dataValues: DataValue[]
    updatedAt?: string
    /** Present (true) only when soft-deleted events are requested (`includeDeleted`). */
    deleted?: boolean
}

export interface Enrollment {
    enrollment: string
    program: string
    trackedEntity?: string
    orgUnit: string
    enrolledAt: string
    /** The program's incident date; the ANC program uses it for the LMP. */
    occurredAt?: string
    status: EnrollmentStatus
    attributes?: AttributeValue[]
    events?: TrackerEvent[]
    /** Present (true) only when soft-deleted enrollments are requested (`includeDeleted`). */
    deleted?: boolean
}

export interface TrackedEntity {
    trackedEntity: string
    trackedEntityType: string
    orgUnit: string
    attributes: AttributeValue[]
    enrollments?: Enrollment[]
    createdAt?: string
    updatedAt?: string
}

export interface Pager {
    page: number
    pageSize: number
    total?: number
    pageCount?: number
}

export interface TrackedEntityPage {
    trackedEntities: TrackedEntity[]
    pager: Pager
}

export interface TrackerErrorReport {
    message: string
    errorCode: string
    trackerType: 'TRACKED_ENTITY' | 'ENROLLMENT' | 'EVENT' | 'RELATIONSHIP' | string
    uid: string
    args?: string[]
}

export interface TrackerImportReport {
    status: 'OK' | 'WARNING' | 'ERROR'
    validationReport?: {
        errorReports?: TrackerErrorReport[]
        warningReports?: TrackerErrorReport[]
    }
    stats?: { created: number; updated: number; deleted: number; ignored: number; total: number }
}

/** The nested payload of POST /api/tracker. */
export interface TrackerPayload {
    trackedEntities?: TrackedEntity[]
    enrollments?: Enrollment[]
    events?: TrackerEvent[]
}
