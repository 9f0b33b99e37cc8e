import http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
    ATTRIBUTES,
    PROGRAM_ANC,
    PROGRAM_STAGES,
    TRACKED_ENTITY_TYPE_PERSON,
} from '@anc/shared/metadata'
import { ORG_UNITS } from './seed'
import {
    ADMIN,
    DOCTOR,
    MIDWIFE,
    sessionCookie,
    spawnDhis2,
    type SpawnedDhis2,
    tempDataRoot,
} from '../../test-support/dhis2'

jest.setTimeout(60_000)

let dhis2: SpawnedDhis2
const data = tempDataRoot()
let upstream: http.Server
const BIG = Buffer.from(Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 7919) % 251))
let upstreamUrl: string

beforeAll(async () => {
    // An upstream that echoes what it received, and sets headers DHIS2 must strip.
    upstream = http.createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on('data', (c: Buffer) => chunks.push(c))
        req.on('end', () => {
            if (req.url?.startsWith('/slow')) {
                setTimeout(() => res.end('late'), 2500).unref()
                return
            }
            if (req.url?.startsWith('/big')) {
                // 3 MiB in 64 KiB chunks, yielding between them: the route must pass it on whole.
                res.writeHead(200, {
                    'content-type': 'application/octet-stream',
                    'content-length': String(BIG.length),
                })
                let offset = 0
                const next = () => {
                    if (offset >= BIG.length) return void res.end()
                    res.write(BIG.subarray(offset, (offset += 65_536)))
                    setImmediate(next)
                }
                return next()
            }
            if (req.url?.startsWith('/stall')) {
                // Headers and half a body, then silence for longer than the route's read timeout.
                res.writeHead(200, { 'content-type': 'application/json', 'content-length': '20' })
                res.write('{"entry": [')
                return
            }
            res.writeHead(201, {
                'content-type': 'application/json',
                location: 'http://upstream.internal/Patient/1',
                'set-cookie': 'upstream=1',
                etag: 'W/"1"',
            })
            res.end(
                JSON.stringify({
                    method: req.method,
                    url: req.url,
                    headers: req.headers,
                    body: Buffer.concat(chunks).toString(),
                })
            )
        })
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    // An empty build directory: the stand-in must explain that the apps are not built.
    dhis2 = await spawnDhis2(data.dir, { DHIS2_APP_BUILDS_DIR: data.dir })
})

afterAll(async () => {
    await dhis2?.stop()
    data.remove()
    upstream?.closeAllConnections()
    await new Promise((resolve) => upstream?.close(resolve))
})

const api = (path: string, init: RequestInit & { auth?: string } = {}) =>
    fetch(dhis2.url + path, {
        ...init,
        redirect: 'manual',
        headers: {
            ...(init.auth ? { authorization: init.auth } : {}),
            ...(init.body && typeof init.body === 'string'
                ? { 'content-type': 'application/json' }
                : {}),
            ...(init.headers as Record<string, string>),
        },
    })

