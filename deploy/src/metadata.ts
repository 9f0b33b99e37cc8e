/**
 * The ANC metadata package: one DHIS2 metadata JSON object (importable through `POST /api/metadata`
 * and the Import/Export app), built from the canonical UIDs in shared/src/metadata/ids.ts.
 *
 * `npx tsx deploy/src/metadata.ts` writes it to deploy/metadata/anc-metadata.json (committed, so
 * operators can import it without Node) and the datastore defaults beside it. A test fails when
 * the committed files are stale. The DHIS2 stand-in imports the same object at seed time.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { DEFAULT_CLAIMS_MAPPING } from '@anc/shared/claims'
import { DEFAULT_FHIR_MAPPING } from '@anc/shared/fhir'
import {
    ATTRIBUTES,
    AUTHORITIES,
    DATA_ELEMENTS,
    DATASTORE,
    OPTION_SETS,
    PROGRAM_ANC,
    PROGRAM_STAGES,
    SEX_CODES,
    TRACKED_ENTITY_TYPE_PERSON,
    USER_ROLES,
} from '@anc/shared/metadata'
import { DEFAULT_PHN_CONFIG } from '@anc/shared/phn'

/** Metadata attributes carrying the clinical codes of a data element (machine-readable). */
export const CODE_ATTRIBUTES = {
    loinc: 'ancMdAtLOIN',
    snomed: 'ancMdAtSNMD',
} as const

/** App-menu authorities DHIS2 creates on app install: M_<app name without non-alphanumerics>. */
export const APP_AUTHORITIES = {
    registration: 'M_ancregistration',
    doctor: 'M_ancdoctor',
} as const

/** PHN serial TextPattern: nine digits, issued by DHIS2's generator, never reused. */
export const PHN_SERIAL_PATTERN = 'SEQUENTIAL(#########)'

/** Program data sharing: metadata read for everyone, data read/write for users with access. */
const DATA_SHARING = { public: 'r-rw----', external: false, users: {}, userGroups: {} }
const METADATA_SHARING = { public: 'r-------', external: false, users: {}, userGroups: {} }

type Ref = { id: string }
const ref = (id: string): Ref => ({ id })

interface OptionDef {
    id: string
    code: string
    name: string
}

const optionSetDefs: { id: string; code: string; name: string; options: OptionDef[] }[] = [
    {
        id: OPTION_SETS.sex,
        code: 'ANC_SEX',
        name: 'ANC Sex',
        // The codes shared/src/claims writes and shared/src/fhir maps to AdministrativeGender.
        options: (
            [
                ['ancOpSexFem', 'Female'],
                ['ancOpSexMal', 'Male'],
                ['ancOpSexOth', 'Other'],
                ['ancOpSexUnk', 'Unknown'],
            ] as const
        ).map(([id, name], index) => ({ id, code: SEX_CODES[index] as string, name })),
    },
    {
        id: OPTION_SETS.verificationStatus,
        code: 'VERIFICATION_STATUS',
        name: 'ANC Verification status',
        options: [
            { id: 'ancOpVrfYes', code: 'VERIFIED', name: 'Verified with National ID' },
            { id: 'ancOpVrfNo0', code: 'UNVERIFIED', name: 'Not verified' },
        ],
    },
    {
        id: OPTION_SETS.urineProtein,
        code: 'ANC_URINE_PROTEIN',
        name: 'ANC Urine protein (dipstick)',
        options: [
            { id: 'ancOpUpNeg0', code: 'NEGATIVE', name: 'Negative' },
            { id: 'ancOpUpTrc0', code: 'TRACE', name: 'Trace' },
            { id: 'ancOpUpPl10', code: 'PLUS1', name: '+' },
            { id: 'ancOpUpPl20', code: 'PLUS2', name: '++' },
            { id: 'ancOpUpPl30', code: 'PLUS3', name: '+++' },
            { id: 'ancOpUpPl40', code: 'PLUS4', name: '++++' },
        ],
    },
]

