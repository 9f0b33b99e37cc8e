import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

import type {
    Bundle,
    BundleEntry,
    CapabilityStatement,
    OperationOutcome,
    Resource,
} from '@medplum/fhirtypes'

import { startFhir } from './server'
import type { RunningFhirServer } from './server'
import {
    fhirClient,
    issuesText,
    observation,
    patient,
    PHN,
    resourcesOf,
    transaction,
} from '../../test-support/fhir-client'

// Contract tests: each asserts what a HAPI FHIR R4 server answers, over HTTP.

// Loading the R4 definitions takes about a second, several on a busy shared machine.
jest.setTimeout(30_000)

let server: RunningFhirServer
let dir: string
let fhir: ReturnType<typeof fhirClient>

beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fhir-test-'))
    server = await startFhir({ port: 0, dataDir: dir })
    fhir = fhirClient(server.url)
})

afterAll(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
})

const uniquePhn = (): string => String(Math.floor(Math.random() * 9e9) + 1e9)

async function searchTotal(query: string): Promise<number> {
    const reply = await fhir<Bundle>('GET', query)
    expect(reply.status).toBe(200)
    return reply.body.total ?? -1
}

describe('capability statement', () => {
    test('GET /metadata is a valid R4 CapabilityStatement in application/fhir+json', async () => {
        const { validateResource } = await import('@medplum/core')
        const reply = await fhir<CapabilityStatement>('GET', 'metadata')
        expect(reply.status).toBe(200)
        expect(reply.headers.get('content-type')).toMatch(/^application\/fhir\+json/)
        expect(reply.body.fhirVersion).toBe('4.0.1')
        expect(() => validateResource(reply.body)).not.toThrow()
        const patientCaps = reply.body.rest?.[0]?.resource?.find((r) => r.type === 'Patient')
        expect(patientCaps?.searchParam?.map((p) => p.name)).toContain('identifier')
        expect(patientCaps?.operation?.map((o) => o.name)).toContain('everything')
        expect(reply.body.rest?.[0]?.interaction?.map((i) => i.code)).toEqual([
            'transaction',
            'batch',
        ])
    })
})

describe('create, read, versions', () => {
    test('create answers 201 with Location, ETag W/"1" and the stored resource', async () => {
        const created = await fhir('POST', 'Patient', patient(uniquePhn()))
        expect(created.status).toBe(201)
        expect(created.headers.get('etag')).toBe('W/"1"')
        expect(created.headers.get('location')).toBe(
            `${server.url}/Patient/${created.body.id}/_history/1`
        )
        expect(created.body.meta?.versionId).toBe('1')
        const read = await fhir('GET', `Patient/${created.body.id}`)
        expect(read.status).toBe(200)
        expect(read.headers.get('etag')).toBe('W/"1"')
    })

    test('If-Match with the current version updates; with a stale one gives 409 and changes nothing', async () => {
        const created = await fhir('POST', 'Patient', patient(uniquePhn()))
        const id = created.body.id as string
        const updated = await fhir(
            'PUT',
            `Patient/${id}`,
            { ...created.body, gender: 'other' },
            { 'if-match': 'W/"1"' }
        )
        expect(updated.status).toBe(200)
        expect(updated.headers.get('etag')).toBe('W/"2"')

        const stale = await fhir<OperationOutcome>(
            'PUT',
            `Patient/${id}`,
            { ...created.body, gender: 'unknown' },
            { 'if-match': 'W/"1"' }
        )
        // HAPI: ResourceVersionConflictException (see conflicts.test.ts).
        expect(stale.status).toBe(409)
        expect(stale.body.resourceType).toBe('OperationOutcome')
        const read = await fhir('GET', `Patient/${id}`)
        expect(read.body).toMatchObject({ gender: 'other', meta: { versionId: '2' } })

        const history = await fhir<Bundle>('GET', `Patient/${id}/_history`)
        expect(resourcesOf(history.body).map((r) => r.meta?.versionId)).toEqual(['2', '1'])
        // Reading history twice must not flip its order (a Medplum 5.2.13 bug).
        const again = await fhir<Bundle>('GET', `Patient/${id}/_history`)
        expect(resourcesOf(again.body).map((r) => r.meta?.versionId)).toEqual(['2', '1'])
        const v1 = await fhir('GET', `Patient/${id}/_history/1`)
        expect(v1.body).toMatchObject({ gender: 'female', meta: { versionId: '1' } })
    })

    test('unknown id is 404 and a deleted resource is 410, both with an OperationOutcome', async () => {
        const missing = await fhir<OperationOutcome>('GET', `Patient/${randomUUID()}`)
        expect(missing.status).toBe(404)
        expect(missing.body.resourceType).toBe('OperationOutcome')
        const created = await fhir('POST', 'Patient', patient(uniquePhn()))
        expect((await fhir('DELETE', `Patient/${created.body.id}`)).status).toBe(200)
        const gone = await fhir<OperationOutcome>('GET', `Patient/${created.body.id}`)
        expect(gone.status).toBe(410)
        expect(gone.body.resourceType).toBe('OperationOutcome')
    })
})

