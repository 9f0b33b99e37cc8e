/**
 * What the registration bundle meets on a HAPI FHIR server enforcing the Sri Lanka NEHR IPS
 * profiles (the FHIR stand-in's FHIR_NEHR_VALIDATION; the rules and their FSH source are in
 * devstack/src/fhir/nehr.ts, HAPI's enforcement cited in devstack/src/fhir/nehr.test.ts). These
 * tests back the compatibility table in deploy/README.md: they pin what works and what is
 * missing, so a change on either side shows.
 */
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes'
import {
    diagnosticsOf,
    startTestFhir,
    type TestFhir,
} from '../../../devstack/test-support/fhir-client'
import { DEFAULT_FHIR_MAPPING } from './config'
import { fixtureTrackedEntity } from '../../test-support/tracked-entity'
import { trackerToFhirBundle } from './to-bundle'

jest.setTimeout(60_000)

const IPS_PATIENT = 'http://fhir.health.gov.lk/ips/StructureDefinition/ips-patient'
const TODAY = '2026-09-20'

const registration = (n: number, patientProfiles: string[] = []): Bundle =>
    trackerToFhirBundle(
        { trackedEntity: fixtureTrackedEntity(n, 3), today: TODAY },
        { fhir: { ...DEFAULT_FHIR_MAPPING, patientProfiles } }
    ).bundle

describe('NEHR request validation (422)', () => {
    let stand: TestFhir
    beforeAll(async () => {
        stand = await startTestFhir({ nehrValidation: 'request' })
    })
    afterAll(() => stand.close())

    test('the registration is stored: it declares no NEHR profile, so none is checked', async () => {
        expect((await stand.fhir('POST', '', registration(1))).status).toBe(200)
    })

    test('declaring ips-patient, the Patient lacks a passport, the registration system, address parts', async () => {
        const reply = await stand.fhir<OperationOutcome>('POST', '', registration(2, [IPS_PATIENT]))
        expect(reply.status).toBe(422)
        expect(reply.body.issue?.map((issue) => issue.expression?.[0])).toEqual([
            // No passport number reaches the product (eSignet does not give one).
            'Patient.identifier:PPN',
            // The IG wants a Device resource describing the registering system.
            'Patient.extension:RegistrationSystemID',
            // The product writes the address as text only; the IG wants its parts.
            'Patient.address.city',
            'Patient.address.line',
            'Patient.address.district',
            'Patient.address.state',
            'Patient.address.country',
        ])
    })
})

describe('NEHR repository validation (412)', () => {
    let stand: TestFhir
    beforeAll(async () => {
        stand = await startTestFhir({ nehrValidation: 'repository' })
    })
    afterAll(() => stand.close())

    test('every registration is refused: no resource declares a NEHR profile', async () => {
        const reply = await stand.fhir<OperationOutcome>('POST', '', registration(3))
        expect(reply.status).toBe(412)
        expect(diagnosticsOf(reply.body)).toContain(
            'HAPI-0575: Resource of type "Patient" does not declare conformance to profile from'
        )
    })

    test('declaring ips-patient only moves the refusal to its rules, the passport first', async () => {
        const reply = await stand.fhir<OperationOutcome>('POST', '', registration(4, [IPS_PATIENT]))
        expect(reply.status).toBe(412)
        expect(diagnosticsOf(reply.body)).toMatch(
            /^HAPI-0574: Patient\.identifier:PPN: minimum required = 1, but only found 0/
        )
    })
})