interface AttributeDef {
    id: string
    code: string
    name: string
    shortName: string
    valueType: string
    unique?: boolean
    generated?: boolean
    pattern?: string
    optionSet?: string
    description: string
    /** Mandatory on the Person type / in the program (DHIS2 E1090 / E1018). */
    mandatory: boolean
    searchable: boolean
    displayInList: boolean
}

const attributeDefs: AttributeDef[] = [
    {
        id: ATTRIBUTES.phn,
        code: 'ANC_PHN',
        name: 'ANC Personal Health Number',
        shortName: 'PHN',
        valueType: 'TEXT',
        unique: true,
        description: 'PHN shown to people: the generated serial plus one Verhoeff check digit.',
        mandatory: true,
        searchable: true,
        displayInList: true,
    },
    {
        id: ATTRIBUTES.phnSerial,
        code: 'ANC_PHN_SERIAL',
        name: 'ANC PHN serial',
        shortName: 'PHN serial',
        valueType: 'TEXT',
        unique: true,
        generated: true,
        pattern: PHN_SERIAL_PATTERN,
        description: 'Serial part of the PHN, issued atomically by the TextPattern generator.',
        mandatory: true,
        searchable: true,
        displayInList: false,
    },
    {
        id: ATTRIBUTES.esignetSub,
        code: 'ANC_ESIGNET_SUB',
        name: 'ANC eSignet subject',
        shortName: 'eSignet subject',
        valueType: 'TEXT',
        unique: true,
        description: 'Pairwise eSignet subject of the relay client; hidden from forms.',
        mandatory: false,
        searchable: true,
        displayInList: false,
    },
    {
        id: ATTRIBUTES.nic,
        code: 'ANC_NIC',
        name: 'ANC National Identity Card number',
        shortName: 'NIC',
        valueType: 'TEXT',
        unique: true,
        description: 'Stored only with the person’s consent; never mandatory.',
        mandatory: false,
        searchable: true,
        displayInList: false,
    },
    {
        id: ATTRIBUTES.fullName,
        code: 'ANC_FULL_NAME',
        name: 'ANC Full name',
        shortName: 'Full name',
        valueType: 'TEXT',
        description: 'Name as given by the national ID, or as told.',
        mandatory: true,
        searchable: true,
        displayInList: true,
    },
    {
        id: ATTRIBUTES.givenName,
        code: 'ANC_GIVEN_NAME',
        name: 'ANC Given name',
        shortName: 'Given name',
        valueType: 'TEXT',
        description: 'WHO ANC DE2 (LOINC 45392-8).',
        mandatory: false,
        searchable: true,
        displayInList: false,
    },
    {
        id: ATTRIBUTES.familyName,
        code: 'ANC_FAMILY_NAME',
        name: 'ANC Family name',
        shortName: 'Family name',
        valueType: 'TEXT',
        description: 'WHO ANC DE3 (LOINC 45394-4).',
        mandatory: false,
        searchable: true,
        displayInList: false,
    },
    {
        id: ATTRIBUTES.birthDate,
        code: 'ANC_DOB',
        name: 'ANC Date of birth',
        shortName: 'Date of birth',
        valueType: 'DATE',
        description: 'WHO ANC DE5 (LOINC 21112-8).',
        mandatory: true,
        searchable: true,
        displayInList: true,
    },
    {
        id: ATTRIBUTES.sex,
        code: 'ANC_SEX',
        name: 'ANC Sex',
        shortName: 'Sex',
        valueType: 'TEXT',
        optionSet: OPTION_SETS.sex,
        description: 'FHIR AdministrativeGender code.',
        mandatory: true,
        searchable: false,
        displayInList: false,
    },
    {
        id: ATTRIBUTES.phone,
        code: 'ANC_PHONE',
        name: 'ANC Mobile phone',
        shortName: 'Mobile phone',
        valueType: 'PHONE_NUMBER',
        description: 'WHO ANC DE8 (LOINC 42077-8).',
        mandatory: false,
        searchable: true,
        displayInList: false,
    },
    {
        id: ATTRIBUTES.email,
        code: 'ANC_EMAIL',
        name: 'ANC Email',
        shortName: 'Email',
        valueType: 'EMAIL',
        description: 'Email address, when known.',
        mandatory: false,
        searchable: false,
        displayInList: false,
    },
    {
        id: ATTRIBUTES.address,
        code: 'ANC_ADDRESS',
        name: 'ANC Address',
        shortName: 'Address',
        valueType: 'LONG_TEXT',
        description: 'WHO ANC DE7 (LOINC 56799-0).',
        mandatory: false,
        searchable: false,
        displayInList: false,
    },
    {
        id: ATTRIBUTES.verificationStatus,
        code: 'ANC_VERIFICATION_STATUS',
        name: 'ANC Verification status',
        shortName: 'Verification status',
        valueType: 'TEXT',
        optionSet: OPTION_SETS.verificationStatus,
        description: 'Whether the demographics came verified from eSignet.',
        mandatory: true,
        searchable: false,
        displayInList: true,
    },
    {
        id: ATTRIBUTES.verifiedAt,
        code: 'ANC_VERIFIED_AT',
        name: 'ANC Verified at',
        shortName: 'Verified at',
        valueType: 'DATETIME',
        description: 'When the eSignet verification happened.',
        mandatory: false,
        searchable: false,
        displayInList: false,
    },
]

