import { DHIS2_UID_PATTERN as UID } from '../metadata/ids'
import { type ConfigProblem } from '../stored/problem'
import { isIntegerIn, isListMatching, isRecord, isRecordOf, storedSections } from '../stored/stored'
/**
 * The claims mapping: which eSignet claims are requested (essential or voluntary) and which
 * tracker attribute holds each of the person's fields (`attributeOf`): the one table of field to
 * attribute that the registration form, the claims and the FHIR Patient all read. Shipped defaults below; an operator may store an
 * override in the DHIS2 datastore at DATASTORE.namespace / DATASTORE.claimsMappingKey, read with
 * `mergeClaimsMappingConfig`, which validates it and keeps the defaults for anything invalid.
 */
import { ATTRIBUTES } from '../metadata/ids'

/** What the mapping produces; each maps to one tracker attribute (or none). */
export type MappedField =
    | 'fullName'
    | 'givenName'
    | 'familyName'
    | 'birthDate'
    | 'sex'
    | 'phone'
    | 'email'
    | 'address'
    | 'sub'
    | 'nic'

export const MAPPED_FIELDS: readonly MappedField[] = [
    'fullName',
    'givenName',
    'familyName',
    'birthDate',
    'sex',
    'phone',
    'email',
    'address',
    'sub',
    'nic',
]

/** Fields a registration cannot do without: an operator may move them, not drop them. */
export const REQUIRED_FIELDS = [
    'fullName',
    'birthDate',
    'sex',
    'sub',
] as const satisfies readonly MappedField[]

/** The attribute of a field every registration has (the merge never leaves one without). */
export function requiredAttribute(
    config: Pick<ClaimsMappingConfig, 'attributeOf'>,
    field: (typeof REQUIRED_FIELDS)[number]
): string {
    const uid = config.attributeOf[field]
    if (uid === undefined) throw new RangeError(`the claims mapping has no attribute for ${field}`)
    return uid
}

export interface RequestedClaim {
    claim: string
    essential: boolean
}

export interface ClaimsMappingConfig {
    /** Claims asked of eSignet (the `claims.userinfo` request); essential ones cannot be declined. */
    requestedClaims: RequestedClaim[]
    /** Source claim of each field (base name; `#lang` variants are found automatically). */
    claimOf: Record<MappedField, string>
    /**
     * The attribute UID that holds each field; a field left out is not stored at all (no claim
     * fills it, the form does not ask for it, FHIR does not carry it). REQUIRED_FIELDS always
     * have one.
     */
    attributeOf: Partial<Record<MappedField, string>>
    /** UI locale (2-letter) → eSignet language tags to look for, in preference order. */
    languages: Record<string, string[]>
    /** Tags tried after the locale's own and the untagged claim. */
    fallbackLanguages: string[]
    /** Gender label (any language, compared case-insensitively) → option code of option set sex. */
    genderOptions: Record<string, string>
    phone: {
        /** Country calling code used for national numbers (leading 0 trunk prefix), no '+'. */
        defaultCountryCode: string
        /** Allowed lengths of the national significant number for the default country. */
        nationalNumberLengths: number[]
    }
    /** Sub-keys of the address claim joined, in this order, into the address attribute text. */
    addressParts: string[]
    addressSeparator: string
    /** Longest text accepted for an attribute value; longer values are refused, never cut. */
    maxLength: number
}