describe('validation', () => {
    test('a resource with an unknown element is refused with 422 and an OperationOutcome', async () => {
        const reply = await fhir<OperationOutcome>('POST', 'Patient', {
            ...patient(uniquePhn()),
            colour: 'blue',
        })
        expect(reply.status).toBe(422)
        expect(reply.body.resourceType).toBe('OperationOutcome')
        expect(issuesText(reply.body)).toContain('colour')
    })

    test('an Observation without its required status is refused with 422', async () => {
        const { status: _status, ...withoutStatus } = observation('Patient/x', 'e1') as Resource & {
            status?: string
        }
        const reply = await fhir<OperationOutcome>('POST', 'Observation', withoutStatus)
        expect(reply.status).toBe(422)
        expect(issuesText(reply.body)).toMatch(/status/i)
    })

    test('a wrongly typed value is refused with 422 and nothing is stored', async () => {
        const phn = uniquePhn()
        const reply = await fhir('POST', 'Patient', {
            ...patient(phn),
            birthDate: 'twelfth of April',
        })
        expect(reply.status).toBe(422)
        expect(await searchTotal(`Patient?identifier=${PHN}|${phn}`)).toBe(0)
    })

    test('bodies that are not FHIR resources are 400, unknown resource types 404', async () => {
        const malformed = await fhir<OperationOutcome>(
            'POST',
            'Patient',
            '{"resourceType": "Patient",',
            {
                'content-type': 'application/fhir+json',
            }
        )
        expect(malformed.status).toBe(400)
        expect(malformed.body.resourceType).toBe('OperationOutcome')
        expect((await fhir('POST', 'Patient', { name: [] })).status).toBe(400)
        expect(
            (await fhir('POST', 'Patient', { resourceType: 'Observation', status: 'final' })).status
        ).toBe(400)
        expect((await fhir('POST', 'Widget', { resourceType: 'Widget' })).status).toBe(404)
        expect((await fhir('GET', 'Widget?name=x')).status).toBe(404)
    })
})

describe('transactions: references and conditional updates', () => {
    test('urn:uuid references are rewritten to the ids the server assigns', async () => {
        const patientUrn = `urn:uuid:${randomUUID()}`
        const reply = await fhir<Bundle>(
            'POST',
            '',
            transaction([
                {
                    fullUrl: `urn:uuid:${randomUUID()}`,
                    resource: observation(patientUrn, randomUUID()),
                    request: { method: 'POST', url: 'Observation' },
                },
                {
                    fullUrl: patientUrn,
                    resource: patient(uniquePhn()),
                    request: { method: 'POST', url: 'Patient' },
                },
            ])
        )
        expect(reply.status).toBe(200)
        expect(reply.body.type).toBe('transaction-response')
        const [obsEntry, patientEntry] = reply.body.entry as BundleEntry[]
        expect(obsEntry?.response?.status).toBe('201 Created')
        const patientLocation = patientEntry?.response?.location as string
        expect(patientLocation).toMatch(/^Patient\/[^/]+\/_history\/1$/)
        const obs = await fhir<Resource & { subject?: { reference?: string } }>(
            'GET',
            (obsEntry?.response?.location as string).replace(/\/_history\/\d+$/, '')
        )
        expect(obs.body.subject?.reference).toBe(patientLocation.replace(/\/_history\/\d+$/, ''))
    })

    test('conditional update twice keeps one resource: same id, version 2', async () => {
        const phn = uniquePhn()
        const bundle = (given: string): Bundle =>
            transaction([
                {
                    fullUrl: `urn:uuid:${randomUUID()}`,
                    resource: {
                        ...patient(phn),
                        name: [{ family: 'Perera', given: [given] }],
                    } as Resource,
                    request: { method: 'PUT', url: `Patient?identifier=${PHN}|${phn}` },
                },
            ])
        const first = await fhir<Bundle>('POST', '', bundle('Nimali'))
        const second = await fhir<Bundle>('POST', '', bundle('Nimalka'))
        expect(first.body.entry?.[0]?.response?.status).toBe('201 Created')
        expect(second.body.entry?.[0]?.response?.status).toBe('200 OK')
        const firstId = first.body.entry?.[0]?.response?.location?.split('/')[1]
        expect(second.body.entry?.[0]?.response?.location).toBe(`Patient/${firstId}/_history/2`)

        const found = await fhir<Bundle>('GET', `Patient?identifier=${PHN}|${phn}`)
        expect(found.body.total).toBe(1)
        expect(found.body.entry?.[0]?.resource).toMatchObject({
            id: firstId,
            meta: { versionId: '2' },
            name: [{ given: ['Nimalka'] }],
        })
    })

    test('conditional update over plain HTTP (PUT Type?identifier=) upserts too', async () => {
        const phn = uniquePhn()
        const url = `Patient?identifier=${encodeURIComponent(`${PHN}|${phn}`)}`
        const created = await fhir('PUT', url, patient(phn))
        expect(created.status).toBe(201)
        const updated = await fhir('PUT', url, { ...patient(phn), gender: 'other' })
        expect(updated.status).toBe(200)
        expect(updated.body).toMatchObject({ id: created.body.id, meta: { versionId: '2' } })
    })
})