describe('sign-in and session', () => {
    it('answers an unauthenticated API call with DHIS2 401 JSON', async () => {
        const response = await api('/api/me')
        expect(response.status).toBe(401)
        expect(response.headers.get('content-type')).toBe('application/json')
        expect(await response.json()).toMatchObject({ httpStatusCode: 401, status: 'ERROR' })
    })

    it('logs in with /api/auth/login and sets an HttpOnly SameSite=Lax JSESSIONID', async () => {
        const response = await api('/api/auth/login', {
            method: 'POST',
            body: JSON.stringify({ username: 'midwife', password: 'Anc#2026dev' }),
        })
        expect(await response.json()).toEqual({ loginStatus: 'SUCCESS', redirectUrl: '/' })
        const cookie = response.headers.get('set-cookie') ?? ''
        expect(cookie).toMatch(/^JSESSIONID=/)
        expect(cookie).toMatch(/HttpOnly/i)
        expect(cookie).toMatch(/SameSite=Lax/i)
        const session = cookie.split(';')[0] as string
        const me = await api('/api/me?fields=username', { headers: { cookie: session } })
        expect(await me.json()).toEqual({ username: 'midwife' })
        await api('/dhis-web-commons-security/logout.action', { headers: { cookie: session } })
        expect((await api('/api/me', { headers: { cookie: session } })).status).toBe(401)
    })

    it.each([
        ['expired', 'Anc#2026dev', 200, { loginStatus: 'PASSWORD_EXPIRED' }],
        ['disabled', 'Anc#2026dev', 200, { loginStatus: 'ACCOUNT_DISABLED' }],
        ['midwife', 'wrong', 401, { httpStatusCode: 401, message: 'Bad credentials' }],
        ['nobody', 'wrong', 401, { httpStatusCode: 401 }],
    ])('refuses %s with DHIS2 status', async (username, password, status, body) => {
        const response = await api('/api/auth/login', {
            method: 'POST',
            body: JSON.stringify({ username, password }),
        })
        expect(response.status).toBe(status)
        expect(await response.json()).toMatchObject(body)
        expect(response.headers.get('set-cookie')).toBeNull()
    })

    it('rejects HTTP Basic with a wrong password or a disabled account', async () => {
        expect((await api('/api/me', { auth: 'Basic bWlkd2lmZTp3cm9uZw==' })).status).toBe(401)
        expect(
            (
                await api('/api/me', {
                    auth: `Basic ${Buffer.from('disabled:Anc#2026dev').toString('base64')}`,
                })
            ).status
        ).toBe(401)
    })

    it('answers every start-up request of the app shell and header bar as JSON', async () => {
        for (const path of [
            '/api/system/info',
            '/api/me',
            '/api/41/userSettings',
            '/api/41/me?fields=id',
            '/api/41/systemSettings/applicationTitle',
            '/api/41/systemSettings/helpPageLink',
            '/api/41/me?fields=authorities,avatar,email,name,settings',
            '/dhis-web-commons/menu/getModules.action',
            '/api/41/me/dashboard',
            '/api/apps/menu',
        ]) {
            const response = await api(path, { auth: MIDWIFE })
            expect([path, response.status, response.headers.get('content-type')]).toEqual([
                path,
                200,
                'application/json',
            ])
        }
        expect((await api('/api/41/staticContent/logo_banner', { auth: MIDWIFE })).status).toBe(404)
        expect(await (await api('/api/ping')).text()).toBe('pong')
        const login = await (await api('/api/loginConfig')).json()
        expect(login.oidcProviders).toEqual([
            expect.objectContaining({
                id: 'esignet',
                loginText: 'Sign in with National ID',
                url: '/oauth2/authorization/esignet',
            }),
        ])
    })

    it('says clearly when a staff app is not built', async () => {
        const response = await api('/api/apps/anc-registration/', { auth: MIDWIFE })
        expect(response.status).toBe(404)
        expect(await response.text()).toContain('npm run build')
        // The doctor's app is not the midwife's.
        expect((await api('/api/apps/anc-doctor/', { auth: MIDWIFE })).status).toBe(403)
    })
})