export const DEFAULT_CLAIMS_MAPPING: Readonly<ClaimsMappingConfig> = Object.freeze({
    requestedClaims: [
        { claim: 'name', essential: true },
        { claim: 'birthdate', essential: true },
        { claim: 'gender', essential: true },
        { claim: 'phone_number', essential: false },
        { claim: 'email', essential: false },
        { claim: 'address', essential: false },
        { claim: 'individual_id', essential: false },
    ],
    claimOf: {
        fullName: 'name',
        givenName: 'given_name',
        familyName: 'family_name',
        birthDate: 'birthdate',
        sex: 'gender',
        phone: 'phone_number',
        email: 'email',
        address: 'address',
        sub: 'sub',
        // The national ID number is a voluntary claim: present only if the person shared it.
        nic: 'individual_id',
    },
    attributeOf: {
        fullName: ATTRIBUTES.fullName,
        givenName: ATTRIBUTES.givenName,
        familyName: ATTRIBUTES.familyName,
        birthDate: ATTRIBUTES.birthDate,
        sex: ATTRIBUTES.sex,
        phone: ATTRIBUTES.phone,
        email: ATTRIBUTES.email,
        address: ATTRIBUTES.address,
        sub: ATTRIBUTES.esignetSub,
        nic: ATTRIBUTES.nic,
    },
    languages: { en: ['eng', 'en'], si: ['sin', 'si'], ta: ['tam', 'ta'] },
    fallbackLanguages: ['eng', 'en'],
    // Every label MOSIP's identity systems and eSignet's sample data use, in every language
    // they come in (lower-cased, NFC), plus Sinhala and Tamil. Sources: MOSIP masterdata
    // (mosip/mosip-data mosip_master_csv/csv/dynamic_field.csv and gender.csv: Male/Female/Others,
    // Mâle/Femelle/Autres/Dautres, ذكر/أنثى/آحرون, codes MLE/FLE/OTH), eSignet's mock identity data
    // (mosip/esignet helm/esignet/mock-auth-data/*.json: Male/Mâle/ذكر, Female/Femâle) and its
    // dynamic form sample (docs/design/dynamic-forms.md, v1.8.0: Masculin, Féminin, Other/Autre/آخر),
    // the mock identity system (mosip/esignet-mock-services AuthenticationServiceImplTest: Male/Mâle/ذكر).
    genderOptions: {
        female: 'FEMALE',
        f: 'FEMALE',
        woman: 'FEMALE',
        fle: 'FEMALE',
        femelle: 'FEMALE',
        femâle: 'FEMALE',
        féminin: 'FEMALE',
        أنثى: 'FEMALE',
        ස්ත්‍රී: 'FEMALE',
        ගැහැණු: 'FEMALE',
        பெண்: 'FEMALE',
        male: 'MALE',
        m: 'MALE',
        man: 'MALE',
        mle: 'MALE',
        mâle: 'MALE',
        masculin: 'MALE',
        ذكر: 'MALE',
        පුරුෂ: 'MALE',
        පිරිමි: 'MALE',
        ஆண்: 'MALE',
        other: 'OTHER',
        others: 'OTHER',
        oth: 'OTHER',
        autre: 'OTHER',
        autres: 'OTHER',
        dautres: 'OTHER',
        آخر: 'OTHER',
        آحرون: 'OTHER',
        // Not in MOSIP's data: Sinhala and Tamil for "other", as a Sri Lankan identity system
        // would label it (wording to be confirmed by a native speaker, see i18n/README.md).
        වෙනත්: 'OTHER',
        பிற: 'OTHER',
    },
    phone: { defaultCountryCode: '94', nationalNumberLengths: [9] },
    addressParts: ['street_address', 'locality', 'region', 'postal_code', 'country'],
    addressSeparator: ', ',
    maxLength: 230,
}) as Readonly<ClaimsMappingConfig>

const CLAIM_NAME = /^[a-z][a-z0-9_]{0,63}$/
const LANG = /^[a-z]{2,3}$/
const OPTION_CODE = /^[A-Za-z0-9_]{1,50}$/

/**
 * Validates a stored (partial) config and merges it over the defaults. Each top-level section is
 * taken whole when valid, else the default is kept and a problem reported: a half-valid gender
 * table is worse than the shipped one.
 */