describe('transactions are all or nothing', () => {
    test('a failing entry rolls the whole transaction back, including updates', async () => {
        const existingPhn = uniquePhn()
        const existing = await fhir('POST', 'Patient', patient(existingPhn))
        const newPhn = uniquePhn()
        const patientUrn = `urn:uuid:${randomUUID()}`
        const { status: _status, ...invalidObservation } = observation(
            patientUrn,
            randomUUID()
        ) as Resource & {
            status?: string
        }
        const reply = await fhir<OperationOutcome>(
            'POST',
            '',
            transaction([
                {
                    fullUrl: patientUrn,
                    resource: patient(newPhn),
                    request: { method: 'POST', url: 'Patient' },
                },
                {
                    fullUrl: `urn:uuid:${randomUUID()}`,
                    resource: { ...patient(existingPhn), gender: 'other' } as Resource,
                    request: { method: 'PUT', url: `Patient?identifier=${PHN}|${existingPhn}` },
                },
                {
                    fullUrl: `urn:uuid:${randomUUID()}`,
                    resource: observation(patientUrn, randomUUID()),
                    request: { method: 'POST', url: 'Observation' },
                },
                {
                    fullUrl: `urn:uuid:${randomUUID()}`,
                    resource: invalidObservation as Resource,
                    request: { method: 'POST', url: 'Observation' },
                },
            ])
        )
        expect(reply.status).toBe(422)
        expect(reply.body.resourceType).toBe('OperationOutcome')
        expect(issuesText(reply.body)).toMatch(/entry 3/)

        expect(await searchTotal(`Patient?identifier=${PHN}|${newPhn}`)).toBe(0)
        const after = await fhir('GET', `Patient/${existing.body.id}`)
        expect(after.body).toMatchObject({ gender: 'female', meta: { versionId: '1' } })
        const history = await fhir<Bundle>('GET', `Patient/${existing.body.id}/_history`)
        expect(history.body.total).toBe(1)
        // A later write gets version 2: the rolled-back version number is not burnt.
        const next = await fhir('PUT', `Patient/${existing.body.id}`, {
            ...after.body,
            gender: 'unknown',
        })
        expect(next.body.meta?.versionId).toBe('2')
    })

    test('a stale ifMatch inside a transaction fails it with 409 and leaves nothing', async () => {
        const created = await fhir('POST', 'Patient', patient(uniquePhn()))
        await fhir('PUT', `Patient/${created.body.id}`, { ...created.body, gender: 'other' })
        const newPhn = uniquePhn()
        const reply = await fhir<OperationOutcome>(
            'POST',
            '',
            transaction([
                { resource: patient(newPhn), request: { method: 'POST', url: 'Patient' } },
                {
                    resource: { ...created.body, gender: 'unknown' } as Resource,
                    request: { method: 'PUT', url: `Patient/${created.body.id}`, ifMatch: 'W/"1"' },
                },
            ])
        )
        expect(reply.status).toBe(409)
        expect(await searchTotal(`Patient?identifier=${PHN}|${newPhn}`)).toBe(0)
    })
})

