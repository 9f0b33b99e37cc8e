import { generateUid } from '../util'
import type { EnrollmentIn, EventIn, TrackerBundle, TrackerPayload } from './model'

/**
 * Flattens the nested payload, assigning UIDs, like DHIS2's TrackerBundle does: nested
 * enrollments take their tracked entity, nested events their enrollment and its program.
 * The payload's objects are updated in place (the report names the UIDs given here).
 */
export function flattenPayload(body: TrackerPayload): TrackerBundle {
    const entities: TrackerBundle['entities'] = []
    const enrollments: EnrollmentIn[] = []
    const events: EventIn[] = []
    const addEvent = (ev: EventIn) => {
        ev.event ??= generateUid()
        events.push(ev)
    }
    const addEnrollment = (en: EnrollmentIn) => {
        en.enrollment ??= generateUid()
        enrollments.push(en)
        for (const ev of en.events ?? []) {
            ev.enrollment = en.enrollment
            ev.program ??= en.program
            addEvent(ev)
        }
    }
    for (const te of body.trackedEntities ?? []) {
        te.trackedEntity ??= generateUid()
        entities.push(te)
        for (const en of te.enrollments ?? []) {
            en.trackedEntity = te.trackedEntity
            addEnrollment(en)
        }
    }
    for (const en of body.enrollments ?? []) addEnrollment(en)
    for (const ev of body.events ?? []) addEvent(ev)
    return { entities, enrollments, events }
}
