import type { OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes'

/**
 * The Sri Lanka NEHR IPS implementation guide (`lk-gov-health-hiu/lk-nehr-fhir-ips` 0.1.0,
 * `input/fsh/profiles.fsh`), as HAPI FHIR enforces it once the IG package is installed:
 *
 * - Repository validation (jpaserver-starter `enable_repository_validating_interceptor`,
 *   `RepositoryValidationInterceptorFactoryR4.buildUsingStoredStructureDefinitions`): a resource
 *   of a type the IG profiles must declare one of those profiles in `meta.profile` (412
 *   `HAPI-0575`) and conform to what it declares (412 `HAPI-0574` with the validator's first
 *   message; `RepositoryValidatingInterceptor.handleFailure`).
 * - Request validation (`hapi.fhir.validation.requests_enabled`, `RequestValidatingInterceptor`):
 *   every resource of the request, entries of a Bundle included, is checked against the profiles
 *   it declares; an error is 422 with the validator's OperationOutcome.
 *
 * Modelled: the rules of the profiles a product writing Patient, Encounter, Observation and
 * Condition meets (cardinalities, identifier slices by system with their fixed types and texts,
 * the registration-system extension, fixed codes, code texts and units), each as the FSH states
 * it. A fixed value on an optional element binds only when the element is sent. Not modelled:
 * the rules inherited from the IPS profiles (`PatientUvIps`, `ObservationResultsUvIps`, ...),
 * terminology bindings, `only Reference(...)` target profiles, the profiles of types the product
 * never writes (their URLs still count for the declaration rule), and the IPS profiles that a
 * transitive install (`install_transitive_ig_dependencies`) would also accept.
 */
export const NEHR_CANONICAL = 'http://fhir.health.gov.lk/ips'
const IG_VERSION = '0.1.0'

const sd = (id: string): string => `${NEHR_CANONICAL}/StructureDefinition/${id}`

export const NEHR_PROFILES = {
    patient: sd('ips-patient'),
    encounter: sd('target-facility-encounter'),
    observation: sd('generic-observation'),
    bloodPressure: sd('blood-pressure'),
    weight: sd('weight'),
    height: sd('height'),
    bmi: sd('bmi'),
    medicalHistory: sd('medical-history'),
    noMedicalHistory: sd('no-medical-history'),
} as const

/** Every resource profile in `profiles.fsh` (commented-out ones left out), by resource type. */
const PROFILES_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
    Organization: [sd('organization')],
    Practitioner: [sd('practitioner')],
    Encounter: [NEHR_PROFILES.encounter],
    Location: [sd('providers-location')],
    Communication: [sd('notifiable-diseases-notified')],
    Patient: [NEHR_PROFILES.patient, sd('patient-identity-cross-reference')],
    Observation: [
        NEHR_PROFILES.observation,
        sd('risk-behaviour-physical-activity'),
        sd('risk-behaviour-tobacco-smoker'),
        NEHR_PROFILES.bloodPressure,
        NEHR_PROFILES.weight,
        NEHR_PROFILES.height,
        NEHR_PROFILES.bmi,
        sd('random-blood-sugar'),
        sd('fasting-blood-sugar'),
        sd('total-cholesterol'),
    ],
    RiskAssessment: [sd('cvd-risk-category')],
    Task: [sd('generic-task'), sd('referral-task')],
    ServiceRequest: [
        sd('generic-service-request'),
        sd('general-referral-request'),
        sd('follow-up-plan'),
        sd('investigations-request'),
        sd('imaging-request'),
        sd('procedures-request'),
    ],
    CarePlan: [sd('follow-up-at-hlc')],
    Condition: [NEHR_PROFILES.medicalHistory, NEHR_PROFILES.noMedicalHistory],
    AllergyIntolerance: [sd('allergy-intolerance'), sd('no-allergy-intolerance')],
    MedicationRequest: [sd('medication-request'), sd('no-medication-requested')],
    MedicationDispense: [sd('drug-dispensation')],
    ImagingStudy: [sd('imaging-study')],
    Composition: [sd('hims-composition'), sd('hhims-composition')],
    Device: [sd('device-information')],
    List: [sd('medical-history-list')],
}

const LOINC = 'http://loinc.org'
const UCUM = 'http://unitsofmeasure.org'
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category'
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203'
const LK_IDENTIFIER_TYPES = `${NEHR_CANONICAL}/CodeSystem/cs-identifier-types`
export const NEHR_IDENTIFIER_SYSTEMS = {
    phn: `${NEHR_CANONICAL}/identifier/phn`,
    nic: `${NEHR_CANONICAL}/identifier/nic`,
    passport: `${NEHR_CANONICAL}/identifier/passport`,
    drivers: `${NEHR_CANONICAL}/identifier/drivers`,
    scn: `${NEHR_CANONICAL}/identifier/scn`,
} as const
export const NEHR_REGISTRATION_SYSTEM_EXTENSION = sd('patient-registration-system')

