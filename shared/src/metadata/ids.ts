/**
 * Stable DHIS2 identifiers (UIDs and codes) of the ANC metadata package.
 *
 * This is the single source of truth: `deploy/` builds its metadata JSON from it, the DHIS2
 * stand-in imports that JSON, and the apps address attributes and data elements through it.
 * UIDs are 11 characters, a letter then letters or digits, as DHIS2 requires; they never change
 * once released, because installed DHIS2 instances hold data against them.
 */

export const TRACKED_ENTITY_TYPE_PERSON = 'ancTetPersn'

export const PROGRAM_ANC = 'ancProgram1'

export const PROGRAM_STAGES = {
    /** The first contact, captured at registration (not repeatable). */
    registration: 'ancStgRegst',
    /** Every later ANC contact (repeatable). */
    contact: 'ancStgCntct',
} as const

/** Tracked entity (type) attributes. */
export const ATTRIBUTES = {
    /** Personal Health Number shown to people: serial plus check digit (unique). */
    phn: 'ancAttrPHN0',
    /** Serial part of the PHN, issued atomically by DHIS2's TextPattern generator (unique, generated). */
    phnSerial: 'ancAttrPhSq',
    /** eSignet pairwise subject of the relay's client (unique, hidden from forms). */
    esignetSub: 'ancAttrSub0',
    /** National Identity Card number, only with the person's consent (unique, optional). */
    nic: 'ancAttrNIC0',
    fullName: 'ancAttrName',
    givenName: 'ancAttrGivn',
    familyName: 'ancAttrFaml',
    birthDate: 'ancAttrDOB0',
    sex: 'ancAttrSex0',
    phone: 'ancAttrPhon',
    email: 'ancAttrMail',
    address: 'ancAttrAddr',
    /** VERIFIED or UNVERIFIED (option set VERIFICATION_STATUS). */
    verificationStatus: 'ancAttrVrfy',
    /** ISO date-time of the eSignet verification. */
    verifiedAt: 'ancAttrVrAt',
} as const

/** Data elements of the two program stages. */
export const DATA_ELEMENTS = {
    lmp: 'ancDeLMP000',
    edd: 'ancDeEDD000',
    gestationalAgeWeeks: 'ancDeGA0000',
    gravida: 'ancDeGrav00',
    parity: 'ancDePart00',
    previousComplications: 'ancDePrevCx',
    heightCm: 'ancDeHght00',
    weightKg: 'ancDeWght00',
    systolicBp: 'ancDeSBP000',
    diastolicBp: 'ancDeDBP000',
    fundalHeightCm: 'ancDeSFH000',
    fetalHeartRate: 'ancDeFHR000',
    haemoglobin: 'ancDeHb0000',
    urineProtein: 'ancDeUrPrt0',
    contactNumber: 'ancDeCntNo0',
    nextAppointment: 'ancDeNxtApt',
    notes: 'ancDeNotes0',
} as const

export const OPTION_SETS = {
    sex: 'ancOsSex000',
    verificationStatus: 'ancOsVrfy00',
    urineProtein: 'ancOsUrPrt0',
} as const

export const USER_ROLES = {
    midwife: 'ancRoleMidw',
    doctor: 'ancRoleDoct',
} as const

/** Route codes: staff apps reach the relay and the FHIR server only through these. */
export const ROUTE_CODES = {
    relay: 'anc-relay',
    fhir: 'anc-fhir',
} as const

/** DHIS2 datastore: namespace and keys of our configuration and the FHIR outbox. */
export const DATASTORE = {
    namespace: 'anc',
    claimsMappingKey: 'claims-mapping',
    fhirConfigKey: 'fhir-config',
    phnConfigKey: 'phn-config',
    outboxNamespace: 'anc-outbox',
} as const

/** App custom authorities (d2.config.js `customAuthorities`), used as route authorities. */
export const AUTHORITIES = {
    useRelay: 'ANC_USE_RELAY',
    useFhir: 'ANC_USE_FHIR',
} as const

/**
 * The FHIR identifier system of a Patient's eSignet subject (the pairwise `sub` of the relay's
 * client). Fixed, not a setting: the apps write it and the relay finds a patient's own record
 * by it, and the relay cannot read the operator's settings in DHIS2.
 */
export const ESIGNET_SUB_SYSTEM = 'urn:esignet:sub'

/** What DHIS2 accepts as a UID: 11 characters, a letter then letters or digits. */
export const DHIS2_UID_PATTERN = /^[A-Za-z][A-Za-z0-9]{10}$/

/** Option codes of the sex option set: what shared/claims writes and shared/fhir maps. */
export const SEX_CODES = ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'] as const
export type SexCode = (typeof SEX_CODES)[number]
