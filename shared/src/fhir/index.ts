// @anc/shared/fhir: tracker to FHIR bundles and back, the FHIR mapping settings, and the
// errors of FHIR requests. The client itself (fhirclient) is @anc/shared/fhir/client, loaded
// on first use.
export { batchGet, unwrapBatchEntry } from './batch'
export {
    DEFAULT_FHIR_MAPPING,
    mergeFhirMappingConfig,
    type FhirMappingConfig,
    type ObservationMapping,
} from './config'
export { FhirClientError, isFhirUnreachable } from './errors'
export {
    bundleToAncRecord,
    type AncRecordView,
    type ContactView,
    type ObservationValue,
} from './from-bundle'
export { trackerToFhirBundle } from './to-bundle'
