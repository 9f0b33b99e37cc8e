// @anc/shared/metadata: the stable UIDs and codes of the ANC metadata package.
export {
    ATTRIBUTES,
    AUTHORITIES,
    DATA_ELEMENTS,
    DATASTORE,
    ESIGNET_SUB_SYSTEM,
    OPTION_SETS,
    PROGRAM_ANC,
    PROGRAM_STAGES,
    ROUTE_CODES,
    SEX_CODES,
    TRACKED_ENTITY_TYPE_PERSON,
    USER_ROLES,
    type SexCode,
} from './ids'
