// @anc/shared/tracker/react: react-query hooks on the tracker calls and the outbox.
export { trackerKeys, useFhirOutbox, useTrackedEntity, useTrackerEngine } from './hooks'
