/**
 * The tracker payload as the stand-in reads it (DHIS2's `/api/tracker` JSON) and the import's
 * error reports. Shared by the import's steps: flattening, validation, persistence, report.
 */

export type TrackerType = 'TRACKED_ENTITY' | 'ENROLLMENT' | 'EVENT' | 'RELATIONSHIP'
export type ImportedType = Exclude<TrackerType, 'RELATIONSHIP'>

/**
 * What the import checks alike for each kind of object it writes: the name DHIS2's messages use,
 * the table it is stored in, and the error codes for "already exists" (on CREATE) and for an
 * org unit that does not exist.
 */
export const KINDS: Record<
    ImportedType,
    { name: string; table: string; alreadyExists: string; orgUnitNotFound: string }
> = {
    TRACKED_ENTITY: {
        name: 'TrackedEntity',
        table: 'tracked_entities',
        alreadyExists: 'E1002',
        orgUnitNotFound: 'E1049',
    },
    ENROLLMENT: {
        name: 'Enrollment',
        table: 'enrollments',
        alreadyExists: 'E1080',
        orgUnitNotFound: 'E1070',
    },
    EVENT: { name: 'Event', table: 'events', alreadyExists: 'E1030', orgUnitNotFound: 'E1011' },
}

export interface ErrorReport {
    message: string
    errorCode: string
    trackerType: TrackerType
    uid: string
}

export interface AttributeValue {
    attribute: string
    value: string | null
    [key: string]: unknown
}

export interface DataValue {
    dataElement: string
    value: string | null
    [key: string]: unknown
}

export interface EventIn {
    event?: string
    enrollment?: string
    trackedEntity?: string
    program?: string
    programStage?: string
    orgUnit?: string
    occurredAt?: string
    scheduledAt?: string
    status?: string
    dataValues?: DataValue[]
    [key: string]: unknown
}

export interface EnrollmentIn {
    enrollment?: string
    trackedEntity?: string
    program?: string
    orgUnit?: string
    enrolledAt?: string
    occurredAt?: string
    status?: string
    attributes?: AttributeValue[]
    events?: EventIn[]
    [key: string]: unknown
}

export interface TrackedEntityIn {
    trackedEntity?: string
    trackedEntityType?: string
    orgUnit?: string
    attributes?: AttributeValue[]
    enrollments?: EnrollmentIn[]
    [key: string]: unknown
}

/** The body of `POST /api/tracker`: nested or flat, as DHIS2 accepts it. */
export interface TrackerPayload {
    trackedEntities?: TrackedEntityIn[]
    enrollments?: EnrollmentIn[]
    events?: EventIn[]
}

/** The payload flattened, every object with its UID (DHIS2's TrackerBundle). */
export interface TrackerBundle {
    entities: TrackedEntityIn[]
    enrollments: EnrollmentIn[]
    events: EventIn[]
}

/** A metadata reference, `{ id }`. */
export interface Ref {
    id: string
}