describe('transactions with many conditional entries', () => {
    test('a bundle of 30 conditional entries works, and re-sending it duplicates nothing', async () => {
        const system = `urn:test:bulk:${randomUUID()}`
        const patientPhn = uniquePhn()
        const patientUrn = `urn:uuid:${randomUUID()}`
        const entries: BundleEntry[] = [
            {
                fullUrl: patientUrn,
                resource: patient(patientPhn),
                request: { method: 'PUT', url: `Patient?identifier=${PHN}|${patientPhn}` },
            },
        ]
        for (let i = 1; i < 30; i++) {
            const resource = {
                ...observation(patientUrn, 'x', 100 + i),
                identifier: [{ system, value: `obs-${i}` }],
            } as Resource
            entries.push(
                i % 2 === 0
                    ? {
                          fullUrl: `urn:uuid:${randomUUID()}`,
                          resource,
                          request: {
                              method: 'PUT',
                              url: `Observation?identifier=${system}|obs-${i}`,
                          },
                      }
                    : {
                          fullUrl: `urn:uuid:${randomUUID()}`,
                          resource,
                          request: {
                              method: 'POST',
                              url: 'Observation',
                              ifNoneExist: `identifier=${system}|obs-${i}`,
                          },
                      }
            )
        }
        const first = await fhir<Bundle>('POST', '', transaction(entries))
        expect(first.status).toBe(200)
        expect(first.body.entry).toHaveLength(30)
        expect(first.body.entry?.every((e) => e.response?.status === '201 Created')).toBe(true)
        const patientId = first.body.entry?.[0]?.response?.location?.split('/')[1]

        const second = await fhir<Bundle>('POST', '', transaction(entries))
        expect(second.status).toBe(200)
        expect(second.body.entry?.every((e) => e.response?.status === '200 OK')).toBe(true)
        // The same bytes again change nothing, so HAPI keeps every version (conflicts.test.ts).
        expect(second.body.entry?.[2]?.response?.location).toMatch(/\/_history\/1$/)
        expect(second.body.entry?.[1]?.response?.location).toBe(
            first.body.entry?.[1]?.response?.location
        )

        expect(await searchTotal(`Observation?identifier=${system}|obs-5`)).toBe(1)
        expect(await searchTotal(`Observation?subject=Patient/${patientId}&_count=0`)).toBe(29)
        expect(await searchTotal(`Patient?identifier=${PHN}|${patientPhn}`)).toBe(1)
    })

    test('two entries with the same condition are refused (400) instead of creating twice', async () => {
        const phn = uniquePhn()
        const upsert = (): BundleEntry => ({
            fullUrl: `urn:uuid:${randomUUID()}`,
            resource: patient(phn),
            request: { method: 'PUT', url: `Patient?identifier=${PHN}|${phn}` },
        })
        const reply = await fhir<OperationOutcome>('POST', '', transaction([upsert(), upsert()]))
        expect(reply.status).toBe(400)
        expect(reply.body.resourceType).toBe('OperationOutcome')
        expect(await searchTotal(`Patient?identifier=${PHN}|${phn}`)).toBe(0)
    })
})

describe('batches', () => {
    test('a batch runs entries independently, GET entries search by identifier', async () => {
        const phn = uniquePhn()
        await fhir('POST', 'Patient', patient(phn))
        const reply = await fhir<Bundle>(
            'POST',
            '',
            transaction(
                [
                    { request: { method: 'GET', url: `Patient?identifier=${PHN}|${phn}` } },
                    {
                        resource: { resourceType: 'Patient', colour: 'red' } as Resource,
                        request: { method: 'POST', url: 'Patient' },
                    },
                    { resource: patient(uniquePhn()), request: { method: 'POST', url: 'Patient' } },
                ],
                'batch'
            )
        )
        expect(reply.status).toBe(200)
        expect(reply.body.type).toBe('batch-response')
        const [search, invalid, created] = reply.body.entry as BundleEntry[]
        expect(search?.response?.status).toBe('200 OK')
        expect((search?.resource as Bundle).total).toBe(1)
        expect(invalid?.response?.status).toBe('422 Unprocessable Entity')
        expect(invalid?.response?.outcome?.resourceType).toBe('OperationOutcome')
        expect(created?.response?.status).toBe('201 Created')
    })
})

