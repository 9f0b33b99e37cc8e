/**
 * The Patient of a tracked entity: PHN (`official`), eSignet subject, NIC (only when the
 * attribute exists, i.e. she shared it, and `shareNic`) and the tracked entity UID as
 * identifiers; name, gender, birth date, telecom and address from the attributes the claims
 * mapping's `attributeOf` names (the one table of which attribute holds which field).
 */
import type { Identifier, Patient, Reference } from '@medplum/fhirtypes'
import { calendarDateOf } from '../anc/dates'
import type { ClaimsMappingConfig } from '../claims/config'
import { ATTRIBUTES } from '../metadata/ids'
import { isValidUid } from '../tracker/uid'
import type { FhirMappingConfig } from './config'
import {
    upsertEntry,
    urn,
    type MappableEnrollment,
    type MappableTrackedEntity,
    type MappingProblem,
} from './entries'
import type { BundleEntry } from '@medplum/fhirtypes'

/** Which attribute holds which of her fields (AncConfig.claims fits). */
export type PersonAttributes = Pick<ClaimsMappingConfig, 'attributeOf'>

export interface PatientPart {
    entry: BundleEntry
    reference: Reference<Patient>
}

/** Attribute values of the person, the enrollment's (program attributes) over the entity's. */
function attributeValues(
    te: MappableTrackedEntity,
    enrollment: MappableEnrollment | undefined
): Map<string, string> {
    const values = new Map<string, string>()
    for (const a of [...(te.attributes ?? []), ...(enrollment?.attributes ?? [])]) {
        if (typeof a.value === 'string' && a.value !== '') values.set(a.attribute, a.value)
    }
    return values
}

export function patientEntry(
    te: MappableTrackedEntity,
    enrollment: MappableEnrollment | undefined,
    config: { fhir: FhirMappingConfig; claims: PersonAttributes },
    problems: MappingProblem[]
): PatientPart {
    if (!isValidUid(te.trackedEntity)) throw new RangeError('tracked entity has no valid UID')
    const sys = config.fhir.systems
    const attributeOf = config.claims.attributeOf
    const values = attributeValues(te, enrollment)
    const valueOf = (uid: string | undefined) => (uid === undefined ? undefined : values.get(uid))

    const teIdentifier: Identifier = {
        use: 'secondary',
        system: sys.trackedEntity,
        value: te.trackedEntity,
    }
    const identifiers: Identifier[] = []
    const phn = values.get(ATTRIBUTES.phn)
    const phnIdentifier: Identifier | undefined = phn
        ? { use: 'official', system: sys.phn, value: phn }
        : undefined
    if (phnIdentifier) identifiers.push(phnIdentifier)
    else
        problems.push({
            source: `attribute:${ATTRIBUTES.phn}`,
            reason: 'no PHN: Patient keyed by the tracked entity UID',
        })
    const sub = valueOf(attributeOf.sub)
    if (sub) identifiers.push({ use: 'secondary', system: sys.esignetSub, value: sub })
    // The NIC attribute is written only when the person shared it (claims/): its presence is the consent.
    const nic = valueOf(attributeOf.nic)
    if (nic && config.fhir.shareNic)
        identifiers.push({ use: 'secondary', system: sys.nic, value: nic })
    identifiers.push(teIdentifier)

    const patient: Patient = { resourceType: 'Patient' }
    if (config.fhir.patientProfiles.length > 0)
        patient.meta = { profile: [...config.fhir.patientProfiles] }
    patient.identifier = identifiers
    const fullName = valueOf(attributeOf.fullName)
    const given = valueOf(attributeOf.givenName)
    const family = valueOf(attributeOf.familyName)
    if (fullName || given || family) {
        patient.name = [
            {
                use: 'official',
                ...(fullName ? { text: fullName } : {}),
                ...(family ? { family } : {}),
                ...(given ? { given: [given] } : {}),
            },
        ]
    }
    const sex = valueOf(attributeOf.sex)
    if (sex) {
        const codes = config.fhir.genderCodes
        const gender = Object.hasOwn(codes, sex) ? codes[sex] : undefined
        if (gender) patient.gender = gender
        else
            problems.push({
                source: `attribute:${attributeOf.sex}`,
                reason: `unknown sex option code ${JSON.stringify(sex)}`,
            })
    }
    const birthDate = valueOf(attributeOf.birthDate)
    if (birthDate) {
        const d = calendarDateOf(birthDate)
        if (d) patient.birthDate = d
        else problems.push({ source: `attribute:${attributeOf.birthDate}`, reason: 'not a date' })
    }
    const phone = valueOf(attributeOf.phone)
    const email = valueOf(attributeOf.email)
    if (phone || email) {
        patient.telecom = []
        if (phone) patient.telecom.push({ system: 'phone', value: phone, use: 'mobile' })
        if (email) patient.telecom.push({ system: 'email', value: email })
    }
    const address = valueOf(attributeOf.address)
    if (address) patient.address = [{ use: 'home', text: address }]

    const fullUrl = urn('patient', te.trackedEntity)
    return {
        entry: upsertEntry(fullUrl, patient, phnIdentifier ?? teIdentifier),
        reference: { reference: fullUrl },
    }
}
