import { DHIS2_UID_PATTERN as UID } from '../metadata/ids'
import { type ConfigProblem } from '../stored/problem'
import { isListMatching, isRecord, isRecordOf, storedSections } from '../stored/stored'
/**
 * FHIR mapping configuration: identifier systems, profile URLs, and every code. Codes live here,
 * not in the mapping code, because the WHO DAK and the Sri Lanka reference disagree on several
 * (EDD, parity, GA, fundal height, Hb, glucose: see anc-clinical.md §4). Stored override: DHIS2
 * datastore `anc` / `fhir-config`, read with `mergeFhirMappingConfig`.
 */
import { DATA_ELEMENTS, ESIGNET_SUB_SYSTEM, PROGRAM_ANC } from '../metadata/ids'

export const LOINC = 'http://loinc.org'
export const SNOMED = 'http://snomed.info/sct'
export const UCUM = 'http://unitsofmeasure.org'

export interface CodingConfig {
    system: string
    code: string
    display?: string
}

export type ObservationValueConfig =
    | { type: 'quantity'; ucum: string; unit: string }
    | { type: 'integer' }
    | { type: 'dateTime' }
    /** DHIS2 option code → coding in `system`. */
    | { type: 'coded'; system: string }

export interface ObservationMapping {
    /** Stable key used by the view model ('weight', 'fundalHeight', ...). */
    key: string
    dataElement: string
    code: CodingConfig[]
    category: 'vital-signs' | 'exam' | 'laboratory' | 'survey'
    value: ObservationValueConfig
}

export interface FhirMappingConfig {
    systems: {
        phn: string
        esignetSub: string
        nic: string
        trackedEntity: string
        enrollment: string
        event: string
        /** Observation identifiers: value `<event UID>-<data element UID>`. */
        dataValue: string
        /** Appointment identifiers: value `<enrollment UID>-<contact number>`. */
        appointment: string
    }
    /** meta.profile of Patient. Empty by default: the NEHR ips-patient profile requires a passport
     * identifier and a registration-system extension we cannot honestly fill. */
    patientProfiles: string[]
    /** Send the NIC identifier (it is stored only with consent; this switch can withhold it). */
    shareNic: boolean
    program: string
    /** Option code of the sex option set → FHIR administrative gender. */
    genderCodes: Record<string, 'female' | 'male' | 'other' | 'unknown'>
    pregnancy: {
        lmpDataElement: string
        conditionCode: CodingConfig[]
        episodeType: CodingConfig[]
        /** Observations of the pregnancy (LMP, EDD, gravida, parity), wherever they were recorded.
         * The one with key 'edd' is derived from the LMP (Naegele) when no EDD was recorded. */
        observations: ObservationMapping[]
    }
    bloodPressure: {
        systolicDataElement: string
        diastolicDataElement: string
        panel: CodingConfig[]
        systolic: CodingConfig[]
        diastolic: CodingConfig[]
    }
    /** Per-contact observations (besides blood pressure). */
    observations: ObservationMapping[]
    encounter: {
        class: CodingConfig
        type: CodingConfig[]
        reasonCode: CodingConfig[]
    }
    appointment: {
        serviceType: CodingConfig[]
        /** Offset used for the start/end instants of fulfilled appointments (the clinic's zone). */
        timeZoneOffset: string
    }
}

const DE = DATA_ELEMENTS

