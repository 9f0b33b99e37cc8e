/**
 * The parts of DHIS2 v41 tracker JSON (`/api/tracker/trackedEntities/{uid}?fields=...`) that the
 * FHIR mapping reads. Structural on purpose: the tracker client's richer types fit these.
 */

export interface TrackerAttributeValue {
    attribute: string
    value: string
}

export interface TrackerDataValue {
    dataElement: string
    value: string
}

export type TrackerEventStatus =
    'ACTIVE' | 'COMPLETED' | 'VISITED' | 'SCHEDULE' | 'OVERDUE' | 'SKIPPED'

export interface TrackerEvent {
    event: string
    programStage: string
    status: TrackerEventStatus | string
    /** Date of the contact (v41 name; `eventDate` before v40). */
    occurredAt?: string
    scheduledAt?: string
    orgUnit?: string
    dataValues?: TrackerDataValue[]
    deleted?: boolean
}

export interface TrackerEnrollment {
    enrollment: string
    program: string
    status: 'ACTIVE' | 'COMPLETED' | 'CANCELLED' | string
    enrolledAt?: string
    /** The program's incident date; the ANC program uses it for the LMP. */
    occurredAt?: string
    orgUnit?: string
    attributes?: TrackerAttributeValue[]
    events?: TrackerEvent[]
    deleted?: boolean
}

export interface TrackerTrackedEntity {
    trackedEntity: string
    trackedEntityType?: string
    orgUnit?: string
    attributes?: TrackerAttributeValue[]
    enrollments?: TrackerEnrollment[]
}
