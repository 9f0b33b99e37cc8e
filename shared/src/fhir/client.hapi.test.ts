/**
 * The apps' FHIR client against the FHIR stand-in answering as HAPI FHIR 8 (its default mode),
 * behind a route-like server that passes what a DHIS2 route passes. What HAPI does differently
 * and why is cited in devstack/src/fhir/{conflicts,paging}.test.ts.
 */
import { randomUUID } from 'node:crypto'
import type { Patient, Resource } from '@medplum/fhirtypes'
import {
    observation,
    patient,
    PHN,
    transaction,
    uniquePhn,
    type TestFhir,
} from '../../../devstack/test-support/fhir-client'
import { startTestFhirBehindRoute } from '../../../devstack/test-support/fhir-route'
import { AncFhirClient } from './client'
import { FhirClientError } from './errors'

jest.setTimeout(60_000)

let behind: Awaited<ReturnType<typeof startTestFhirBehindRoute>>
let stand: TestFhir
let route: typeof behind.route
let client: AncFhirClient

beforeAll(async () => {
    behind = await startTestFhirBehindRoute({ publicBaseUrl: 'http://nehr.internal:8080/fhir' })
    ;({ stand, route } = behind)
    client = new AncFhirClient({ dhis2BaseUrl: route.dhis2BaseUrl })
})
afterAll(() => behind.close())

async function patientWithObservations(count: number): Promise<string> {
    const created = await stand.fhir('POST', 'Patient', patient(uniquePhn()))
    const entry = Array.from({ length: count }, () => ({
        resource: observation(`Patient/${created.body.id}`, randomUUID()),
        request: { method: 'POST' as const, url: 'Observation' },
    }))
    expect((await stand.fhir('POST', '', transaction(entry))).status).toBe(200)
    return created.body.id as string
}

describe('AncFhirClient against HAPI answers', () => {
    test('a search repeated right after a write finds what was written (Cache-Control: no-cache)', async () => {
        const phn = uniquePhn()
        expect(await client.searchByIdentifier<Patient>('Patient', PHN, phn)).toEqual([])
        await client.transaction(
            transaction([
                {
                    resource: patient(phn),
                    request: { method: 'PUT', url: `Patient?identifier=${PHN}|${phn}` },
                },
            ])
        )
        const found = await client.searchByIdentifier<Patient>('Patient', PHN, phn)
        expect(found).toHaveLength(1)
        expect(route.requests.at(-1)?.headers['cache-control']).toBe('no-cache')
    })

    test("follows HAPI's _getpages links, written on another host name, through the route", async () => {
        const id = await patientWithObservations(25)
        const all = await client.search(`Observation?subject=Patient/${id}&_count=10`)
        expect(all.entry).toHaveLength(25)
        expect(route.requests.at(-1)?.url).toMatch(/\/run\/?\?_getpages=/)
    })

    test('more pages than it may follow is an error, never a record cut short', async () => {
        const id = await patientWithObservations(25)
        const short = new AncFhirClient({ dhis2BaseUrl: route.dhis2BaseUrl, maxPages: 2 })
        await expect(short.search(`Observation?subject=Patient/${id}&_count=10`)).rejects.toEqual(
            expect.objectContaining({ kind: 'badResponse' })
        )
    })

    test("HAPI's 409 for a stale If-Match is a preconditionFailed error, by id and in a transaction", async () => {
        const created = await stand.fhir('POST', 'Patient', patient(uniquePhn()))
        const { resource, etag } = await client.read<Patient>('Patient', created.body.id as string)
        await client.update({ ...resource, gender: 'other' }, { ifMatch: etag })

        const stale = await client
            .update({ ...resource, gender: 'unknown' }, { ifMatch: etag })
            .catch((error: unknown) => error)
        expect(stale).toBeInstanceOf(FhirClientError)
        expect(stale).toEqual(expect.objectContaining({ kind: 'preconditionFailed', status: 409 }))

        const staleInTransaction = await client
            .transaction(
                transaction([
                    {
                        resource: { ...resource, gender: 'unknown' } as Resource,
                        request: { method: 'PUT', url: `Patient/${resource.id}`, ifMatch: etag },
                    },
                ])
            )
            .catch((error: unknown) => error)
        expect(staleInTransaction).toEqual(
            expect.objectContaining({ kind: 'preconditionFailed', status: 409 })
        )
    })
})
