import { SessionSealer } from './patient/session'
import { SESSION_SECRET, startFixture, type Fixture } from '../test-support/fixture'

const SUB_A = 'sub-of-patient-a'
const SUB_B = 'sub-of-patient-b'
const SUB_NOBODY = 'sub-without-record'
const COOKIE = '__Host-anc-patient-session'

type Resource = { resourceType: string; id: string; [key: string]: unknown }

/** One pregnancy's worth of resources for a patient; every id carries the owner's tag. */
function recordOf(tag: string, sub: string): Resource[] {
    const ref = { reference: `Patient/patient-${tag}` }
    return [
        {
            resourceType: 'Patient',
            id: `patient-${tag}`,
            identifier: [{ system: 'urn:esignet:sub', value: sub }],
            name: [{ text: `Name of ${tag}` }],
        },
        { resourceType: 'EpisodeOfCare', id: `episode-${tag}`, status: 'active', patient: ref },
        { resourceType: 'Condition', id: `pregnancy-${tag}`, subject: ref },
        { resourceType: 'Encounter', id: `visit-${tag}`, status: 'finished', subject: ref },
        { resourceType: 'Observation', id: `bp-${tag}`, status: 'final', subject: ref },
        {
            resourceType: 'Appointment',
            id: `next-${tag}`,
            status: 'booked',
            participant: [{ actor: ref, status: 'accepted' }],
        },
    ]
}

