/** Tracker API v41 shapes (the subset the ANC apps read and write). */

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

export type EventStatus = 'ACTIVE' | 'COMPLETED' | 'VISITED' | 'SCHEDULE' | 'OVERDUE' | 'SKIPPED'
export type EnrollmentStatus = 'ACTIVE' | 'COMPLETED' | 'CANCELLED'

export interface TrackerEvent {
    event: string
    programStage: string
    program?: string
    enrollment?: string
    trackedEntity?: string
    orgUnit: string
    occurredAt?: string
    scheduledAt?: string
    status: EventStatus
    dataValues: DataValue[]
    updatedAt?: string
}

export interface Enrollment {
    enrollment: string
    program: string
    trackedEntity?: string
    orgUnit: string
    enrolledAt: string
    occurredAt?: string
    status: EnrollmentStatus
    attributes?: AttributeValue[]
    events?: TrackerEvent[]
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
