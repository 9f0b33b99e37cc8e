// @anc/shared/test-support: helpers for tests of every workspace (never for production code:
// eslint refuses it there).
export { httpError, recordingEngine } from './data-engine'
export { RELAY_CONFIG_BODY } from './relay-config'
export { FIXTURE_LMP, fixtureTrackedEntity } from './tracked-entity'