describe('tracker', () => {
    const person = (
        phn: string,
        serial: string,
        extra: { attribute: string; value: string }[] = []
    ) => ({
        trackedEntities: [
            {
                trackedEntityType: TRACKED_ENTITY_TYPE_PERSON,
                orgUnit: ORG_UNITS.clinicA as string,
                attributes: [
                    { attribute: ATTRIBUTES.phn, value: phn },
                    { attribute: ATTRIBUTES.phnSerial, value: serial },
                ],
                enrollments: [
                    {
                        program: PROGRAM_ANC,
                        orgUnit: ORG_UNITS.clinicA,
                        enrolledAt: '2026-01-10',
                        occurredAt: '2025-12-01',
                        attributes: [
                            { attribute: ATTRIBUTES.fullName, value: 'Kumari Silva' },
                            { attribute: ATTRIBUTES.birthDate, value: '1995-03-04' },
                            { attribute: ATTRIBUTES.sex, value: 'FEMALE' },
                            { attribute: ATTRIBUTES.verificationStatus, value: 'VERIFIED' },
                            ...extra,
                        ],
                        events: [
                            {
                                programStage: PROGRAM_STAGES.registration,
                                orgUnit: ORG_UNITS.clinicA,
                                occurredAt: '2026-01-10',
                                status: 'COMPLETED',
                                dataValues: [],
                            },
                        ],
                    },
                ],
            },
        ],
    })
    const importTracker = (payload: object, auth = MIDWIFE) =>
        api('/api/tracker?async=false&importStrategy=CREATE_AND_UPDATE', {
            method: 'POST',
            auth,
            body: JSON.stringify(payload),
        })

    it('imports a nested registration and finds it by PHN', async () => {
        const response = await importTracker(person('5000000017', '500000001'))
        const report = await response.json()
        expect(response.status).toBe(200)
        expect(report).toMatchObject({ status: 'OK', stats: { created: 3, ignored: 0 } })
        const search = await api(
            `/api/tracker/trackedEntities?program=${PROGRAM_ANC}&orgUnitMode=ACCESSIBLE&filter=${ATTRIBUTES.phn}:eq:5000000017&fields=*`,
            { auth: DOCTOR }
        )
        const body = await search.json()
        expect(body.trackedEntities).toHaveLength(1)
        expect(body.pager).toMatchObject({ page: 1, pageSize: 50 })
        expect(body.trackedEntities[0].enrollments[0].events).toHaveLength(1)
    })

    it('rejects a duplicate unique value with 409 and an E1064 report, writing nothing', async () => {
        const response = await importTracker(person('5000000017', '500000999'))
        expect(response.status).toBe(409)
        const report = await response.json()
        expect(report.status).toBe('ERROR')
        expect(report.validationReport.errorReports).toEqual([
            expect.objectContaining({
                errorCode: 'E1064',
                trackerType: 'TRACKED_ENTITY',
                message: expect.stringContaining('5000000017'),
            }),
        ])
        const search = await api(
            `/api/tracker/trackedEntities?program=${PROGRAM_ANC}&orgUnitMode=ACCESSIBLE&filter=${ATTRIBUTES.phnSerial}:eq:500000999`,
            { auth: MIDWIFE }
        )
        expect((await search.json()).trackedEntities).toHaveLength(0)
    })

    it('reports missing mandatory attributes (E1018), bad options (E1125) and capture scope (E1000)', async () => {
        const payload = person('5000000025', '500000002', [
            { attribute: ATTRIBUTES.sex, value: 'robot' },
        ])
        const enrollment = payload.trackedEntities[0]?.enrollments[0]
        if (enrollment)
            enrollment.attributes = enrollment.attributes.filter(
                (a) => a.attribute !== ATTRIBUTES.fullName
            )
        const codes = (
            await (await importTracker(payload)).json()
        ).validationReport.errorReports.map((e: { errorCode: string }) => e.errorCode)
        expect(codes).toEqual(expect.arrayContaining(['E1018', 'E1125']))

        const outside = person('5000000033', '500000003')
        const te = outside.trackedEntities[0]
        if (te) te.orgUnit = ORG_UNITS.country
        const response = await importTracker(outside)
        expect(response.status).toBe(409)
        expect(JSON.stringify(await response.json())).toContain('E1000')
    })

    it('never issues the same PHN serial twice, even to 200 parallel calls', async () => {
        const cookie = await sessionCookie(dhis2.url, 'midwife', 'Anc#2026dev')
        const calls = Array.from({ length: 200 }, () =>
            api(`/api/trackedEntityAttributes/${ATTRIBUTES.phnSerial}/generate`, {
                headers: { cookie },
            }).then((r) => r.json())
        )
        const values = (await Promise.all(calls)).map((g: { value: string }) => g.value)
        expect(new Set(values).size).toBe(200)
        for (const value of values) expect(value).toMatch(/^\d{9}$/)
    })
})

describe('dataStore', () => {
    it('creates a key once and answers 409 when it exists, like DHIS2', async () => {
        const post = () =>
            api('/api/dataStore/test-ns/k1', {
                method: 'POST',
                auth: ADMIN,
                body: JSON.stringify({ a: 1 }),
            })
        expect((await post()).status).toBe(201)
        expect((await post()).status).toBe(409)
        expect(await (await api('/api/dataStore/test-ns/k1', { auth: ADMIN })).json()).toEqual({
            a: 1,
        })
        expect((await api('/api/dataStore/test-ns/missing', { auth: ADMIN })).status).toBe(404)
        expect(await (await api('/api/dataStore/anc', { auth: ADMIN })).json()).toEqual(
            expect.arrayContaining(['claims-mapping'])
        )
    })
})