type Json = Record<string, unknown>
type Check = (resource: Json, problems: Problems) => void

/** Collects the validator's messages, each naming its path and the profile it comes from. */
class Problems {
    readonly issues: OperationOutcomeIssue[] = []
    constructor(private readonly profile: string) {}

    add(path: string, message: string): void {
        this.issues.push({
            severity: 'error',
            code: 'processing',
            diagnostics: `${path}: ${message} (from ${this.profile}|${IG_VERSION})`,
            expression: [path],
        })
    }

    count(path: string, values: unknown[], min: number, max = Infinity): void {
        if (values.length < min) {
            this.add(path, `minimum required = ${min}, but only found ${values.length}`)
        } else if (values.length > max) {
            this.add(path, `max allowed = ${max}, but found ${values.length}`)
        }
    }

    /** A fixed (pattern) value on an element: binds only where the element is sent. */
    fixed(path: string, actual: unknown, expected: string): void {
        if (actual !== undefined && actual !== expected) {
            this.add(path, `Value is '${String(actual)}' but must be '${expected}'`)
        }
    }
}

const list = (value: unknown): Json[] =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
        (item): item is Json => typeof item === 'object' && item !== null
    )
const present = (value: unknown): unknown[] =>
    Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]

/** A CodeableConcept pattern `= system#code`: one of its codings must carry both. */
function hasCoding(concept: unknown, system: string, code: string): boolean {
    return list((concept as Json | undefined)?.coding).some(
        (coding) => coding.system === system && coding.code === code
    )
}

/** `category.coding.code = #x` and `.system = ...`: every coding of every category is that one. */
function fixedCategory(resource: Json, type: string, code: string, problems: Problems): void {
    const categories = list(resource.category)
    problems.count(`${type}.category`, categories, 1, 1)
    for (const category of categories) {
        for (const coding of list(category.coding)) {
            problems.fixed(`${type}.category.coding.code`, coding.code, code)
            problems.fixed(`${type}.category.coding.system`, coding.system, OBSERVATION_CATEGORY)
        }
    }
}

/** `code = LOINC#x` and `code.text = "..."`. */
function fixedCode(resource: Json, type: string, code: string, text: string, p: Problems): void {
    if (!hasCoding(resource.code, LOINC, code)) {
        p.add(`${type}.code`, `must include the coding ${LOINC}#${code}`)
    }
    p.fixed(`${type}.code.text`, (resource.code as Json | undefined)?.text, text)
}

/** `valueQuantity.value 1..1`, `.unit = "u"`, `.system = UCUM`, `.code = #c`. */
function fixedQuantity(quantity: unknown, path: string, unit: string, code: string, p: Problems) {
    for (const value of list(quantity)) {
        p.count(`${path}.value`, present(value.value), 1, 1)
        p.fixed(`${path}.unit`, value.unit, unit)
        p.fixed(`${path}.system`, value.system, UCUM)
        p.fixed(`${path}.code`, value.code, code)
    }
}

interface IdentifierSlice {
    name: string
    system: string
    min: number
    max: number
    type: { system: string; code: string; text: string }
}

/** IPSPatient's identifier slices (discriminator: value of `system`). */
const PATIENT_IDENTIFIER_SLICES: IdentifierSlice[] = [
    {
        name: 'NIC',
        system: NEHR_IDENTIFIER_SYSTEMS.nic,
        min: 0,
        max: Infinity,
        type: { system: LK_IDENTIFIER_TYPES, code: 'NIC', text: 'National identity number' },
    },
    {
        name: 'PHN',
        system: NEHR_IDENTIFIER_SYSTEMS.phn,
        min: 1,
        max: 1,
        type: { system: LK_IDENTIFIER_TYPES, code: 'PHN', text: 'Personal Health Number' },
    },
    {
        name: 'PPN',
        system: NEHR_IDENTIFIER_SYSTEMS.passport,
        min: 1,
        max: Infinity,
        type: { system: V2_0203, code: 'PPN', text: 'Passport number' },
    },
    {
        name: 'Drivers',
        system: NEHR_IDENTIFIER_SYSTEMS.drivers,
        min: 0,
        max: Infinity,
        type: { system: V2_0203, code: 'DL', text: "Driver's license number" },
    },
    {
        name: 'SCN',
        system: NEHR_IDENTIFIER_SYSTEMS.scn,
        min: 0,
        max: Infinity,
        type: { system: LK_IDENTIFIER_TYPES, code: 'SCN', text: 'Senior Citizen Number' },
    },
]

