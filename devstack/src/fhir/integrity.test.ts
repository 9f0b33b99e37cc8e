import { randomUUID } from 'node:crypto'

import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes'

import {
    diagnosticsOf,
    observation,
    patient,
    PHN,
    startTestFhir,
    transaction,
    uniquePhn,
    type TestFhir,
} from '../../test-support/fhir-client'

// What HAPI FHIR 8 (JPA server, jpaserver-starter defaults) checks on every write, read in
// hapifhir/hapi-fhir and hapifhir/hapi-fhir-jpaserver-starter:
// - the starter turns on `enforce_referential_integrity_on_write` and leaves
//   `auto_create_placeholder_reference_targets` and `allow_external_references` off (AppProperties);
// - a placeholder no entry of the transaction resolves: 400 "HAPI-0541: Unable to satisfy
//   placeholder ID ..." (hapi-fhir-storage/.../jpa/dao/BaseTransactionProcessor.java);
// - a reference to a missing `Type/id`: 400 "HAPI-1094: Resource Type/id not found, specified in
//   path: ..." (hapi-fhir-jpaserver-base/.../jpa/dao/index/DaoResourceLinkResolver.java), to a
//   deleted one HAPI-1096, to another server HAPI-0507;
// - token parameters match exactly, case included: tokens are indexed as hashes of system and
//   value (hapi-fhir-jpaserver-model/.../entity/ResourceIndexedSearchParamToken.java).

jest.setTimeout(30_000)

let stand: TestFhir
beforeAll(async () => {
    stand = await startTestFhir()
})
afterAll(() => stand.close())

const noCache = { 'cache-control': 'no-cache' }

describe('referential integrity on write', () => {
    test('a transaction whose entry points at a urn:uuid no entry has: 400 HAPI-0541, nothing stored', async () => {
        const phn = uniquePhn()
        const patientUrn = `urn:uuid:${randomUUID()}`
        const dropped = `urn:uuid:${randomUUID()}`
        const reply = await stand.fhir<OperationOutcome>(
            'POST',
            '',
            transaction([
                {
                    fullUrl: patientUrn,
                    resource: patient(phn),
                    request: { method: 'POST', url: 'Patient' },
                },
                {
                    fullUrl: `urn:uuid:${randomUUID()}`,
                    resource: {
                        ...observation(patientUrn, randomUUID()),
                        encounter: { reference: dropped },
                    } as Resource,
                    request: { method: 'POST', url: 'Observation' },
                },
            ])
        )
        expect(reply.status).toBe(400)
        expect(diagnosticsOf(reply.body)).toContain(
            `HAPI-0541: Unable to satisfy placeholder ID ${dropped} found in element named 'encounter' within resource of type: Observation`
        )
        const found = await stand.fhir<Bundle>(
            'GET',
            `Patient?identifier=${PHN}|${phn}`,
            undefined,
            noCache
        )
        expect(found.body.total).toBe(0)
    })

    test('a reference to a Patient that does not exist: 400 HAPI-1094; to a deleted one: HAPI-1096', async () => {
        const missing = await stand.fhir<OperationOutcome>(
            'POST',
            'Observation',
            observation('Patient/no-such-patient', randomUUID())
        )
        expect(missing.status).toBe(400)
        expect(diagnosticsOf(missing.body)).toContain(
            'HAPI-1094: Resource Patient/no-such-patient not found, specified in path: Observation.subject'
        )
        const her = await stand.fhir('POST', 'Patient', patient(uniquePhn()))
        await stand.fhir('DELETE', `Patient/${her.body.id}`)
        const deleted = await stand.fhir<OperationOutcome>(
            'POST',
            'Observation',
            observation(`Patient/${her.body.id}`, randomUUID())
        )
        expect(deleted.status).toBe(400)
        expect(diagnosticsOf(deleted.body)).toContain('HAPI-1096')
    })

    test('an absolute reference to another server is refused (HAPI-0507); one on this base is local', async () => {
        const external = await stand.fhir<OperationOutcome>(
            'POST',
            'Observation',
            observation('https://other.example/fhir/Patient/1', randomUUID())
        )
        expect(external.status).toBe(400)
        expect(diagnosticsOf(external.body)).toContain('HAPI-0507')
        const her = await stand.fhir('POST', 'Patient', patient(uniquePhn()))
        const local = await stand.fhir(
            'POST',
            'Observation',
            observation(`${stand.url}/Patient/${her.body.id}`, randomUUID())
        )
        expect(local.status).toBe(201)
    })

    test('within a transaction, references resolve once every entry is written (forward ones too)', async () => {
        const id = `p${randomUUID().slice(0, 8)}`
        const reply = await stand.fhir<Bundle>(
            'POST',
            '',
            transaction([
                {
                    resource: observation(`Patient/${id}`, randomUUID()),
                    request: { method: 'POST', url: 'Observation' },
                },
                {
                    resource: { ...patient(uniquePhn()), id } as Resource,
                    request: { method: 'PUT', url: `Patient/${id}` },
                },
            ])
        )
        expect(reply.status).toBe(200)
    })

    test('in a batch the entry with a broken reference fails alone', async () => {
        const reply = await stand.fhir<Bundle>(
            'POST',
            '',
            transaction(
                [
                    {
                        resource: observation('Patient/nobody-here', randomUUID()),
                        request: { method: 'POST', url: 'Observation' },
                    },
                    { resource: patient(uniquePhn()), request: { method: 'POST', url: 'Patient' } },
                ],
                'batch'
            )
        )
        expect(reply.status).toBe(200)
        expect(reply.body.entry?.map((e: BundleEntry) => e.response?.status)).toEqual([
            '400 Bad Request',
            '201 Created',
        ])
    })
})

describe('identifier tokens match exactly', () => {
    test('the value and the system are case-sensitive in a search', async () => {
        const value = `Ab-${uniquePhn()}`
        await stand.fhir('POST', 'Patient', {
            ...patient(uniquePhn()),
            identifier: [{ system: 'urn:test:Case', value }],
        })
        const total = async (query: string) =>
            (await stand.fhir<Bundle>('GET', `Patient?identifier=${encodeURIComponent(query)}`))
                .body.total
        expect(await total(`urn:test:Case|${value}`)).toBe(1)
        expect(await total(`urn:test:Case|${value.toLowerCase()}`)).toBe(0)
        expect(await total(`urn:test:case|${value}`)).toBe(0)
        expect(await total(value.toUpperCase())).toBe(0)
    })

    test('a conditional upsert whose value differs in case creates a second resource', async () => {
        const value = `Nic${uniquePhn()}V`
        const upsert = (v: string) =>
            stand.fhir<Bundle>(
                'POST',
                '',
                transaction([
                    {
                        resource: {
                            ...patient(uniquePhn()),
                            identifier: [{ system: 'urn:test:nic', value: v }],
                        } as Resource,
                        request: { method: 'PUT', url: `Patient?identifier=urn:test:nic|${v}` },
                    },
                ])
            )
        expect((await upsert(value)).body.entry?.[0]?.response?.status).toBe('201 Created')
        expect((await upsert(value.toLowerCase())).body.entry?.[0]?.response?.status).toBe(
            '201 Created'
        )
    })
})