export const DEFAULT_FHIR_MAPPING: Readonly<FhirMappingConfig> = Object.freeze({
    systems: {
        phn: 'http://fhir.health.gov.lk/ips/identifier/phn',
        esignetSub: ESIGNET_SUB_SYSTEM,
        nic: 'http://fhir.health.gov.lk/ips/identifier/nic',
        trackedEntity: 'urn:dhis2:trackedEntity',
        enrollment: 'urn:dhis2:enrollment',
        event: 'urn:dhis2:event',
        dataValue: 'urn:dhis2:dataValue',
        appointment: 'urn:dhis2:ancContact',
    },
    patientProfiles: [],
    shareNic: true,
    program: PROGRAM_ANC,
    genderCodes: { FEMALE: 'female', MALE: 'male', OTHER: 'other', UNKNOWN: 'unknown' },
    pregnancy: {
        lmpDataElement: DE.lmp,
        conditionCode: [{ system: SNOMED, code: '77386006', display: 'Pregnant' }],
        episodeType: [{ system: SNOMED, code: '424525001', display: 'Antenatal care' }],
        observations: [
            {
                key: 'lmp',
                dataElement: DE.lmp,
                code: [
                    { system: LOINC, code: '8665-2', display: 'Last menstrual period start date' },
                    { system: SNOMED, code: '21840007', display: 'Date of last menstrual period' },
                ],
                category: 'survey',
                value: { type: 'dateTime' },
            },
            {
                key: 'edd',
                dataElement: DE.edd,
                code: [
                    { system: LOINC, code: '11778-8', display: 'Delivery date Estimated' },
                    { system: SNOMED, code: '161714006', display: 'Estimated date of delivery' },
                ],
                category: 'survey',
                value: { type: 'dateTime' },
            },
            {
                key: 'gravida',
                dataElement: DE.gravida,
                code: [
                    { system: LOINC, code: '11996-6', display: '[#] Pregnancies' },
                    { system: SNOMED, code: '161732006', display: 'Gravida' },
                ],
                category: 'survey',
                value: { type: 'integer' },
            },
            {
                key: 'parity',
                dataElement: DE.parity,
                code: [
                    { system: LOINC, code: '11640-0', display: '[#] Births total' },
                    { system: SNOMED, code: '118212000', display: 'Parity' },
                ],
                category: 'survey',
                value: { type: 'integer' },
            },
        ],
    },
    bloodPressure: {
        systolicDataElement: DE.systolicBp,
        diastolicDataElement: DE.diastolicBp,
        panel: [
            {
                system: LOINC,
                code: '85354-9',
                display: 'Blood pressure panel with all children optional',
            },
        ],
        systolic: [
            { system: LOINC, code: '8480-6', display: 'Systolic blood pressure' },
            { system: SNOMED, code: '271649006', display: 'Systolic blood pressure' },
        ],
        diastolic: [
            { system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' },
            { system: SNOMED, code: '271650006', display: 'Diastolic blood pressure' },
        ],
    },
    observations: [
        {
            key: 'gestationalAge',
            dataElement: DE.gestationalAgeWeeks,
            code: [
                {
                    system: LOINC,
                    code: '11885-1',
                    display: 'Gestational age Estimated from last menstrual period',
                },
                { system: SNOMED, code: '57036006', display: 'Fetal gestational age' },
            ],
            category: 'exam',
            value: { type: 'quantity', ucum: 'wk', unit: 'wk' },
        },
        {
            key: 'weight',
            dataElement: DE.weightKg,
            code: [
                { system: LOINC, code: '29463-7', display: 'Body weight' },
                { system: SNOMED, code: '27113001', display: 'Body weight' },
            ],
            category: 'vital-signs',
            value: { type: 'quantity', ucum: 'kg', unit: 'kg' },
        },
        {
            key: 'height',
            dataElement: DE.heightCm,
            code: [
                { system: LOINC, code: '8302-2', display: 'Body height' },
                { system: SNOMED, code: '50373000', display: 'Body height measure' },
            ],
            category: 'vital-signs',
            value: { type: 'quantity', ucum: 'cm', unit: 'cm' },
        },
        {
            key: 'fundalHeight',
            dataElement: DE.fundalHeightCm,
            code: [
                { system: LOINC, code: '11881-0', display: 'Uterus Fundal height Tape measure' },
                { system: SNOMED, code: '364253002', display: 'Fundal height' },
            ],
            category: 'exam',
            value: { type: 'quantity', ucum: 'cm', unit: 'cm' },
        },
        {
            key: 'fetalHeartRate',
            dataElement: DE.fetalHeartRate,
            code: [
                { system: LOINC, code: '55283-6', display: 'Fetal Heart rate' },
                { system: SNOMED, code: '249043002', display: 'Fetal heart rate' },
            ],
            category: 'exam',
            value: { type: 'quantity', ucum: '/min', unit: 'beats/min' },
        },
        {
            key: 'haemoglobin',
            dataElement: DE.haemoglobin,
            code: [
                { system: LOINC, code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood' },
                { system: SNOMED, code: '104718002', display: 'Hemoglobin' },
            ],
            category: 'laboratory',
            value: { type: 'quantity', ucum: 'g/dL', unit: 'g/dL' },
        },
        {
            key: 'urineProtein',
            dataElement: DE.urineProtein,
            code: [
                {
                    system: LOINC,
                    code: '20454-5',
                    display: 'Protein [Presence] in Urine by Test strip',
                },
                { system: SNOMED, code: '271000000', display: 'Urine albumin' },
            ],
            category: 'laboratory',
            value: { type: 'coded', system: 'urn:dhis2:optionSet:ancOsUrPrt0' },
        },
    ],
    encounter: {
        class: {
            system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
            code: 'AMB',
            display: 'ambulatory',
        },
        type: [{ system: SNOMED, code: '424619006', display: 'Prenatal visit' }],
        reasonCode: [{ system: SNOMED, code: '77386006', display: 'Pregnant' }],
    },
    appointment: {
        serviceType: [{ system: SNOMED, code: '424525001', display: 'Antenatal care' }],
        timeZoneOffset: '+05:30',
    },
}) as Readonly<FhirMappingConfig>

const URI = /^(https?:\/\/[^\s|]+|urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[^\s|]+)$/

function isCodings(v: unknown): v is CodingConfig[] {
    return (
        Array.isArray(v) &&
        v.length > 0 &&
        v.every(
            (c) =>
                isRecord(c) &&
                typeof c.system === 'string' &&
                URI.test(c.system) &&
                typeof c.code === 'string' &&
                /^\S{1,64}$/.test(c.code) &&
                (c.display === undefined || typeof c.display === 'string')
        )
    )
}
function isObservationMappings(v: unknown): v is ObservationMapping[] {
    return (
        Array.isArray(v) &&
        v.every(
            (m) =>
                isRecord(m) &&
                typeof m.key === 'string' &&
                /^[A-Za-z][A-Za-z0-9]{0,40}$/.test(m.key) &&
                typeof m.dataElement === 'string' &&
                UID.test(m.dataElement) &&
                isCodings(m.code) &&
                ['vital-signs', 'exam', 'laboratory', 'survey'].includes(m.category as string) &&
                isRecord(m.value) &&
                (m.value.type === 'integer' ||
                    m.value.type === 'dateTime' ||
                    (m.value.type === 'quantity' &&
                        typeof m.value.ucum === 'string' &&
                        typeof m.value.unit === 'string') ||
                    (m.value.type === 'coded' &&
                        typeof m.value.system === 'string' &&
                        URI.test(m.value.system)))
        )
    )
}

/** Deep copy of the defaults, so callers can never mutate the frozen shipped config's arrays. */
export function defaultFhirMapping(): FhirMappingConfig {
    return JSON.parse(JSON.stringify(DEFAULT_FHIR_MAPPING)) as FhirMappingConfig
}

/**
 * Validates a stored config and merges it over the defaults, section by section; an invalid
 * section keeps its default and is reported.
 */
export function mergeFhirMappingConfig(stored: unknown): {
    config: FhirMappingConfig
    problems: ConfigProblem[]
} {
    const config = defaultFhirMapping()
    const problems: ConfigProblem[] = []
    const sections = storedSections(stored, problems)
    if (!sections) return { config, problems }
    const { stored: s, has, fail } = sections

    if (has('systems')) {
        const v = s.systems
        if (isRecord(v) && Object.hasOwn(v, 'esignetSub') && v.esignetSub !== ESIGNET_SUB_SYSTEM) {
            // The relay looks patients up by this system and cannot read this setting.
            fail(
                'systems.esignetSub',
                `is fixed (${ESIGNET_SUB_SYSTEM}): the relay finds records by it`
            )
        } else if (
            isRecordOf(
                v,
                (u, k) => Object.hasOwn(config.systems, k) && typeof u === 'string' && URI.test(u)
            )
        ) {
            Object.assign(config.systems, v)
        } else fail('systems', 'must map known identifier kinds to URIs (no "|")')
    }
    if (has('patientProfiles')) {
        const v = s.patientProfiles
        if (isListMatching(v, URI)) config.patientProfiles = [...v]
        else fail('patientProfiles', 'must be a list of profile URLs')
    }
    if (has('shareNic')) {
        if (typeof s.shareNic === 'boolean') config.shareNic = s.shareNic
        else fail('shareNic', 'must be true or false')
    }
    if (has('attributes')) {
        // One table says which attribute holds which field, for the form and for FHIR alike.
        fail('attributes', 'ignored: set the attribute of each field in claims-mapping attributeOf')
    }
    if (has('genderCodes')) {
        const v = s.genderCodes
        if (
            isRecordOf(v, (g) => g === 'female' || g === 'male' || g === 'other' || g === 'unknown')
        ) {
            config.genderCodes = { ...(v as FhirMappingConfig['genderCodes']) }
        } else fail('genderCodes', 'must map option codes to female/male/other/unknown')
    }
    if (has('observations')) {
        if (isObservationMappings(s.observations)) config.observations = s.observations
        else fail('observations', 'must be a list of {key, dataElement, code[], category, value}')
    }
    if (has('pregnancy')) {
        const v = s.pregnancy
        if (
            isRecord(v) &&
            typeof v.lmpDataElement === 'string' &&
            UID.test(v.lmpDataElement) &&
            isCodings(v.conditionCode) &&
            isCodings(v.episodeType) &&
            isObservationMappings(v.observations)
        ) {
            config.pregnancy = v as unknown as FhirMappingConfig['pregnancy']
        } else fail('pregnancy', 'needs lmpDataElement, conditionCode, episodeType, observations')
    }
    if (has('bloodPressure')) {
        const v = s.bloodPressure
        if (
            isRecord(v) &&
            typeof v.systolicDataElement === 'string' &&
            UID.test(v.systolicDataElement) &&
            typeof v.diastolicDataElement === 'string' &&
            UID.test(v.diastolicDataElement) &&
            isCodings(v.panel) &&
            isCodings(v.systolic) &&
            isCodings(v.diastolic)
        ) {
            config.bloodPressure = v as unknown as FhirMappingConfig['bloodPressure']
        } else
            fail(
                'bloodPressure',
                'needs systolic/diastolic data elements and panel/component codes'
            )
    }
    if (has('encounter')) {
        const v = s.encounter
        if (isRecord(v) && isCodings([v.class]) && isCodings(v.type) && isCodings(v.reasonCode)) {
            config.encounter = v as unknown as FhirMappingConfig['encounter']
        } else fail('encounter', 'needs class, type and reasonCode codings')
    }
    if (has('appointment')) {
        const v = s.appointment
        if (
            isRecord(v) &&
            isCodings(v.serviceType) &&
            typeof v.timeZoneOffset === 'string' &&
            /^[+-](0\d|1[0-4]):[0-5]\d$/.test(v.timeZoneOffset)
        ) {
            config.appointment = v as unknown as FhirMappingConfig['appointment']
        } else fail('appointment', 'needs serviceType codings and timeZoneOffset like +05:30')
    }
    return { config, problems }
}