interface DataElementDef {
    id: string
    code: string
    name: string
    shortName: string
    valueType: string
    loinc?: string
    snomed?: string
    optionSet?: string
    description: string
}

// Codes: WHO ANC DAK (anc-clinical.md §3). The `code` holds the primary clinical code so an
// installed DHIS2 can be queried by it; both systems are also attribute values.
const dataElementDefs: DataElementDef[] = [
    {
        id: DATA_ELEMENTS.lmp,
        code: 'LOINC_8665-2',
        name: 'ANC Last menstrual period',
        shortName: 'ANC LMP',
        valueType: 'DATE',
        loinc: '8665-2',
        snomed: '21840007',
        description: 'First day of the last menstrual period (EDD = LMP + 280 days).',
    },
    {
        id: DATA_ELEMENTS.edd,
        code: 'LOINC_11778-8',
        name: 'ANC Estimated date of delivery',
        shortName: 'ANC EDD',
        valueType: 'DATE',
        loinc: '11778-8',
        snomed: '161714006',
        description: 'Expected date of delivery.',
    },
    {
        id: DATA_ELEMENTS.gestationalAgeWeeks,
        code: 'LOINC_18185-9',
        name: 'ANC Gestational age (weeks)',
        shortName: 'ANC GA weeks',
        valueType: 'INTEGER_ZERO_OR_POSITIVE',
        loinc: '18185-9',
        snomed: '57036006',
        description: 'Gestational age in completed weeks at the contact.',
    },
    {
        id: DATA_ELEMENTS.gravida,
        code: 'LOINC_11996-6',
        name: 'ANC Gravida',
        shortName: 'ANC Gravida',
        valueType: 'INTEGER_POSITIVE',
        loinc: '11996-6',
        snomed: '161732006',
        description: 'Number of pregnancies including this one.',
    },
    {
        id: DATA_ELEMENTS.parity,
        code: 'LOINC_64708-1',
        name: 'ANC Parity',
        shortName: 'ANC Parity',
        valueType: 'INTEGER_ZERO_OR_POSITIVE',
        loinc: '64708-1',
        snomed: '118212000',
        description: 'Live births plus stillbirths.',
    },
    {
        id: DATA_ELEMENTS.previousComplications,
        code: 'ANC_PREVIOUS_COMPLICATIONS',
        name: 'ANC Previous pregnancy complications',
        shortName: 'ANC Prev. complications',
        valueType: 'LONG_TEXT',
        description: 'Free text: miscarriages, stillbirths, C-sections, other history.',
    },
    {
        id: DATA_ELEMENTS.heightCm,
        code: 'LOINC_8302-2',
        name: 'ANC Height (cm)',
        shortName: 'ANC Height',
        valueType: 'NUMBER',
        loinc: '8302-2',
        snomed: '50373000',
        description: 'Body height in centimetres.',
    },
    {
        id: DATA_ELEMENTS.weightKg,
        code: 'LOINC_29463-7',
        name: 'ANC Weight (kg)',
        shortName: 'ANC Weight',
        valueType: 'NUMBER',
        loinc: '29463-7',
        snomed: '27113001',
        description: 'Current body weight in kilograms.',
    },
    {
        id: DATA_ELEMENTS.systolicBp,
        code: 'LOINC_8480-6',
        name: 'ANC Systolic blood pressure',
        shortName: 'ANC SBP',
        valueType: 'INTEGER_POSITIVE',
        loinc: '8480-6',
        snomed: '271649006',
        description: 'mmHg; repeat when 140 or above.',
    },
    {
        id: DATA_ELEMENTS.diastolicBp,
        code: 'LOINC_8462-4',
        name: 'ANC Diastolic blood pressure',
        shortName: 'ANC DBP',
        valueType: 'INTEGER_POSITIVE',
        loinc: '8462-4',
        snomed: '271650006',
        description: 'mmHg; repeat when 90 or above.',
    },
    {
        id: DATA_ELEMENTS.fundalHeightCm,
        code: 'LOINC_11881-0',
        name: 'ANC Symphysis-fundal height (cm)',
        shortName: 'ANC SFH',
        valueType: 'NUMBER',
        loinc: '11881-0',
        snomed: '249016007',
        description: 'Symphysis-fundal height in centimetres.',
    },
    {
        id: DATA_ELEMENTS.fetalHeartRate,
        code: 'LOINC_55283-6',
        name: 'ANC Fetal heart rate',
        shortName: 'ANC FHR',
        valueType: 'INTEGER_POSITIVE',
        loinc: '55283-6',
        snomed: '249043002',
        description: 'Beats per minute, from GA 20 weeks.',
    },
    {
        id: DATA_ELEMENTS.haemoglobin,
        code: 'LOINC_718-7',
        name: 'ANC Haemoglobin (g/dL)',
        shortName: 'ANC Hb',
        valueType: 'NUMBER',
        loinc: '718-7',
        snomed: '118246004',
        description: 'g/dL (LOINC 718-7 by common practice; the DAK gives none).',
    },
    {
        id: DATA_ELEMENTS.urineProtein,
        code: 'ANC_URINE_PROTEIN',
        name: 'ANC Urine protein (dipstick)',
        shortName: 'ANC Urine protein',
        valueType: 'TEXT',
        optionSet: OPTION_SETS.urineProtein,
        description: 'Dipstick result; ++ or more with high BP suggests pre-eclampsia.',
    },
    {
        id: DATA_ELEMENTS.contactNumber,
        code: 'LOINC_75612-2',
        name: 'ANC Contact number',
        shortName: 'ANC Contact no.',
        valueType: 'INTEGER_POSITIVE',
        loinc: '75612-2',
        snomed: '3401000175105',
        description: 'WHO ANC DE12: the number of this contact (1-8).',
    },
    {
        id: DATA_ELEMENTS.nextAppointment,
        code: 'ANC_NEXT_APPOINTMENT',
        name: 'ANC Next appointment',
        shortName: 'ANC Next appt.',
        valueType: 'DATE',
        description: 'Date of the next scheduled contact.',
    },
    {
        id: DATA_ELEMENTS.notes,
        code: 'ANC_NOTES',
        name: 'ANC Clinical notes',
        shortName: 'ANC Notes',
        valueType: 'LONG_TEXT',
        description: 'Free-text notes of the contact.',
    },
]

