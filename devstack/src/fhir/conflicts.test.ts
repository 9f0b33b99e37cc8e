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

// Which status a refused write gets on HAPI FHIR 8 (JPA server, jpaserver-starter defaults), read
// in hapifhir/hapi-fhir:
// - a stale version is 409: hapi-fhir-server/.../rest/server/method/UpdateMethodBinding.java
//   (If-Match becomes the id's version), hapi-fhir-storage/.../jpa/dao/BaseStorageResourceDao.java
//   (`ResourceVersionConflictException` "HAPI-0989: Trying to update ... but this is not the
//   current version"), the transaction service adding HAPI-0550 (FhirSystemDaoR4Test
//   #testTransactionWithIfMatch: "HAPI-0550: HAPI-0550: HAPI-0989: ...");
// - 412 is for a conditional URL matching several resources (BaseHapiFhirResourceDao.doUpdate,
//   HAPI-0988) and a body its conditional URL does not match (BaseTransactionProcessor, HAPI-0539);
// - an update that changes nothing keeps its version (JpaStorageSettings
//   suppressUpdatesWithNoChange, default true; BaseHapiFhirDao.updateEntity).

jest.setTimeout(30_000)

let stand: TestFhir
beforeAll(async () => {
    stand = await startTestFhir()
})
afterAll(() => stand.close())

async function created(phn = uniquePhn()): Promise<Resource> {
    const reply = await stand.fhir('POST', 'Patient', patient(phn))
    expect(reply.status).toBe(201)
    return reply.body
}

describe('a stale version is a conflict (409), not a failed precondition', () => {
    test('PUT with a stale If-Match: 409 HAPI-0989, nothing written; the current one updates', async () => {
        const first = await created()
        const id = first.id as string
        const moved = await stand.fhir('PUT', `Patient/${id}`, { ...first, gender: 'other' })
        expect(moved.headers.get('etag')).toBe('W/"2"')

        const stale = await stand.fhir<OperationOutcome>(
            'PUT',
            `Patient/${id}`,
            { ...first, gender: 'unknown' },
            { 'if-match': 'W/"1"' }
        )
        expect(stale.status).toBe(409)
        expect(diagnosticsOf(stale.body)).toContain(
            `HAPI-0989: Trying to update Patient/${id}/_history/1 but this is not the current version`
        )
        const read = await stand.fhir('GET', `Patient/${id}`)
        expect(read.body).toMatchObject({ gender: 'other', meta: { versionId: '2' } })

        const current = await stand.fhir(
            'PUT',
            `Patient/${id}`,
            { ...first, gender: 'unknown' },
            { 'if-match': 'W/"2"' }
        )
        expect(current.status).toBe(200)
        expect(current.headers.get('etag')).toBe('W/"3"')
    })

    test('a bare version in If-Match is read as one (HAPI ParameterUtil.parseETagValue), not ignored', async () => {
        const first = await created()
        await stand.fhir('PUT', `Patient/${first.id}`, { ...first, gender: 'other' })
        const stale = await stand.fhir(
            'PUT',
            `Patient/${first.id}`,
            { ...first, gender: 'unknown' },
            { 'if-match': '1' }
        )
        expect(stale.status).toBe(409)
        expect((await stand.fhir('GET', `Patient/${first.id}`)).body).toMatchObject({
            gender: 'other',
        })
    })

    test('a stale ifMatch in a transaction entry fails the whole transaction with 409', async () => {
        const first = await created()
        await stand.fhir('PUT', `Patient/${first.id}`, { ...first, gender: 'other' })
        const newPhn = uniquePhn()
        const reply = await stand.fhir<OperationOutcome>(
            'POST',
            '',
            transaction([
                { resource: patient(newPhn), request: { method: 'POST', url: 'Patient' } },
                {
                    resource: { ...first, gender: 'unknown' } as Resource,
                    // As HAPI's own test writes it: a bare version.
                    request: { method: 'PUT', url: `Patient/${first.id}`, ifMatch: '1' },
                },
            ])
        )
        expect(reply.status).toBe(409)
        expect(diagnosticsOf(reply.body)).toContain('HAPI-0550: HAPI-0989')
        const search = await stand.fhir<Bundle>(
            'GET',
            `Patient?identifier=${PHN}|${newPhn}`,
            undefined,
            {
                'cache-control': 'no-cache',
            }
        )
        expect(search.body.total).toBe(0)
    })
})

describe('412 is for conditions, not versions', () => {
    test('a conditional update whose URL matches two resources: 412 HAPI-0988, nothing written', async () => {
        const phn = uniquePhn()
        await created(phn)
        await created(phn)
        const condition = `Patient?identifier=${PHN}|${phn}`
        const inTransaction = await stand.fhir<OperationOutcome>(
            'POST',
            '',
            transaction([
                {
                    resource: { ...patient(phn), gender: 'other' } as Resource,
                    request: { method: 'PUT', url: condition },
                },
            ])
        )
        expect(inTransaction.status).toBe(412)
        expect(diagnosticsOf(inTransaction.body)).toMatch(
            /HAPI-0988: .*because this search matched 2 resources/
        )
        const plain = await stand.fhir('PUT', condition.replace('|', '%7C'), {
            ...patient(phn),
            gender: 'other',
        })
        expect(plain.status).toBe(412)
    })

    test('a body its own conditional URL does not match: 412 HAPI-0539', async () => {
        const reply = await stand.fhir<OperationOutcome>(
            'POST',
            '',
            transaction([
                {
                    resource: patient(uniquePhn()),
                    request: { method: 'PUT', url: `Patient?identifier=${PHN}|${uniquePhn()}` },
                },
            ])
        )
        expect(reply.status).toBe(412)
        expect(diagnosticsOf(reply.body)).toContain(
            'The given resource is not matched by this URL.'
        )
    })
})

describe('an update that changes nothing keeps its version', () => {
    test('the same resource again: 200 with the same ETag, no new history entry', async () => {
        const first = await created()
        const again = await stand.fhir('PUT', `Patient/${first.id}`, first)
        expect(again.status).toBe(200)
        expect(again.headers.get('etag')).toBe('W/"1"')
        const history = await stand.fhir<Bundle>('GET', `Patient/${first.id}/_history`)
        expect(history.body.total).toBe(1)
        const changed = await stand.fhir('PUT', `Patient/${first.id}`, {
            ...first,
            gender: 'other',
        })
        expect(changed.headers.get('etag')).toBe('W/"2"')
    })

    test('a conditional upsert sent twice: the second is "200 OK" at version 1', async () => {
        const phn = uniquePhn()
        const upsert = transaction([
            {
                fullUrl: 'urn:uuid:6f1c7c36-5a43-4d52-9f0e-7f2f8e2b9a11',
                resource: patient(phn),
                request: { method: 'PUT', url: `Patient?identifier=${PHN}|${phn}` },
            },
        ])
        const first = await stand.fhir<Bundle>('POST', '', upsert)
        const second = await stand.fhir<Bundle>('POST', '', upsert)
        expect(first.body.entry?.[0]?.response?.status).toBe('201 Created')
        expect(second.body.entry?.[0]?.response).toMatchObject({
            status: '200 OK',
            location: first.body.entry?.[0]?.response?.location,
        })
        expect(second.body.entry?.[0]?.response?.location).toMatch(/\/_history\/1$/)
    })
})
