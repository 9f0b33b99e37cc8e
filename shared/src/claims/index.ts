// @anc/shared/claims: verified eSignet claims to tracker attributes, and the claims mapping.
export {
    DEFAULT_CLAIMS_MAPPING,
    MAPPED_FIELDS,
    requiredAttribute,
    type ClaimsMappingConfig,
    type MappedField,
} from './config'
export { mapClaimsToAttributes, mapClaimsToFields } from './map-claims'
export { normaliseEmail, normaliseNic, normalisePhone, normaliseText } from './normalise'
