import { DEFAULT_CLAIMS_MAPPING, type ClaimsMappingConfig } from '@anc/shared/src/claims'
import { DEFAULT_FHIR_MAPPING, type FhirMappingConfig } from '@anc/shared/src/fhir/config'

export { SEX_CODES, type SexCode } from '@anc/shared/src/metadata/ids'

/** Shipped defaults; an operator's datastore override is not read yet (see README). */
export const CLAIMS_CONFIG: ClaimsMappingConfig = DEFAULT_CLAIMS_MAPPING as ClaimsMappingConfig
export const FHIR_CONFIG: FhirMappingConfig = DEFAULT_FHIR_MAPPING as FhirMappingConfig