const patient: Check = (resource, p) => {
    const identifiers = list(resource.identifier)
    p.count('Patient.identifier', identifiers, 1)
    for (const slice of PATIENT_IDENTIFIER_SLICES) {
        const path = `Patient.identifier:${slice.name}`
        const members = identifiers.filter((identifier) => identifier.system === slice.system)
        p.count(path, members, slice.min, slice.max)
        for (const identifier of members) {
            p.count(`${path}.value`, present(identifier.value), 1, 1)
            const type = identifier.type as Json | undefined
            for (const coding of list(type?.coding)) {
                p.fixed(`${path}.type.coding.code`, coding.code, slice.type.code)
                p.fixed(`${path}.type.coding.system`, coding.system, slice.type.system)
            }
            p.fixed(`${path}.type.text`, type?.text, slice.type.text)
        }
    }
    const registration = list(resource.extension).filter(
        (extension) => extension.url === NEHR_REGISTRATION_SYSTEM_EXTENSION
    )
    p.count('Patient.extension:RegistrationSystemID', registration, 1, 1)
    for (const extension of registration) {
        p.count(
            'Patient.extension:RegistrationSystemID.value[x]',
            present(extension.valueReference),
            1
        )
    }
    const names = list(resource.name)
    p.count('Patient.name', names, 1)
    for (const name of names) {
        p.count('Patient.name.given', present(name.given), 1)
        p.count('Patient.name.family', present(name.family), 1, 1)
    }
    p.count('Patient.gender', present(resource.gender), 1, 1)
    p.count('Patient.birthDate', present(resource.birthDate), 1, 1)
    for (const address of list(resource.address)) {
        p.count('Patient.address.city', present(address.city), 1, 1)
        p.count('Patient.address.line', present(address.line), 1)
        p.count('Patient.address.district', present(address.district), 1, 1)
        p.count('Patient.address.state', present(address.state), 1, 1)
        p.count('Patient.address.country', present(address.country), 1, 1)
    }
}

const encounter: Check = (resource, p) => {
    p.count('Encounter.status', present(resource.status), 1, 1)
    p.count('Encounter.class', present(resource.class), 1, 1)
    p.count('Encounter.subject', present(resource.subject), 1, 1)
    p.count('Encounter.period', present(resource.period), 1, 1)
    const participants = list(resource.participant)
    p.count('Encounter.participant', participants, 1)
    for (const participant of participants) {
        p.count('Encounter.participant.individual', present(participant.individual), 1, 1)
    }
    for (const location of list(resource.location)) {
        p.count('Encounter.location.location', present(location.location), 1, 1)
    }
}

/** GenericObservation, which every NEHR vital-sign profile derives from. */
const genericObservation: Check = (resource, p) => {
    p.count('Observation.status', present(resource.status), 1, 1)
    p.count('Observation.category', list(resource.category), 0, 1)
    p.count('Observation.code', present(resource.code), 1, 1)
    p.count('Observation.subject', present(resource.subject), 1, 1)
    p.count('Observation.encounter', present(resource.encounter), 1, 1)
    p.count('Observation.effective[x]:effectiveDateTime', present(resource.effectiveDateTime), 1, 1)
    p.count('Observation.performer', present(resource.performer), 1)
    p.count('Observation.device', present(resource.device), 1, 1)
}

function vitalSign(code: string, text: string, unit: string, ucum: string): Check {
    return (resource, p) => {
        genericObservation(resource, p)
        fixedCategory(resource, 'Observation', 'vital-signs', p)
        fixedCode(resource, 'Observation', code, text, p)
        fixedQuantity(resource.valueQuantity, 'Observation.valueQuantity', unit, ucum, p)
    }
}

const BP_COMPONENTS = [
    { name: 'Systolic', code: '8480-6', text: 'Systolic blood pressure' },
    { name: 'Diastolic', code: '8462-4', text: 'Diastolic blood pressure' },
]

const bloodPressure: Check = (resource, p) => {
    genericObservation(resource, p)
    fixedCategory(resource, 'Observation', 'vital-signs', p)
    fixedCode(resource, 'Observation', '85354-9', 'Blood Pressure', p)
    const components = list(resource.component)
    p.count('Observation.component', components, 1)
    for (const slice of BP_COMPONENTS) {
        const path = `Observation.component:${slice.name}`
        const members = components.filter((component) =>
            hasCoding(component.code, LOINC, slice.code)
        )
        p.count(path, members, 0, 1)
        for (const component of members) {
            p.fixed(`${path}.code.text`, (component.code as Json | undefined)?.text, slice.text)
            fixedQuantity(component.valueQuantity, `${path}.valueQuantity`, 'mmHg', 'mm[Hg]', p)
        }
    }
}

