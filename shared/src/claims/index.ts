// @anc/shared/claims: verified eSignet claims to tracker attributes, and the claims mapping.
export { DEFAULT_CLAIMS_MAPPING, MAPPED_FIELDS, type ClaimsMappingConfig } from './config'
export { mapClaimsToAttributes } from './map-claims'
export { normaliseEmail, normaliseNic, normalisePhone, normaliseText } from './normalise'