const registrationStageElements = [
    DATA_ELEMENTS.lmp,
    DATA_ELEMENTS.edd,
    DATA_ELEMENTS.gestationalAgeWeeks,
    DATA_ELEMENTS.gravida,
    DATA_ELEMENTS.parity,
    DATA_ELEMENTS.previousComplications,
    DATA_ELEMENTS.heightCm,
    DATA_ELEMENTS.weightKg,
    DATA_ELEMENTS.systolicBp,
    DATA_ELEMENTS.diastolicBp,
    DATA_ELEMENTS.haemoglobin,
    DATA_ELEMENTS.urineProtein,
    DATA_ELEMENTS.nextAppointment,
    DATA_ELEMENTS.notes,
]
const registrationCompulsory: string[] = [DATA_ELEMENTS.lmp]

const contactStageElements = [
    DATA_ELEMENTS.contactNumber,
    DATA_ELEMENTS.gestationalAgeWeeks,
    DATA_ELEMENTS.weightKg,
    DATA_ELEMENTS.systolicBp,
    DATA_ELEMENTS.diastolicBp,
    DATA_ELEMENTS.fundalHeightCm,
    DATA_ELEMENTS.fetalHeartRate,
    DATA_ELEMENTS.haemoglobin,
    DATA_ELEMENTS.urineProtein,
    DATA_ELEMENTS.nextAppointment,
    DATA_ELEMENTS.notes,
]
const contactCompulsory: string[] = [DATA_ELEMENTS.contactNumber]