describe('patient gateway', () => {
    let f: Fixture
    let cookieA: string

    beforeAll(async () => {
        f = await startFixture()
        f.fhir.add(...recordOf('a', SUB_A), ...recordOf('b', SUB_B))
        const response = await f.relay.inject({
            method: 'POST',
            url: '/patient/session',
            payload: f.login(SUB_A, undefined, 'patient'),
        })
        expect(response.statusCode).toBe(200)
        const cookie = response.cookies.find((c) => c.name === COOKIE)
        if (!cookie) throw new Error('no session cookie')
        cookieA = cookie.value
    })
    afterAll(async () => {
        await f.close()
    })
    beforeEach(() => {
        f.fhir.ignoreSearchParams = false
    })
    afterEach(() => {
        expect(f.fhir.writes).toEqual([])
    })

    const asA = (url: string, method: 'GET' | 'POST' = 'GET') =>
        f.relay.inject({ method, url, cookies: { [COOKIE]: cookieA } })

    it('opens a session with an HttpOnly, SameSite=Strict, Secure, Path=/ cookie', async () => {
        const response = await f.relay.inject({
            method: 'POST',
            url: '/patient/session',
            payload: f.login(SUB_A, undefined, 'patient'),
        })
        expect(response.json()).toEqual({ linked: true })
        expect(response.headers['cache-control']).toBe('no-store')
        const cookie = response.cookies.find((c) => c.name === COOKIE)
        expect(cookie).toMatchObject({
            httpOnly: true,
            sameSite: 'Strict',
            secure: true,
            path: '/',
            maxAge: 900,
        })
        expect(response.body).not.toContain('patient-a')
    })

    it('answers 404 no_linked_record, without a cookie, when nothing is linked to the subject', async () => {
        const response = await f.relay.inject({
            method: 'POST',
            url: '/patient/session',
            payload: f.login(SUB_NOBODY, undefined, 'patient'),
        })
        expect(response.statusCode).toBe(404)
        expect(response.json()).toEqual({
            error: 'no_linked_record',
            message: expect.stringMatching(/record/),
        })
        expect(response.headers['set-cookie']).toBeUndefined()
    })

    it("returns the patient's whole compartment in one Bundle, and nothing of anyone else", async () => {
        const response = await asA('/patient/record')
        expect(response.statusCode).toBe(200)
        const bundle = response.json()
        expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' })
        const ids = bundle.entry.map(
            (e: { resource: Resource }) => `${e.resource.resourceType}/${e.resource.id}`
        )
        expect(ids.sort()).toEqual(
            recordOf('a', SUB_A)
                .map((r) => `${r.resourceType}/${r.id}`)
                .sort()
        )
        expect(response.body).not.toMatch(/-b"|Name of b/)
    })

    it('filters foreign resources even when the FHIR server ignores the search parameters', async () => {
        f.fhir.ignoreSearchParams = true
        const response = await asA('/patient/record')
        expect(response.statusCode).toBe(200)
        expect(response.body).toContain('bp-a')
        expect(response.body).not.toMatch(/-b"|Name of b/)
    })

    it('renews the cookie on use (sliding idle timeout)', async () => {
        const response = await asA('/patient/record')
        const renewed = response.cookies.find((c) => c.name === COOKIE)
        expect(renewed?.value).toBeTruthy()
        expect(renewed?.httpOnly).toBe(true)
    })

    it('serves single resources inside the compartment', async () => {
        const response = await asA('/patient/resource/Observation/bp-a')
        expect(response.statusCode).toBe(200)
        expect(response.json().id).toBe('bp-a')
    })

    const attacks: [string, string][] = [
        ['another patient by id', '/patient/resource/Patient/patient-b'],
        ["another patient's observation by id", '/patient/resource/Observation/bp-b'],
        ["another patient's appointment by id", '/patient/resource/Appointment/next-b'],
        ['a search parameter naming another patient', '/patient/record?patient=Patient/patient-b'],
        ['_id of another patient', '/patient/record?_id=patient-b'],
        ['_include', '/patient/record?_include=Observation:subject'],
        ['_revinclude', '/patient/record?_revinclude=Observation:subject'],
        ['_revinclude on a single read', '/patient/resource/Patient/patient-a?_revinclude=*'],
        [
            'a chained search',
            '/patient/record?subject:Patient.identifier=urn:esignet:sub%7Csub-of-patient-b',
        ],
        ['$everything on another id', '/patient/resource/Patient/patient-b/$everything'],
        ['$everything as a resource id', '/patient/resource/Patient/$everything'],
        ['a path traversal in the id', '/patient/resource/Patient/..%2FObservation%2Fbp-b'],
        ['a type outside the compartment', '/patient/resource/Practitioner/doctor-1'],
        ['a raw FHIR path', '/patient/Observation?subject=Patient/patient-b'],
    ]

    it.each(attacks)('returns zero foreign resources for %s', async (_name, url) => {
        for (const ignoreSearchParams of [false, true]) {
            f.fhir.ignoreSearchParams = ignoreSearchParams
            const response = await asA(url)
            expect(response.statusCode).toBeGreaterThanOrEqual(400)
            expect(response.body).not.toMatch(/-b"|Name of b|patient-b"/)
            expect(response.headers['cache-control']).toBe('no-store')
        }
    })

    describe('cookies that must not open a session', () => {
        const tryCookie = (value: string | undefined) =>
            f.relay.inject({
                method: 'GET',
                url: '/patient/record',
                ...(value === undefined ? {} : { cookies: { [COOKIE]: value } }),
            })

        it('no cookie: 401', async () => {
            const response = await tryCookie(undefined)
            expect(response.statusCode).toBe(401)
            expect(response.json().error).toBe('unauthenticated')
        })

        it('forged cookie: 401', async () => {
            expect(
                (await tryCookie('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..forged.forged.forged'))
                    .statusCode
            ).toBe(401)
            const parts = cookieA.split('.')
            parts[3] = `${parts[3]?.slice(0, -2)}AA`
            expect((await tryCookie(parts.join('.'))).statusCode).toBe(401)
        })

        it('cookie sealed with another secret: 401', async () => {
            const other = new SessionSealer('another-secret-of-at-least-32-characters!!', 900, 3600)
            const cookie = await other.seal({
                patientId: 'patient-b',
                sub: SUB_B,
                startedAt: Math.floor(Date.now() / 1000),
            })
            const response = await tryCookie(cookie)
            expect(response.statusCode).toBe(401)
            expect(response.body).not.toContain('patient-b')
        })

        it('expired cookie (idle timeout passed): 401', async () => {
            const sealer = new SessionSealer(SESSION_SECRET, 900, 8 * 3600)
            const longAgo = Math.floor(Date.now() / 1000) - 1000
            const cookie = await sealer.seal(
                { patientId: 'patient-a', sub: SUB_A, startedAt: longAgo },
                longAgo
            )
            expect((await tryCookie(cookie)).statusCode).toBe(401)
        })

        it('session past its maximum lifetime, however recently renewed: 401', async () => {
            const sealer = new SessionSealer(SESSION_SECRET, 900, 8 * 3600)
            const now = Math.floor(Date.now() / 1000)
            const cookie = await sealer.seal(
                { patientId: 'patient-a', sub: SUB_A, startedAt: now - 9 * 3600 },
                now
            )
            expect((await tryCookie(cookie)).statusCode).toBe(401)
        })

        it('a genuine cookie for the same secret still works (control)', async () => {
            const sealer = new SessionSealer(SESSION_SECRET, 900, 8 * 3600)
            const cookie = await sealer.seal({
                patientId: 'patient-a',
                sub: SUB_A,
                startedAt: Math.floor(Date.now() / 1000),
            })
            expect((await tryCookie(cookie)).statusCode).toBe(200)
        })
    })

    it('logout clears the cookie', async () => {
        const response = await f.relay.inject({
            method: 'POST',
            url: '/patient/logout',
            headers: { 'content-type': 'application/json' },
            cookies: { [COOKIE]: cookieA },
        })
        expect(response.statusCode).toBe(200)
        const cleared = response.cookies.find((c) => c.name === COOKIE)
        expect(cleared?.value).toBe('')
        expect(cleared?.expires?.getTime()).toBeLessThan(Date.now())
    })

    it('a second relay instance with the same secret serves the session (no instance affinity)', async () => {
        const { buildRelay } = await import('./app')
        const other = await buildRelay(f.config, { logStream: { write: () => undefined } })
        try {
            const response = await other.inject({
                method: 'GET',
                url: '/patient/record',
                cookies: { [COOKIE]: cookieA },
            })
            expect(response.statusCode).toBe(200)
            expect(response.body).toContain('bp-a')
        } finally {
            await other.close()
        }
    })
})
