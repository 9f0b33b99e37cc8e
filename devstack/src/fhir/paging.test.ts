import { randomUUID } from 'node:crypto'

import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes'

import {
    diagnosticsOf,
    observation,
    patient,
    PHN,
    resourcesOf,
    startTestFhir,
    transaction,
    uniquePhn,
    type TestFhir,
} from '../../test-support/fhir-client'

// How HAPI FHIR 8 (JPA server, jpaserver-starter defaults) pages, read in hapifhir/hapi-fhir and
// hapifhir/hapi-fhir-jpaserver-starter:
// - links `<server address>?_getpages=<uuid>&_getpagesoffset=N&_count=N&_pretty=true&_bundletype=searchset`:
//   hapi-fhir-server/.../rest/server/RestfulServerUtils.java (createPagingLink),
//   .../method/ResponseBundleBuilder.java; `_pretty=true` from the starter's default_pretty_print;
//   the server address is `hapi.fhir.server_address` when set (starter StarterJpaConfig,
//   HardcodedServerAddressStrategy), default page size 20 (starter AppProperties);
// - identical searches reuse the stored results for 60 s (starter reuse_cached_search_results_millis,
//   JpaStorageSettings.DEFAULT_REUSE_CACHED_SEARCH_RESULTS_FOR_MILLIS), `_count` aside
//   (SearchParameterMap.toNormalizedQueryString), unless `Cache-Control: no-cache`
//   (.../jpa/search/SearchCoordinatorSvcImpl.java registerSearch); `$everything` never;
// - stored searches expire after 60 min (retain_cached_searches_mins; DatabaseSearchCacheSvcImpl
//   getCutoff adds the reuse window), then 410 HAPI-0417 (.../method/PageMethodBinding.java);
// - at most 1,000 included resources per page across every _include/_revinclude, the rest
//   dropped without a word (JpaStorageSettings.DEFAULT_MAXIMUM_INCLUDES_TO_LOAD_PER_PAGE,
//   PersistedJpaBundleProvider: _revinclude first, then _include);
// - `_offset` searches are synchronous: offset links, nothing stored (SearchCoordinatorSvcImpl).

jest.setTimeout(60_000)

let now = Date.now()
let stand: TestFhir
beforeAll(async () => {
    stand = await startTestFhir({ now: () => now })
})
afterAll(() => stand.close())

const linkOf = (bundle: Bundle, relation: string): string | undefined =>
    bundle.link?.find((link) => link.relation === relation)?.url

async function patientsOfFamily(count: number): Promise<string> {
    const family = `Paged${randomUUID().slice(0, 8)}`
    const entry: BundleEntry[] = []
    for (let i = 0; i < count; i++) {
        entry.push({
            resource: {
                ...patient(uniquePhn(), family),
                birthDate: `1990-01-${String(i + 1).padStart(2, '0')}`,
            } as Resource,
            request: { method: 'POST', url: 'Patient' },
        })
    }
    expect((await stand.fhir('POST', '', transaction(entry))).status).toBe(200)
    return family
}

describe('paging links are HAPI _getpages links', () => {
    test('20 per page by default; next is <base>?_getpages=<search id>&_getpagesoffset=20&_count=20...', async () => {
        const family = await patientsOfFamily(25)
        const first = await stand.fhir<Bundle>('GET', `Patient?family=${family}&_sort=birthdate`)
        expect(first.status).toBe(200)
        expect(first.body.total).toBe(25)
        expect(first.body.entry).toHaveLength(20)
        const searchId = first.body.id as string
        expect(linkOf(first.body, 'next')).toBe(
            `${stand.url}?_getpages=${searchId}&_getpagesoffset=20&_count=20&_pretty=true&_bundletype=searchset`
        )
        const second = await stand.fhir<Bundle>('GET', linkOf(first.body, 'next') as string)
        expect(second.status).toBe(200)
        expect(second.body.id).toBe(searchId)
        expect(
            resourcesOf(second.body).map((r) => (r as { birthDate?: string }).birthDate)
        ).toEqual(['1990-01-21', '1990-01-22', '1990-01-23', '1990-01-24', '1990-01-25'])
        expect(linkOf(second.body, 'next')).toBeUndefined()
        expect(linkOf(second.body, 'previous')).toBe(
            `${stand.url}?_getpages=${searchId}&_getpagesoffset=0&_count=20&_pretty=true&_bundletype=searchset`
        )
    })

    test('the links carry the configured server address, another host than the one called', async () => {
        const other = await startTestFhir({ publicBaseUrl: 'http://nehr.health.example:8080/fhir' })
        try {
            const family = `Host${randomUUID().slice(0, 8)}`
            for (let i = 0; i < 3; i++) {
                await other.fhir('POST', 'Patient', patient(uniquePhn(), family))
            }
            const first = await other.fhir<Bundle>('GET', `Patient?family=${family}&_count=2`)
            const next = linkOf(first.body, 'next') as string
            expect(next).toMatch(/^http:\/\/nehr\.health\.example:8080\/fhir\?_getpages=/)
            // Only the query is this server's business: asked here, it answers the page.
            const page = await other.fhir<Bundle>(
                'GET',
                `${other.url}${next.slice(next.indexOf('?'))}`
            )
            expect(page.body.entry).toHaveLength(1)
        } finally {
            await other.close()
        }
    })

    test('_offset gives a synchronous search with offset links, no _getpages', async () => {
        const family = await patientsOfFamily(3)
        const page = await stand.fhir<Bundle>('GET', `Patient?family=${family}&_count=2&_offset=0`)
        expect(linkOf(page.body, 'next')).toBe(
            `${stand.url}/Patient?_count=2&_offset=2&family=${family}`
        )
    })
})

