import { randomUUID } from 'node:crypto'

import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes'

import {
    diagnosticsOf,
    patient,
    PHN,
    startTestFhir,
    transaction,
    uniquePhn,
    type TestFhir,
} from '../../test-support/fhir-client'
import { NEHR_IDENTIFIER_SYSTEMS, NEHR_PROFILES, NEHR_REGISTRATION_SYSTEM_EXTENSION } from './nehr'

// The Sri Lanka NEHR IPS profiles as HAPI enforces them, read in
// lk-gov-health-hiu/lk-nehr-fhir-ips input/fsh/profiles.fsh (IPSPatient: identifier slices NIC,
// PHN 1..1, PPN 1..*, Drivers, SCN with fixed systems, types and texts; extension
// RegistrationSystemID 1..1; name.given 1..*, name.family 1..1, gender, birthDate 1..1.
// GenericObservation: encounter, effectiveDateTime, performer, device required; BloodPressure:
// code 85354-9 with text "Blood Pressure", category vital-signs) and input/fsh/extensions.fsh;
// enforced by hapifhir/hapi-fhir-jpaserver-starter RepositoryValidationInterceptorFactoryR4
// (buildUsingStoredStructureDefinitions: requireAtLeastOneProfileOf + requireValidationToDeclaredProfiles)
// and hapifhir/hapi-fhir RepositoryValidatingInterceptor.handleFailure (412 HAPI-0574/0575),
// or by RequestValidatingInterceptor (422) when `hapi.fhir.validation.requests_enabled`.

jest.setTimeout(30_000)

const LK_TYPES = 'http://fhir.health.gov.lk/ips/CodeSystem/cs-identifier-types'

/** A Patient that meets IPSPatient: PHN and passport, the registration system, full names. */
function nehrPatient(phn: string, device: string): Resource {
    return {
        resourceType: 'Patient',
        meta: { profile: [NEHR_PROFILES.patient] },
        extension: [
            { url: NEHR_REGISTRATION_SYSTEM_EXTENSION, valueReference: { reference: device } },
        ],
        identifier: [
            {
                system: NEHR_IDENTIFIER_SYSTEMS.phn,
                value: phn,
                type: {
                    coding: [{ system: LK_TYPES, code: 'PHN' }],
                    text: 'Personal Health Number',
                },
            },
            { system: NEHR_IDENTIFIER_SYSTEMS.passport, value: `N${phn.slice(0, 7)}` },
        ],
        name: [{ family: 'Perera', given: ['Nimali'] }],
        gender: 'female',
        birthDate: '1995-04-12',
    } as Resource
}

async function registrationDevice(stand: TestFhir): Promise<string> {
    const device = await stand.fhir('POST', 'Device', {
        resourceType: 'Device',
        meta: { profile: ['http://fhir.health.gov.lk/ips/StructureDefinition/device-information'] },
        status: 'active',
    })
    expect(device.status).toBe(201)
    return `Device/${device.body.id}`
}

describe('off (the starter default): no NEHR rule applies', () => {
    test('a Patient without any profile is stored', async () => {
        const stand = await startTestFhir()
        try {
            expect((await stand.fhir('POST', 'Patient', patient(uniquePhn()))).status).toBe(201)
        } finally {
            await stand.close()
        }
    })
})