export function mergeClaimsMappingConfig(stored: unknown): {
    config: ClaimsMappingConfig
    problems: ConfigProblem[]
} {
    const d = DEFAULT_CLAIMS_MAPPING
    const config: ClaimsMappingConfig = {
        requestedClaims: d.requestedClaims.map((c) => ({ ...c })),
        claimOf: { ...d.claimOf },
        attributeOf: { ...d.attributeOf },
        languages: { ...d.languages },
        fallbackLanguages: [...d.fallbackLanguages],
        genderOptions: { ...d.genderOptions },
        phone: { ...d.phone, nationalNumberLengths: [...d.phone.nationalNumberLengths] },
        addressParts: [...d.addressParts],
        addressSeparator: d.addressSeparator,
        maxLength: d.maxLength,
    }
    const problems: ConfigProblem[] = []
    const sections = storedSections(stored, problems)
    if (!sections) return { config, problems }
    const { stored: s, has, fail } = sections

    if (has('requestedClaims')) {
        const v = s.requestedClaims
        if (
            Array.isArray(v) &&
            v.every(
                (c) =>
                    isRecord(c) &&
                    typeof c.claim === 'string' &&
                    CLAIM_NAME.test(c.claim) &&
                    typeof c.essential === 'boolean'
            )
        ) {
            config.requestedClaims = v.map((c) => ({
                claim: c.claim as string,
                essential: c.essential as boolean,
            }))
        } else fail('requestedClaims', 'must be a list of {claim, essential}')
    }
    if (has('claimOf')) {
        const v = s.claimOf
        if (
            isRecordOf(
                v,
                (c, k) =>
                    (MAPPED_FIELDS as readonly string[]).includes(k) &&
                    typeof c === 'string' &&
                    CLAIM_NAME.test(c)
            )
        ) {
            Object.assign(config.claimOf, v)
        } else fail('claimOf', 'must map known fields to claim names')
    }
    if (has('attributeOf')) {
        const v = s.attributeOf
        // null removes a field from the mapping.
        if (
            isRecordOf(
                v,
                (uid, k) =>
                    (MAPPED_FIELDS as readonly string[]).includes(k) &&
                    (uid === null || (typeof uid === 'string' && UID.test(uid)))
            ) &&
            REQUIRED_FIELDS.every((field) => v[field] !== null)
        ) {
            for (const [k, uid] of Object.entries(v)) {
                if (uid === null) delete config.attributeOf[k as MappedField]
                else config.attributeOf[k as MappedField] = uid as string
            }
        } else
            fail(
                'attributeOf',
                `must map known fields to DHIS2 UIDs (or null, except ${REQUIRED_FIELDS.join(', ')})`
            )
    }
    if (has('languages')) {
        const v = s.languages
        if (isRecordOf(v, (tags, k) => LANG.test(k) && isListMatching(tags, LANG))) {
            config.languages = Object.fromEntries(
                Object.entries(v).map(([k, tags]) => [k, [...(tags as string[])]])
            )
        } else fail('languages', 'must map 2-letter locales to lists of 2- or 3-letter tags')
    }
    if (has('fallbackLanguages')) {
        const v = s.fallbackLanguages
        if (isListMatching(v, LANG)) config.fallbackLanguages = [...v]
        else fail('fallbackLanguages', 'must be a list of 2- or 3-letter tags')
    }
    if (has('genderOptions')) {
        const v = s.genderOptions
        if (isRecordOf(v, (c) => typeof c === 'string' && OPTION_CODE.test(c))) {
            config.genderOptions = Object.fromEntries(
                Object.entries(v).map(([k, c]) => [k.normalize('NFC').toLowerCase(), c as string])
            )
        } else fail('genderOptions', 'must map labels to option codes')
    }
    if (has('phone')) {
        const v = s.phone
        if (
            isRecord(v) &&
            typeof v.defaultCountryCode === 'string' &&
            /^[1-9][0-9]{0,2}$/.test(v.defaultCountryCode) &&
            Array.isArray(v.nationalNumberLengths) &&
            v.nationalNumberLengths.every((n) => isIntegerIn(n, 4, 14))
        ) {
            config.phone = {
                defaultCountryCode: v.defaultCountryCode,
                nationalNumberLengths: [...(v.nationalNumberLengths as number[])],
            }
        } else
            fail('phone', 'needs defaultCountryCode (1-3 digits) and nationalNumberLengths (4-14)')
    }
    if (has('addressParts')) {
        const v = s.addressParts
        if (isListMatching(v, CLAIM_NAME)) config.addressParts = [...v]
        else fail('addressParts', 'must be a list of address sub-claim names')
    }
    if (has('addressSeparator')) {
        const v = s.addressSeparator
        if (typeof v === 'string' && v.length >= 1 && v.length <= 5) config.addressSeparator = v
        else fail('addressSeparator', 'must be 1-5 characters')
    }
    if (has('maxLength')) {
        const v = s.maxLength
        if (isIntegerIn(v, 10, 50000)) config.maxLength = v
        else fail('maxLength', 'must be an integer from 10 to 50000')
    }
    return { config, problems }
}
