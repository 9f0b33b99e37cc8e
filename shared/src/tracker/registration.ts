import { PROGRAM_ANC, PROGRAM_STAGES, TRACKED_ENTITY_TYPE_PERSON } from '../metadata/ids'
import type { AttributeValue, DataValue, TrackerPayload } from './types'
import { generateUid } from './uid'

export interface NewRegistration {
    orgUnit: string
    attributes: AttributeValue[]
    /** ISO date of the enrollment (registration day). */
    enrolledAt: string
    /** ISO date the pregnancy is counted from (LMP), if known. */
    occurredAt?: string
    firstContact: { occurredAt: string; dataValues: DataValue[] }
}

export interface RegistrationIds {
    trackedEntity: string
    enrollment: string
    firstContactEvent: string
}

/**
 * The nested payload that registers a woman, enrolls her in ANC and records the first contact,
 * with UIDs chosen here: a retry after a lost response sends the same ids, so CREATE_AND_UPDATE
 * updates instead of duplicating her.
 */
export function registrationPayload(
    input: NewRegistration,
    ids: RegistrationIds = {
        trackedEntity: generateUid(),
        enrollment: generateUid(),
        firstContactEvent: generateUid(),
    }
): { payload: TrackerPayload; ids: RegistrationIds } {
    const payload: TrackerPayload = {
        trackedEntities: [
            {
                trackedEntity: ids.trackedEntity,
                trackedEntityType: TRACKED_ENTITY_TYPE_PERSON,
                orgUnit: input.orgUnit,
                attributes: input.attributes,
                enrollments: [
                    {
                        enrollment: ids.enrollment,
                        program: PROGRAM_ANC,
                        orgUnit: input.orgUnit,
                        enrolledAt: input.enrolledAt,
                        occurredAt: input.occurredAt ?? input.enrolledAt,
                        status: 'ACTIVE',
                        events: [
                            {
                                event: ids.firstContactEvent,
                                programStage: PROGRAM_STAGES.registration,
                                orgUnit: input.orgUnit,
                                occurredAt: input.firstContact.occurredAt,
                                status: 'COMPLETED',
                                dataValues: input.firstContact.dataValues,
                            },
                        ],
                    },
                ],
            },
        ],
    }
    return { payload, ids }
}