/** Attributes on the Person type (TE level); the rest are program attributes. */
const PERSON_TYPE_ATTRIBUTES: string[] = [
    ATTRIBUTES.phn,
    ATTRIBUTES.phnSerial,
    ATTRIBUTES.esignetSub,
    ATTRIBUTES.nic,
    ATTRIBUTES.fullName,
    ATTRIBUTES.givenName,
    ATTRIBUTES.familyName,
    ATTRIBUTES.birthDate,
    ATTRIBUTES.sex,
    ATTRIBUTES.phone,
    ATTRIBUTES.email,
    ATTRIBUTES.address,
    ATTRIBUTES.verificationStatus,
    ATTRIBUTES.verifiedAt,
]

/** Stable UIDs for the join objects, so a re-import updates instead of duplicating. */
function joinUid(prefix: string, index: number): string {
    return `${prefix}${String(index).padStart(11 - prefix.length, '0')}`
}

export function buildMetadata(): Record<string, unknown> {
    const options = optionSetDefs.flatMap((set) =>
        set.options.map((option, index) => ({
            id: option.id,
            code: option.code,
            name: option.name,
            sortOrder: index + 1,
            optionSet: ref(set.id),
        }))
    )
    const optionSets = optionSetDefs.map((set) => ({
        id: set.id,
        code: set.code,
        name: set.name,
        valueType: 'TEXT',
        options: set.options.map((option) => ref(option.id)),
    }))

    const attributes = [
        {
            id: CODE_ATTRIBUTES.loinc,
            code: 'LOINC_CODE',
            name: 'LOINC code',
            shortName: 'LOINC',
            valueType: 'TEXT',
            dataElementAttribute: true,
            unique: false,
            mandatory: false,
        },
        {
            id: CODE_ATTRIBUTES.snomed,
            code: 'SNOMED_CT_CODE',
            name: 'SNOMED CT code',
            shortName: 'SNOMED CT',
            valueType: 'TEXT',
            dataElementAttribute: true,
            unique: false,
            mandatory: false,
        },
    ]

    const trackedEntityAttributes = attributeDefs.map((a) => ({
        id: a.id,
        code: a.code,
        name: a.name,
        shortName: a.shortName,
        description: a.description,
        valueType: a.valueType,
        aggregationType: 'NONE',
        unique: a.unique ?? false,
        orgunitScope: false,
        generated: a.generated ?? false,
        ...(a.pattern ? { pattern: a.pattern } : {}),
        ...(a.optionSet ? { optionSet: ref(a.optionSet) } : {}),
        confidential: false,
        inherit: false,
        skipSynchronization: false,
        sharing: DATA_SHARING,
    }))

    const trackedEntityTypes = [
        {
            id: TRACKED_ENTITY_TYPE_PERSON,
            code: 'ANC_PERSON',
            name: 'Person',
            description: 'A person receiving antenatal care.',
            allowAuditLog: true,
            featureType: 'NONE',
            minAttributesRequiredToSearch: 1,
            maxTeiCountToReturn: 50,
            sharing: DATA_SHARING,
            trackedEntityTypeAttributes: PERSON_TYPE_ATTRIBUTES.map((id, index) => {
                const def = attributeDefs.find((a) => a.id === id)
                return {
                    id: joinUid('ancTTA', index + 1),
                    trackedEntityAttribute: ref(id),
                    mandatory: id === ATTRIBUTES.phn || id === ATTRIBUTES.phnSerial,
                    searchable: def?.searchable ?? false,
                    displayInList: def?.displayInList ?? false,
                }
            }),
        },
    ]

    const dataElements = dataElementDefs.map((d) => ({
        id: d.id,
        code: d.code,
        name: d.name,
        shortName: d.shortName,
        formName: d.name.replace(/^ANC /, ''),
        description: d.description,
        valueType: d.valueType,
        domainType: 'TRACKER',
        aggregationType: 'NONE',
        zeroIsSignificant: true,
        ...(d.optionSet ? { optionSet: ref(d.optionSet) } : {}),
        attributeValues: [
            ...(d.loinc ? [{ attribute: ref(CODE_ATTRIBUTES.loinc), value: d.loinc }] : []),
            ...(d.snomed ? [{ attribute: ref(CODE_ATTRIBUTES.snomed), value: d.snomed }] : []),
        ],
        sharing: METADATA_SHARING,
    }))

    const stage = (
        id: string,
        name: string,
        description: string,
        repeatable: boolean,
        sortOrder: number,
        elements: string[],
        compulsory: string[],
        joinPrefix: string
    ) => ({
        id,
        name,
        description,
        program: ref(PROGRAM_ANC),
        repeatable,
        sortOrder,
        minDaysFromStart: 0,
        generatedByEnrollmentDate: false,
        autoGenerateEvent: !repeatable,
        executionDateLabel: 'Contact date',
        validationStrategy: 'ON_COMPLETE',
        featureType: 'NONE',
        sharing: DATA_SHARING,
        programStageDataElements: elements.map((de, index) => ({
            id: joinUid(joinPrefix, index + 1),
            dataElement: ref(de),
            compulsory: compulsory.includes(de),
            allowProvidedElsewhere: false,
            displayInReports: true,
            sortOrder: index + 1,
        })),
    })

    const programStages = [
        stage(
            PROGRAM_STAGES.registration,
            'ANC Registration',
            'First contact: pregnancy profile and baseline measurements.',
            false,
            1,
            registrationStageElements,
            registrationCompulsory,
            'ancPSR'
        ),
        stage(
            PROGRAM_STAGES.contact,
            'ANC Contact',
            'Every later antenatal contact (WHO 8-contact schedule).',
            true,
            2,
            contactStageElements,
            contactCompulsory,
            'ancPSC'
        ),
    ]

    const programs = [
        {
            id: PROGRAM_ANC,
            code: 'ANC',
            name: 'Antenatal care',
            shortName: 'ANC',
            description: 'Antenatal care with national-ID verified registration.',
            programType: 'WITH_REGISTRATION',
            trackedEntityType: ref(TRACKED_ENTITY_TYPE_PERSON),
            // PROTECTED: pregnancy records are sensitive health data. Staff work freely inside
            // their capture scope (their MOH area); anyone else must break the glass, with a
            // reason, audited. OPEN would let every searching user read them silently.
            accessLevel: 'PROTECTED',
            // A woman is enrolled once per pregnancy; later pregnancies are new enrollments.
            onlyEnrollOnce: false,
            displayIncidentDate: true,
            incidentDateLabel: 'Last menstrual period',
            enrollmentDateLabel: 'Registration date',
            selectEnrollmentDatesInFuture: false,
            selectIncidentDatesInFuture: false,
            minAttributesRequiredToSearch: 1,
            maxTeiCountToReturn: 50,
            featureType: 'NONE',
            sharing: DATA_SHARING,
            programTrackedEntityAttributes: attributeDefs.map((a, index) => ({
                id: joinUid('ancPTA', index + 1),
                trackedEntityAttribute: ref(a.id),
                mandatory: a.mandatory,
                searchable: a.searchable,
                displayInList: a.displayInList,
                allowFutureDate: false,
                renderOptionsAsRadio: false,
                sortOrder: index + 1,
            })),
            programStages: programStages.map((s) => ref(s.id)),
            // Org units are deployment-specific: assign clinics after import (Maintenance app).
            organisationUnits: [],
        },
    ]

    const userRoles = [
        {
            id: USER_ROLES.midwife,
            code: 'ANC_MIDWIFE',
            name: 'ANC Midwife',
            description:
                'Registers pregnant women: opens ANC Registration, verifies with National ID ' +
                'through the relay route, writes tracker and FHIR.',
            authorities: [
                APP_AUTHORITIES.registration,
                AUTHORITIES.useRelay,
                AUTHORITIES.useFhir,
                'F_TRACKED_ENTITY_INSTANCE_SEARCH',
                'F_TRACKED_ENTITY_INSTANCE_ADD',
                'F_PROGRAM_ENROLLMENT',
            ],
        },
        {
            id: USER_ROLES.doctor,
            code: 'ANC_DOCTOR',
            name: 'ANC Doctor',
            description:
                'Reads the whole record from FHIR in ANC Doctor and records contacts. Signs in ' +
                'with National ID through DHIS2 itself, so it needs no relay route.',
            authorities: [
                APP_AUTHORITIES.doctor,
                AUTHORITIES.useFhir,
                'F_TRACKED_ENTITY_INSTANCE_SEARCH',
            ],
        },
    ]

    return {
        system: { id: 'ancMetadata', rev: 1, version: '2.41', date: '2026-01-01T00:00:00.000' },
        attributes,
        options,
        optionSets,
        trackedEntityAttributes,
        trackedEntityTypes,
        dataElements,
        programs,
        programStages,
        userRoles,
    }
}

