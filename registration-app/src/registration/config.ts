import { DEFAULT_CLAIMS_MAPPING, type ClaimsMappingConfig } from '@anc/shared/src/claims'
import { DEFAULT_FHIR_MAPPING, type FhirMappingConfig } from '@anc/shared/src/fhir/config'

/** Option codes of option set `ancOsSex000` (the claims mapping produces the same codes). */
export const SEX_CODES = ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'] as const
export type SexCode = (typeof SEX_CODES)[number]

/** Shipped defaults; an operator's datastore override is not read yet (see README). */
export const CLAIMS_CONFIG: ClaimsMappingConfig = DEFAULT_CLAIMS_MAPPING as ClaimsMappingConfig
export const FHIR_CONFIG: FhirMappingConfig = DEFAULT_FHIR_MAPPING as FhirMappingConfig
