// @anc/shared/tracker: DHIS2 tracker API v41 calls, the registration payload and the FHIR
// outbox. Plain TypeScript (Node can load it); the react-query hooks are @anc/shared/tracker/react.
export {
    getTrackedEntity,
    importTracker,
    issuePhn,
    searchTrackedEntities,
    TRACKED_ENTITY_FIELDS,
    type AttributeFilter,
    type Engine,
} from './api'
export type { ImportProblems } from './import-report'
export { FhirOutbox, pushOrQueue, type OutboxEntry } from './outbox'
export { registrationPayload, type RegistrationIds } from './registration'
export {
    dataValuesOf,
    type AttributeValue,
    type DataValue,
    type Enrollment,
    type TrackedEntity,
    type TrackerEvent,
    type TrackerPayload,
} from './types'
export { generateUid } from './uid'