/**
 * Datastore defaults (not part of /api/metadata: written with the dataStore API by the deploy
 * command and the stand-in's seed). Keys are namespace/key.
 */
export function buildDatastoreDefaults(): Record<string, Record<string, unknown>> {
    // The shipped defaults of the shared library, so what an administrator edits in the
    // datastore has exactly the shape the apps' config readers validate and merge.
    return {
        [DATASTORE.namespace]: {
            [DATASTORE.claimsMappingKey]: DEFAULT_CLAIMS_MAPPING,
            [DATASTORE.fhirConfigKey]: DEFAULT_FHIR_MAPPING,
            [DATASTORE.phnConfigKey]: DEFAULT_PHN_CONFIG,
        },
    }
}

/**
 * The sharing (public access string) of every key of buildDatastoreDefaults: all users read it,
 * only superusers (ALL) and the key's owner change it. DHIS2 makes a new key `rw------`, which
 * would let any user change, say, the PHN check-digit algorithm.
 */
export const CONFIG_PUBLIC_ACCESS = 'r-------'

export const METADATA_FILE = path.resolve(__dirname, '../metadata/anc-metadata.json')
export const DATASTORE_FILE = path.resolve(__dirname, '../metadata/datastore-defaults.json')

/**
 * The exact bytes written to the committed files: formatted by the repo's Prettier settings, so
 * `prettier --check` and the staleness test agree.
 */
export async function serialise(value: unknown, file: string): Promise<string> {
    // Loaded lazily: only the writer needs it (Jest cannot run Prettier 3's dynamic imports).
    const prettier = await import('prettier')
    const options = (await prettier.resolveConfig(file)) ?? {}
    return prettier.format(JSON.stringify(value), { ...options, parser: 'json' })
}

export async function writeMetadataFiles(): Promise<void> {
    writeFileSync(METADATA_FILE, await serialise(buildMetadata(), METADATA_FILE))
    writeFileSync(DATASTORE_FILE, await serialise(buildDatastoreDefaults(), DATASTORE_FILE))
}

if (require.main === module) {
    void writeMetadataFiles().then(() => {
        const files = [METADATA_FILE, DATASTORE_FILE].map((f) => path.relative(process.cwd(), f))
        console.log(`Wrote ${files.join(' and ')}`)
    })
}