describe('identical searches reuse their results for 60 s', () => {
    test('a record written after a search is not found by the same search until no-cache or 60 s', async () => {
        const family = await patientsOfFamily(1)
        const query = `Patient?family=${family}`
        const before = await stand.fhir<Bundle>('GET', query)
        expect(before.body.total).toBe(1)
        await stand.fhir('POST', 'Patient', patient(uniquePhn(), family))

        const reused = await stand.fhir<Bundle>('GET', `${query}&_count=50`)
        expect(reused.body.total).toBe(1)
        expect(reused.body.id).toBe(before.body.id)

        const fresh = await stand.fhir<Bundle>('GET', query, undefined, {
            'cache-control': 'no-cache',
        })
        expect(fresh.body.total).toBe(2)

        // A batch's GET entries inherit the batch request's Cache-Control (ServletSubRequestDetails).
        await stand.fhir('POST', 'Patient', patient(uniquePhn(), family))
        const batch = (noCache: boolean) =>
            stand.fhir<Bundle>(
                'POST',
                '',
                transaction([{ request: { method: 'GET', url: query } }], 'batch'),
                noCache ? { 'cache-control': 'no-cache' } : {}
            )
        expect(((await batch(false)).body.entry?.[0]?.resource as Bundle).total).toBe(2)
        expect(((await batch(true)).body.entry?.[0]?.resource as Bundle).total).toBe(3)

        now += 61_000
        expect((await stand.fhir<Bundle>('GET', query)).body.total).toBe(3)
    })

    test('$everything is never reused', async () => {
        const her = await stand.fhir('POST', 'Patient', patient(uniquePhn()))
        const everything = () => stand.fhir<Bundle>('GET', `Patient/${her.body.id}/$everything`)
        const first = await everything()
        await stand.fhir('POST', 'Observation', observation(`Patient/${her.body.id}`, randomUUID()))
        const second = await everything()
        expect(second.body.id).not.toBe(first.body.id)
        expect(second.body.total).toBe(first.body.total! + 1)
    })
})

describe('stored searches expire', () => {
    test('a page link works for an hour, then answers 410 HAPI-0417', async () => {
        const family = await patientsOfFamily(3)
        const first = await stand.fhir<Bundle>('GET', `Patient?family=${family}&_count=2`)
        const next = linkOf(first.body, 'next') as string
        now += 59 * 60_000
        expect((await stand.fhir<Bundle>('GET', next)).status).toBe(200)
        now += 3 * 60_000
        const expired = await stand.fhir<OperationOutcome>('GET', next)
        expect(expired.status).toBe(410)
        expect(diagnosticsOf(expired.body)).toContain(
            `HAPI-0417: Search ID "${first.body.id}" does not exist and may have expired`
        )
    })
})

describe('at most 1,000 included resources per page', () => {
    test('a patient with 1,005 observations and a condition: 1,000 included, the rest dropped silently', async () => {
        const phn = uniquePhn()
        const patientUrn = `urn:uuid:${randomUUID()}`
        const entry: BundleEntry[] = [
            {
                fullUrl: patientUrn,
                resource: patient(phn),
                request: { method: 'POST', url: 'Patient' },
            },
        ]
        for (let i = 0; i < 1005; i++) {
            entry.push({
                resource: observation(patientUrn, `lab-${phn}-${i}`, 100 + (i % 50)),
                request: { method: 'POST', url: 'Observation' },
            })
        }
        entry.push({
            resource: {
                resourceType: 'Condition',
                subject: { reference: patientUrn },
                code: { text: 'Pregnant' },
            } as Resource,
            request: { method: 'POST', url: 'Condition' },
        })
        expect((await stand.fhir('POST', '', transaction(entry))).status).toBe(200)

        const reply = await stand.fhir<Bundle>(
            'GET',
            `Patient?identifier=${PHN}|${phn}&_revinclude=Observation:subject&_revinclude=Condition:subject`
        )
        expect(reply.status).toBe(200)
        expect(reply.body.total).toBe(1)
        const included = (reply.body.entry ?? []).filter((e) => e.search?.mode === 'include')
        expect(included).toHaveLength(1000)
        expect(included.every((e) => e.resource?.resourceType === 'Observation')).toBe(true)
        // Nothing tells the client: no next link, no OperationOutcome.
        expect(linkOf(reply.body, 'next')).toBeUndefined()
        expect(
            (reply.body.entry ?? []).some((e) => e.resource?.resourceType === 'OperationOutcome')
        ).toBe(false)
    })
})