describe('repository validation (412)', () => {
    let stand: TestFhir
    beforeAll(async () => {
        stand = await startTestFhir({ nehrValidation: 'repository' })
    })
    afterAll(() => stand.close())

    test('a Patient that declares no NEHR profile: 412 HAPI-0575 naming the profiles', async () => {
        const reply = await stand.fhir<OperationOutcome>('POST', 'Patient', patient(uniquePhn()))
        expect(reply.status).toBe(412)
        expect(diagnosticsOf(reply.body)).toContain(
            `HAPI-0575: Resource of type "Patient" does not declare conformance to profile from: [${NEHR_PROFILES.patient}`
        )
    })

    test('a type the IG does not profile (EpisodeOfCare) needs no profile', async () => {
        const her = await stand.fhir(
            'POST',
            'Patient',
            nehrPatient(uniquePhn(), await registrationDevice(stand))
        )
        expect(her.status).toBe(201)
        const episode = await stand.fhir('POST', 'EpisodeOfCare', {
            resourceType: 'EpisodeOfCare',
            status: 'active',
            patient: { reference: `Patient/${her.body.id}` },
        })
        expect(episode.status).toBe(201)
    })

    test('ips-patient without a passport or registration system: 412 HAPI-0574, every rule named', async () => {
        const { extension: _extension, ...withoutRegistration } = nehrPatient(
            uniquePhn(),
            'Device/x'
        ) as Resource & { extension?: unknown; identifier: { system: string }[] }
        const phnOnly = {
            ...withoutRegistration,
            identifier: withoutRegistration.identifier.filter(
                (i) => i.system === NEHR_IDENTIFIER_SYSTEMS.phn
            ),
            name: [{ text: 'Nimali Perera' }],
        }
        const reply = await stand.fhir<OperationOutcome>('POST', 'Patient', phnOnly)
        expect(reply.status).toBe(412)
        const text = diagnosticsOf(reply.body)
        expect(text).toMatch(/^HAPI-0574: /)
        expect(text).toContain('Patient.identifier:PPN: minimum required = 1, but only found 0')
        expect(text).toContain(
            'Patient.extension:RegistrationSystemID: minimum required = 1, but only found 0'
        )
        expect(text).toContain('Patient.name.family: minimum required = 1, but only found 0')
    })

    test('a PHN with another identifier type than the fixed one is refused', async () => {
        const device = await registrationDevice(stand)
        const base = nehrPatient(uniquePhn(), device) as Resource & {
            identifier: Record<string, unknown>[]
        }
        const reply = await stand.fhir<OperationOutcome>('POST', 'Patient', {
            ...base,
            identifier: base.identifier.map((identifier, i) =>
                i === 0
                    ? {
                          ...identifier,
                          type: {
                              coding: [
                                  {
                                      system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
                                      code: 'MR',
                                  },
                              ],
                          },
                      }
                    : identifier
            ),
        })
        expect(reply.status).toBe(412)
        expect(diagnosticsOf(reply.body)).toContain(
            "Patient.identifier:PHN.type.coding.code: Value is 'MR' but must be 'PHN'"
        )
    })

    test('a conforming Patient is stored; a transaction with one non-conforming entry stores nothing', async () => {
        const device = await registrationDevice(stand)
        const phn = uniquePhn()
        expect((await stand.fhir('POST', 'Patient', nehrPatient(phn, device))).status).toBe(201)

        const other = uniquePhn()
        const patientUrn = `urn:uuid:${randomUUID()}`
        const reply = await stand.fhir<OperationOutcome>(
            'POST',
            '',
            transaction([
                {
                    fullUrl: patientUrn,
                    resource: nehrPatient(other, device),
                    request: { method: 'POST', url: 'Patient' },
                },
                {
                    resource: {
                        resourceType: 'Observation',
                        meta: { profile: [NEHR_PROFILES.bloodPressure] },
                        status: 'final',
                        category: [
                            {
                                coding: [
                                    {
                                        system: 'http://terminology.hl7.org/CodeSystem/observation-category',
                                        code: 'vital-signs',
                                    },
                                ],
                            },
                        ],
                        code: {
                            coding: [{ system: 'http://loinc.org', code: '85354-9' }],
                            text: 'Blood pressure',
                        },
                        subject: { reference: patientUrn },
                        effectiveDateTime: '2026-09-20',
                        component: [
                            {
                                code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
                                valueQuantity: {
                                    value: 118,
                                    unit: 'mmHg',
                                    system: 'http://unitsofmeasure.org',
                                    code: 'mm[Hg]',
                                },
                            },
                        ],
                    } as Resource,
                    request: { method: 'POST', url: 'Observation' },
                },
            ])
        )
        expect(reply.status).toBe(412)
        const text = diagnosticsOf(reply.body)
        expect(text).toContain(
            "Observation.code.text: Value is 'Blood pressure' but must be 'Blood Pressure'"
        )
        expect(text).toContain('Observation.performer: minimum required = 1, but only found 0')
        const found = await stand.fhir<Bundle>(
            'GET',
            `Patient?identifier=${NEHR_IDENTIFIER_SYSTEMS.phn}|${other}`
        )
        expect(found.body.total).toBe(0)
    })
})

describe('request validation (422)', () => {
    let stand: TestFhir
    beforeAll(async () => {
        stand = await startTestFhir({ nehrValidation: 'request' })
    })
    afterAll(() => stand.close())

    test('only what declares a NEHR profile is checked: a plain Patient passes', async () => {
        expect((await stand.fhir('POST', 'Patient', patient(uniquePhn()))).status).toBe(201)
    })

    test('a transaction entry declaring ips-patient without a passport: 422, nothing stored', async () => {
        const phn = uniquePhn()
        const declared = {
            ...patient(phn),
            meta: { profile: [NEHR_PROFILES.patient] },
        } as Resource
        const reply = await stand.fhir<OperationOutcome>(
            'POST',
            '',
            transaction([{ resource: declared, request: { method: 'POST', url: 'Patient' } }])
        )
        expect(reply.status).toBe(422)
        expect(diagnosticsOf(reply.body)).toContain('Patient.identifier:PPN: minimum required = 1')
        const found = await stand.fhir<Bundle>('GET', `Patient?identifier=${PHN}|${phn}`)
        expect(found.body.total).toBe(0)
    })
})