describe('search', () => {
    test('unknown search parameter, _sort or _include is 400 with an OperationOutcome', async () => {
        const unknown = await fhir<OperationOutcome>('GET', 'Patient?favouriteColour=blue')
        expect(unknown.status).toBe(400)
        expect(unknown.body.resourceType).toBe('OperationOutcome')
        expect(issuesText(unknown.body)).toContain('favouriteColour')
        expect((await fhir('GET', 'Patient?_sort=colour')).status).toBe(400)
        expect((await fhir('GET', 'Patient?_include=Patient:colour')).status).toBe(400)
        expect((await fhir('GET', 'Patient?_count=lots')).status).toBe(400)
        const posted = await fhir('POST', 'Patient/_search', 'colour=blue', {
            'content-type': 'application/x-www-form-urlencoded',
        })
        expect(posted.status).toBe(400)
    })

    test('POST _search with a form body finds by identifier (with the | the route cannot carry)', async () => {
        const phn = uniquePhn()
        const created = await fhir('POST', 'Patient', patient(phn))
        const reply = await fhir<Bundle>(
            'POST',
            'Patient/_search',
            new URLSearchParams({ identifier: `${PHN}|${phn}` }).toString(),
            {
                'content-type': 'application/x-www-form-urlencoded',
            }
        )
        expect(reply.status).toBe(200)
        expect(reply.body.total).toBe(1)
        expect(reply.body.entry?.[0]?.resource?.id).toBe(created.body.id)
        expect(reply.body.entry?.[0]?.fullUrl).toBe(`${server.url}/Patient/${created.body.id}`)
        // The DHIS2 route also copies form fields into the query string: still one match.
        const doubled = await fhir<Bundle>(
            'POST',
            `Patient/_search?identifier=${encodeURIComponent(`${PHN}|${phn}`)}`,
            new URLSearchParams({ identifier: `${PHN}|${phn}` }).toString(),
            { 'content-type': 'application/x-www-form-urlencoded' }
        )
        expect(doubled.body.total).toBe(1)
    })

    test('paging: default _count 20, absolute next/previous links walk every match once', async () => {
        // HAPI's links are `<base>?_getpages=...` (paging.test.ts has their details).
        const family = `Paging${randomUUID().slice(0, 8)}`
        for (let i = 0; i < 25; i++) {
            await fhir('POST', 'Patient', {
                ...patient(uniquePhn(), family),
                birthDate: `1990-01-${String(i + 1).padStart(2, '0')}`,
            })
        }
        const firstDefault = await fhir<Bundle>('GET', `Patient?family=${family}`)
        expect(firstDefault.body.total).toBe(25)
        expect(firstDefault.body.entry).toHaveLength(20)

        const seen: string[] = []
        let next: string | undefined =
            `${server.url}/Patient?family=${family}&_count=10&_sort=birthdate`
        let pages = 0
        let previous: string | undefined
        while (next) {
            expect(next.startsWith(server.url)).toBe(true)
            const page: Awaited<ReturnType<typeof fhir<Bundle>>> = await fhir<Bundle>('GET', next)
            expect(page.status).toBe(200)
            expect(page.body.link?.find((l) => l.relation === 'self')?.url).toBeDefined()
            seen.push(
                ...resourcesOf(page.body).map(
                    (r) => (r as { birthDate?: string }).birthDate as string
                )
            )
            previous = page.body.link?.find((l) => l.relation === 'previous')?.url
            next = page.body.link?.find((l) => l.relation === 'next')?.url
            pages++
        }
        expect(pages).toBe(3)
        expect(seen).toHaveLength(25)
        expect(new Set(seen).size).toBe(25)
        expect([...seen].sort()).toEqual(seen)
        expect(previous).toBeDefined()
        const back = await fhir<Bundle>('GET', previous as string)
        expect(back.body.entry).toHaveLength(10)
        expect((back.body.entry?.[0]?.resource as { birthDate?: string }).birthDate).toBe(seen[10])
    })

    test('_revinclude and _include return the related resources marked as include', async () => {
        const phn = uniquePhn()
        const created = await fhir('POST', 'Patient', patient(phn))
        await fhir('POST', 'Observation', observation(`Patient/${created.body.id}`, randomUUID()))
        await fhir('POST', 'Observation', observation(`Patient/${created.body.id}`, randomUUID()))
        const withObs = await fhir<Bundle>(
            'GET',
            `Patient?identifier=${PHN}|${phn}&_revinclude=Observation:subject`
        )
        expect(withObs.body.total).toBe(1)
        const modes = (withObs.body.entry ?? []).map(
            (e) => `${e.resource?.resourceType}:${e.search?.mode}`
        )
        expect(modes.sort()).toEqual([
            'Observation:include',
            'Observation:include',
            'Patient:match',
        ])

        const withPatient = await fhir<Bundle>(
            'GET',
            `Observation?subject=Patient/${created.body.id}&_include=Observation:subject`
        )
        expect(withPatient.body.total).toBe(2)
        expect(
            resourcesOf(withPatient.body).filter((r) => r.resourceType === 'Patient')
        ).toHaveLength(1)
    })
})