function medicalHistory(absentCode?: string): Check {
    return (resource, p) => {
        p.count('Condition.clinicalStatus', present(resource.clinicalStatus), 1, 1)
        p.count('Condition.code', present(resource.code), 1, 1)
        if (absentCode && !hasCoding(resource.code, ABSENT_UNKNOWN, absentCode)) {
            p.add('Condition.code', `must include the coding ${ABSENT_UNKNOWN}#${absentCode}`)
        }
        p.count('Condition.subject', present(resource.subject), 1, 1)
        p.count('Condition.encounter', present(resource.encounter), 1, 1)
        p.count('Condition.recordedDate', present(resource.recordedDate), 1, 1)
    }
}
const ABSENT_UNKNOWN = 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips'

const CHECKS: Readonly<Record<string, Check>> = {
    [NEHR_PROFILES.patient]: patient,
    [NEHR_PROFILES.encounter]: encounter,
    [NEHR_PROFILES.observation]: genericObservation,
    [NEHR_PROFILES.bloodPressure]: bloodPressure,
    [NEHR_PROFILES.weight]: vitalSign('29463-7', 'Body Weight', 'kg', 'kg'),
    [NEHR_PROFILES.height]: vitalSign('8302-2', 'Body Height', 'cm', 'cm'),
    [NEHR_PROFILES.bmi]: vitalSign('39156-5', 'Body mass index (BMI)', 'kg/m2', 'kg/m2'),
    [NEHR_PROFILES.medicalHistory]: medicalHistory(),
    [NEHR_PROFILES.noMedicalHistory]: medicalHistory('no-problem-info'),
}

/** The type a NEHR profile URL constrains, or undefined when it is not one of the IG's. */
function typeOfProfile(url: string): string | undefined {
    for (const [type, urls] of Object.entries(PROFILES_BY_TYPE)) {
        if (urls.includes(url)) {
            return type
        }
    }
    return undefined
}

function declaredProfiles(resource: Resource): string[] {
    return (resource.meta?.profile ?? []).map((url) => url.split('|')[0] ?? url)
}

/** The validator's errors for the NEHR profiles the resource declares (others are not ours). */
export function nehrIssues(resource: Resource): OperationOutcomeIssue[] {
    const issues: OperationOutcomeIssue[] = []
    for (const url of declaredProfiles(resource)) {
        const type = typeOfProfile(url)
        if (!type) {
            continue
        }
        const problems = new Problems(url)
        if (type !== resource.resourceType) {
            problems.add(
                resource.resourceType,
                `the profile is for ${type}, not ${resource.resourceType}`
            )
        } else {
            CHECKS[url]?.(resource as unknown as Json, problems)
        }
        issues.push(...problems.issues)
    }
    return issues
}

const outcomeWith = (id: string, issues: OperationOutcomeIssue[]): OperationOutcome => ({
    resourceType: 'OperationOutcome',
    // The id maps to the status in @medplum/core getStatus(), inside batch responses too.
    id,
    issue: issues,
})

/**
 * Repository validation of one resource about to be stored: undefined when it may be stored,
 * else the 412 OperationOutcome (`HAPI-0575` no NEHR profile declared, `HAPI-0574` not
 * conforming) that refuses it.
 */
export function repositoryRefusal(resource: Resource): OperationOutcome | undefined {
    const allowed = PROFILES_BY_TYPE[resource.resourceType]
    if (!allowed) {
        return undefined
    }
    const declared = declaredProfiles(resource)
    if (!declared.some((url) => allowed.includes(url))) {
        return outcomeWith('precondition-failed', [
            {
                severity: 'error',
                code: 'processing',
                diagnostics: `HAPI-0575: Resource of type "${resource.resourceType}" does not declare conformance to profile from: [${allowed.join(', ')}]`,
            },
        ])
    }
    const issues = nehrIssues(resource)
    if (issues.length === 0) {
        return undefined
    }
    const [first, ...rest] = issues
    return outcomeWith('precondition-failed', [
        { ...first!, diagnostics: `HAPI-0574: ${first!.diagnostics ?? ''}` },
        ...rest,
    ])
}

/**
 * Request validation of a request body (a resource, or every entry of a Bundle): undefined when
 * it passes, else the 422 OperationOutcome with every error.
 */
export function requestRefusal(body: unknown): OperationOutcome | undefined {
    if (!body || typeof body !== 'object' || !('resourceType' in body)) {
        return undefined
    }
    const resources: Resource[] = [body as Resource]
    if ((body as Resource).resourceType === 'Bundle') {
        for (const entry of (body as { entry?: { resource?: Resource }[] }).entry ?? []) {
            if (entry.resource) {
                resources.push(entry.resource)
            }
        }
    }
    const issues = resources.flatMap((resource) => nehrIssues(resource))
    return issues.length ? outcomeWith('business-rule', issues) : undefined
}
