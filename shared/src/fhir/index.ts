// @anc/shared/fhir: tracker to FHIR bundles and back, the FHIR mapping settings, and the
// errors of FHIR requests, paging links rebuilt on a configured base. The client itself (fhirclient) is @anc/shared/fhir/client, loaded
// on first use.
export { appointmentEntries } from './appointment-entries'
export { batchGet, unwrapBatchEntry } from './batch'
export {
    DEFAULT_FHIR_MAPPING,
    mergeFhirMappingConfig,
    type FhirMappingConfig,
    type ObservationMapping,
} from './config'
export { contactEntries } from './contact-entries'
export { FhirClientError, isFhirUnreachable } from './errors'
export {
    bundleToAncRecord,
    type AncRecordView,
    type ContactView,
    type ObservationValue,
} from './from-bundle'
export { onConfiguredBase } from './links'
export { episodeUrn, readPregnancy } from './pregnancy'
export { trackerToFhirBundle } from './to-bundle'