describe('Patient/$everything', () => {
    test('returns the patient and her compartment, nothing of anyone else', async () => {
        const her = await fhir('POST', 'Patient', patient(uniquePhn()))
        const other = await fhir('POST', 'Patient', patient(uniquePhn()))
        const encounter = await fhir('POST', 'Encounter', {
            resourceType: 'Encounter',
            status: 'finished',
            class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
            subject: { reference: `Patient/${her.body.id}` },
        })
        const mine = await fhir(
            'POST',
            'Observation',
            observation(`Patient/${her.body.id}`, randomUUID())
        )
        const theirs = await fhir(
            'POST',
            'Observation',
            observation(`Patient/${other.body.id}`, randomUUID())
        )
        const reply = await fhir<Bundle>('GET', `Patient/${her.body.id}/$everything`)
        expect(reply.status).toBe(200)
        expect(reply.body.type).toBe('searchset')
        const ids = resourcesOf(reply.body).map((r) => `${r.resourceType}/${r.id}`)
        expect(ids.sort()).toEqual(
            [
                `Patient/${her.body.id}`,
                `Encounter/${encounter.body.id}`,
                `Observation/${mine.body.id}`,
            ].sort()
        )
        expect(ids).not.toContain(`Observation/${theirs.body.id}`)
        expect(ids).not.toContain(`Patient/${other.body.id}`)

        const paged = await fhir<Bundle>('GET', `Patient/${her.body.id}/$everything?_count=2`)
        expect(paged.body.entry).toHaveLength(2)
        const next = paged.body.link?.find((l) => l.relation === 'next')?.url as string
        expect(next).toMatch(new RegExp(`^${server.url}\\?_getpages=`))
        expect((await fhir<Bundle>('GET', next)).body.entry).toHaveLength(1)

        expect((await fhir('GET', `Patient/${randomUUID()}/$everything`)).status).toBe(404)
    })
})

describe('HTTP Basic service credentials', () => {
    test('without or with wrong credentials 401, with the configured ones 200', async () => {
        const authDir = mkdtempSync(path.join(tmpdir(), 'fhir-auth-'))
        const secured = await startFhir({
            port: 0,
            dataDir: authDir,
            basicAuth: { user: 'dhis2', password: 's3cret' },
        })
        try {
            const basic = (user: string, password: string): string =>
                `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
            const anonymous = await fhirClient(secured.url)<OperationOutcome>('GET', 'Patient')
            expect(anonymous.status).toBe(401)
            expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/)
            expect(anonymous.body.resourceType).toBe('OperationOutcome')
            const wrong = await fhirClient(secured.url, { authorization: basic('dhis2', 'guess') })(
                'GET',
                'Patient'
            )
            expect(wrong.status).toBe(401)
            const writeAttempt = await fhirClient(secured.url)(
                'POST',
                'Patient',
                patient(uniquePhn())
            )
            expect(writeAttempt.status).toBe(401)
            const right = await fhirClient(secured.url, {
                authorization: basic('dhis2', 's3cret'),
            })('GET', 'Patient')
            expect(right.status).toBe(200)
            expect((right.body as Bundle).total).toBe(0)
        } finally {
            await secured.close()
            rmSync(authDir, { recursive: true, force: true })
        }
    })
})

describe('start-up', () => {
    test('a taken port gives a message naming the service and FHIR_PORT', async () => {
        const blocker = createServer()
        await new Promise<void>((resolve) => blocker.listen(0, 'localhost', resolve))
        const port = (blocker.address() as AddressInfo).port
        const blockedDir = mkdtempSync(path.join(tmpdir(), 'fhir-port-'))
        try {
            await expect(startFhir({ port, dataDir: blockedDir })).rejects.toThrow(
                /fhir stand-in.*FHIR_PORT/s
            )
        } finally {
            await new Promise((resolve) => blocker.close(resolve))
            rmSync(blockedDir, { recursive: true, force: true })
        }
    })
})