describe('routes', () => {
    let routeId: string
    beforeAll(async () => {
        const create = await api('/api/routes', {
            method: 'POST',
            auth: ADMIN,
            body: JSON.stringify({
                name: 'echo',
                code: 'echo',
                url: `${upstreamUrl}/**`,
                auth: { type: 'api-headers', headers: { 'X-Secret': 'shh-secret' } },
                authorities: ['ANC_USE_FHIR'],
                responseTimeoutSeconds: 1,
            }),
        })
        expect(create.status).toBe(201)
        routeId = (await create.json()).response.uid
    })

    it('never returns route secrets', async () => {
        const text = await (await api(`/api/routes/${routeId}`, { auth: ADMIN })).text()
        expect(text).not.toContain('shh-secret')
        expect(JSON.parse(text).auth).toEqual({ type: 'api-headers' })
        const seeded = await (await api('/api/routes?fields=*', { auth: ADMIN })).text()
        expect(seeded).toContain('anc-relay')
        expect(seeded).not.toContain('dev-only')
    })

    it('drops Authorization and cookies, adds X-Forwarded-User and auth headers, strips Location', async () => {
        const response = await api('/api/routes/echo/run/Patient?name=x', {
            auth: DOCTOR,
            headers: { cookie: 'JSESSIONID=abc', 'x-custom': '1', accept: 'application/fhir+json' },
        })
        expect(response.status).toBe(201)
        expect(response.headers.get('location')).toBeNull()
        expect(response.headers.get('set-cookie')).toBeNull()
        expect(response.headers.get('etag')).toBe('W/"1"')
        const seen = await response.json()
        expect(seen.url).toBe('/Patient?name=x')
        expect(seen.headers.authorization).toBeUndefined()
        expect(seen.headers.cookie).toBeUndefined()
        expect(seen.headers['x-custom']).toBeUndefined()
        expect(seen.headers['x-forwarded-user']).toBe('doctor')
        expect(seen.headers['x-secret']).toBe('shh-secret')
        expect(seen.headers.accept).toBe('application/fhir+json')
    })

    it('copies form fields into the upstream query', async () => {
        const response = await api('/api/routes/echo/run/token?a=1', {
            method: 'POST',
            auth: DOCTOR,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'code=abc&state=xyz',
        })
        const seen = await response.json()
        expect(seen.url).toBe('/token?a=1&code=abc&state=xyz')
    })

    it('breaks a `|` in the query like DHIS2 2.41.7+ (query re-decoding)', async () => {
        const response = await api(
            `/api/routes/echo/run/Patient?identifier=${encodeURIComponent('http://x|123')}`,
            { auth: DOCTOR }
        )
        expect(response.status).toBe(500)
    })

    it('gives 504 when the upstream is slower than responseTimeoutSeconds', async () => {
        expect((await api('/api/routes/echo/run/slow', { auth: DOCTOR })).status).toBe(504)
    })

    it('passes a large upstream body on byte for byte', async () => {
        const response = await api('/api/routes/echo/run/big', { auth: DOCTOR })
        expect(response.status).toBe(200)
        expect(response.headers.get('content-length')).toBe(String(BIG.length))
        expect(Buffer.from(await response.arrayBuffer()).equals(BIG)).toBe(true)
    })

    it('cuts off a body that stalls after the headers instead of hanging the client', async () => {
        const response = await api('/api/routes/echo/run/stall', { auth: DOCTOR })
        expect(response.status).toBe(200)
        await expect(response.text()).rejects.toThrow()
    })

    it('applies a route change or deletion on the very next run', async () => {
        const create = await api('/api/routes', {
            method: 'POST',
            auth: ADMIN,
            body: JSON.stringify({ name: 'moving', code: 'moving', url: `${upstreamUrl}/**` }),
        })
        const id = (await create.json()).response.uid as string
        expect((await api('/api/routes/moving/run/a', { auth: ADMIN })).status).toBe(201)
        const update = (route: Record<string, unknown>) =>
            api(`/api/routes/${id}`, {
                method: 'PUT',
                auth: ADMIN,
                body: JSON.stringify({ name: 'moving', code: 'moving', ...route }),
            })
        expect((await update({ url: `${upstreamUrl}/**`, disabled: true })).status).toBe(200)
        expect((await api('/api/routes/moving/run/a', { auth: ADMIN })).status).toBe(404)
        expect((await update({ url: `${upstreamUrl}/v2/**` })).status).toBe(200)
        const moved = await api('/api/routes/moving/run/a', { auth: ADMIN })
        expect((await moved.json()).url).toBe('/v2/a')
        expect((await api(`/api/routes/${id}`, { method: 'DELETE', auth: ADMIN })).status).toBe(200)
        expect((await api('/api/routes/moving/run/a', { auth: ADMIN })).status).toBe(404)
        expect((await api(`/api/routes/${id}/run/a`, { auth: ADMIN })).status).toBe(404)
    })

    it('gives 403 to a user without the route authority', async () => {
        // The midwife has ANC_USE_FHIR too; the expired/disabled users cannot sign in, so use a
        // route requiring an authority nobody but admin has.
        await api('/api/routes', {
            method: 'POST',
            auth: ADMIN,
            body: JSON.stringify({
                name: 'locked',
                code: 'locked',
                url: `${upstreamUrl}/**`,
                authorities: ['NOBODY_HAS_THIS'],
            }),
        })
        const response = await api('/api/routes/locked/run/x', { auth: DOCTOR })
        expect(response.status).toBe(403)
        expect((await api('/api/routes/locked/run/x', { auth: ADMIN })).status).toBe(201)
    })
})
