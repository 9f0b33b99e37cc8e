import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'

import {
    observation,
    patient,
    startTestFhir,
    transaction,
    uniquePhn,
    type TestFhir,
} from '../../../devstack/test-support/fhir-client'
import { RelayError } from '../errors'
import { ESIGNET_SUB_SYSTEM } from '@anc/shared/metadata'
import { FhirReader, type PagingLimits } from './fhir'

// The patient gateway's FHIR reads against the FHIR stand-in answering as HAPI FHIR 8 (its
// default mode): `_getpages` links written on the configured server address, searches reused
// for 60 s unless `Cache-Control: no-cache` (HAPI sources cited in devstack/src/fhir/paging.test.ts).

jest.setTimeout(60_000)

const reader = (stand: TestFhir, paging?: PagingLimits) =>
    new FhirReader(
        { baseUrl: stand.url, timeoutMs: 10_000 },
        (url, init) => fetch(url, init),
        paging
    )

async function withObservations(stand: TestFhir, count: number): Promise<string> {
    const her = await stand.fhir('POST', 'Patient', patient(uniquePhn()))
    const entry = Array.from({ length: count }, () => ({
        resource: observation(`Patient/${her.body.id}`, randomUUID()),
        request: { method: 'POST' as const, url: 'Observation' },
    }))
    expect((await stand.fhir('POST', '', transaction(entry))).status).toBe(200)
    return her.body.id as string
}

describe('the patient gateway reading from HAPI FHIR', () => {
    let stand: TestFhir
    beforeAll(async () => {
        stand = await startTestFhir()
    })
    afterAll(() => stand.close())

    test('reads every page of a search, not only the first 200', async () => {
        const id = await withObservations(stand, 450)
        const found = await reader(stand).search('Observation', { patient: `Patient/${id}` })
        expect(found).toHaveLength(450)
    })

    test('a search beyond its page limit fails as unavailable, never as a shorter record', async () => {
        const id = await withObservations(stand, 5)
        const short = reader(stand, { pageSize: 2, maxPages: 2 })
        const failure = await short
            .search('Observation', { patient: `Patient/${id}` })
            .catch((error: unknown) => error)
        expect(failure).toBeInstanceOf(RelayError)
        expect(failure).toEqual(expect.objectContaining({ status: 502, code: 'fhir_unavailable' }))
    })

    test('a woman signing in right after her record was written finds it', async () => {
        const sub = `sub-${randomUUID()}`
        const gateway = reader(stand)
        expect(await gateway.findPatientBySub(sub)).toBeUndefined()
        await stand.fhir('POST', 'Patient', {
            ...patient(uniquePhn()),
            identifier: [{ system: ESIGNET_SUB_SYSTEM, value: sub }],
        })
        expect(await gateway.findPatientBySub(sub)).toEqual(
            expect.objectContaining({ resourceType: 'Patient' })
        )
    })
})

test('links written on another server address are followed on the configured base only', async () => {
    const elsewhere: string[] = []
    const trap = http.createServer((req, res) => {
        elsewhere.push(req.url ?? '')
        res.writeHead(500).end()
    })
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve))
    const address = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/fhir`
    const stand = await startTestFhir({ publicBaseUrl: address })
    try {
        const id = await withObservations(stand, 5)
        const found = await reader(stand, { pageSize: 2, maxPages: 5 }).search('Observation', {
            patient: `Patient/${id}`,
        })
        expect(found).toHaveLength(5)
        // The service credentials went to the configured server only.
        expect(elsewhere).toEqual([])
    } finally {
        await stand.close()
        await new Promise((resolve) => trap.close(resolve))
    }
})
