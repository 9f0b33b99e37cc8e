/**
 * The client against a loopback HTTP server that behaves like a DHIS2 route in front of a FHIR
 * server: `/api/routes/anc-fhir/run/**`, 500 for a `|` in the query string (DHIS2 2.42.4+),
 * upstream URLs in Bundle.link, `application/fhir+json`, ETag/If-Match, session checks.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Bundle, BundleEntry, Observation, Patient, Resource } from '@medplum/fhirtypes'
import { AncFhirClient, parseFhirBody, routeBaseUrl } from './client'
import { relativeToFhirBase } from './links'
import { FhirClientError } from './errors'

const PREFIX = '/api/routes/anc-fhir/run'
const UPSTREAM = 'http://fhir-upstream.internal:8090/fhir'
const PHN = 'http://fhir.health.gov.lk/ips/identifier/phn'

interface Stored {
    resource: Resource
    version: number
}

class FakeRoute {
    server = http.createServer((req, res) => void this.handle(req, res))
    store = new Map<string, Stored>()
    requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = []
    sessionValid = true
    failNext: number | undefined

    constructor() {
        for (let i = 1; i <= 5; i++) {
            this.put({
                resourceType: 'Observation',
                id: `o${i}`,
                status: 'final',
                code: { text: `obs ${i}` },
                subject: { reference: 'Patient/p1' },
            } as Observation)
        }
        this.put({
            resourceType: 'Patient',
            id: 'p1',
            identifier: [{ system: PHN, value: '1234567890' }],
            name: [{ text: 'Nimali Perera' }],
        })
        this.put({
            resourceType: 'Patient',
            id: 'p2',
            identifier: [{ system: PHN, value: '9999999999' }],
        })
    }

    put(resource: Resource): Stored {
        const key = `${resource.resourceType}/${resource.id}`
        const version = (this.store.get(key)?.version ?? 0) + 1
        const stored = { resource: { ...resource, meta: { versionId: String(version) } }, version }
        this.store.set(key, stored)
        return stored
    }

    async listen(): Promise<string> {
        await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    }

    close(): Promise<void> {
        this.server.closeAllConnections()
        return new Promise((resolve) => this.server.close(() => resolve()))
    }

    private send(
        res: http.ServerResponse,
        status: number,
        body: unknown,
        headers: Record<string, string> = {}
    ): void {
        res.writeHead(status, { 'content-type': 'application/fhir+json;charset=UTF-8', ...headers })
        res.end(JSON.stringify(body))
    }

    private outcome(diagnostics: string): Resource {
        return {
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'processing', diagnostics }],
        }
    }

    /** The upstream FHIR server's answer to one request, as [status, body, headers]. */
    private fhir(
        method: string,
        path: string,
        body: unknown,
        ifMatch: string | undefined
    ): [number, Resource, Record<string, string>] {
        const [pathname = '', query = ''] = path.split('?')
        const params = new URLSearchParams(query)
        const parts = pathname.split('/').filter(Boolean)
        if (method === 'POST' && parts.length === 0) {
            const bundle = body as Bundle
            const entry: BundleEntry[] = (bundle.entry ?? []).map((e) => {
                const [status, resource] = this.fhir(
                    e.request!.method,
                    e.request!.url,
                    e.resource,
                    undefined
                )
                return {
                    resource,
                    response: { status: `${status} ${status < 300 ? 'OK' : 'Error'}` },
                }
            })
            return [
                200,
                {
                    resourceType: 'Bundle',
                    type: bundle.type === 'batch' ? 'batch-response' : 'transaction-response',
                    entry,
                },
                {},
            ]
        }
        if (method === 'GET' && parts.length === 1) {
            // Search: identifier=system|value, _count paging with upstream links.
            const identifier = params.get('identifier')
            let matches = [...this.store.values()]
                .map((s) => s.resource)
                .filter((r) => r.resourceType === parts[0])
            if (identifier) {
                matches = matches.filter((r) =>
                    ((r as Patient).identifier ?? []).some(
                        (i) => `${i.system}|${i.value}` === identifier
                    )
                )
            }
            const count = Number(params.get('_count') ?? 3)
            const offset = Number(params.get('_offset') ?? 0)
            const page = matches.slice(offset, offset + count)
            const link = [{ relation: 'self', url: `${UPSTREAM}/${path}` }]
            if (offset + count < matches.length) {
                const next = new URLSearchParams(params)
                next.set('_offset', String(offset + count))
                link.push({
                    relation: 'next',
                    url: `${UPSTREAM}/${parts[0]}?${next.toString().replace(/%7C/gi, '|')}`,
                })
            }
            return [
                200,
                {
                    resourceType: 'Bundle',
                    type: 'searchset',
                    total: matches.length,
                    link,
                    entry: page.map((r) => ({
                        fullUrl: `${UPSTREAM}/${r.resourceType}/${r.id}`,
                        resource: r,
                    })),
                },
                {},
            ]
        }
        const key = parts.slice(0, 2).join('/')
        const stored = this.store.get(key)
        if (method === 'GET' && parts.length === 2) {
            if (!stored) return [404, this.outcome(`${key} not found`), {}]
            return [200, stored.resource, { etag: `W/"${stored.version}"` }]
        }
        if (method === 'PUT' && parts.length === 2) {
            if (ifMatch && stored && ifMatch !== `W/"${stored.version}"`)
                return [412, this.outcome('version conflict'), {}]
            const saved = this.put(body as Resource)
            return [200, saved.resource, { etag: `W/"${saved.version}"` }]
        }
        return [400, this.outcome('unsupported'), {}]
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const raw = req.url ?? ''
        this.requests.push({ method: req.method ?? '', url: raw, headers: req.headers })
        const chunks: Buffer[] = []
        for await (const c of req) chunks.push(c as Buffer)
        if (!raw.startsWith(`${PREFIX}/`) && raw !== PREFIX)
            return this.send(res, 404, { httpStatusCode: 404 })
        if (!this.sessionValid)
            return this.send(
                res,
                401,
                { httpStatus: 'Unauthorized', httpStatusCode: 401 },
                { 'content-type': 'application/json' }
            )
        // DHIS2-20311: the decoded query is re-assembled without encoding; URI.create rejects `|`.
        if (/\||%7c/i.test(raw.split('?')[1] ?? '')) {
            res.writeHead(500, { 'content-type': 'application/json' })
            return void res.end('{"httpStatusCode":500,"message":"Illegal character in query"}')
        }
        if (this.failNext) {
            const status = this.failNext
            this.failNext = undefined
            return this.send(res, status, this.outcome(`upstream said ${status}`))
        }
        const body = chunks.length
            ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown)
            : undefined
        const path = raw.slice(PREFIX.length + 1)
        const [status, resource, headers] = this.fhir(
            req.method ?? 'GET',
            decodeURI(path),
            body,
            req.headers['if-match'] as string | undefined
        )
        this.send(res, status, resource, headers)
    }
}

let route: FakeRoute
let client: AncFhirClient
let base: string

beforeEach(async () => {
    route = new FakeRoute()
    base = await route.listen()
    client = new AncFhirClient({ dhis2BaseUrl: base })
})
afterEach(() => route.close())

describe('route base and links', () => {
    it('builds the route base from the DHIS2 base URL', () => {
        expect(routeBaseUrl('http://localhost:8080/')).toBe(
            'http://localhost:8080/api/routes/anc-fhir/run'
        )
        expect(routeBaseUrl('https://dhis.example.lk/hmis', 'nehr')).toBe(
            'https://dhis.example.lk/hmis/api/routes/nehr/run'
        )
    })

    it.each([
        [`${UPSTREAM}/Observation?_count=2&_offset=2`, 'Observation?_count=2&_offset=2'],
        [
            'https://hapi.example/fhir/Patient/123/$everything?_page=2',
            'Patient/123/$everything?_page=2',
        ],
        [
            'https://hapi.example/baseR4?_getpages=abc&_getpagesoffset=20',
            '?_getpages=abc&_getpagesoffset=20',
        ],
        ['https://evil.example/steal/Patient?x=1', 'Patient?x=1'],
    ])('rewrites %s below the route base as %s', (link, relative) => {
        expect(relativeToFhirBase(link)).toBe(relative)
    })
})

describe('AncFhirClient through a route-like server', () => {
    it('searches by identifier with a batch POST, never a | in the query string', async () => {
        const found = await client.searchByIdentifier<Patient>('Patient', PHN, '1234567890')
        expect(found.map((p) => p.id)).toEqual(['p1'])
        expect(route.requests).toHaveLength(1)
        expect(route.requests[0]).toEqual(
            expect.objectContaining({ method: 'POST', url: `${PREFIX}/` })
        )
        expect(route.requests[0]!.headers['content-type']).toBe('application/fhir+json')
        expect(route.requests[0]!.headers['x-requested-with']).toBe('XMLHttpRequest')
        expect(await client.searchByIdentifier('Patient', PHN, '0000000000')).toEqual([])
    })

    it('shows why: the same search as a GET fails through the route', async () => {
        await expect(
            client.search(`Patient?identifier=${encodeURIComponent(PHN)}%7C1234567890`)
        ).resolves.toBeDefined()
        // (`search` detects the | and switches to a batch; a raw GET would get the 500.)
        const raw = await fetch(`${client.serverUrl}/Patient?identifier=${PHN}|1234567890`)
        expect(raw.status).toBe(500)
    })

    it('follows paging, rewriting upstream links onto the route base', async () => {
        const all = await client.search('Observation?_count=2')
        expect(all.entry!.map((e) => e.resource!.id)).toEqual(['o1', 'o2', 'o3', 'o4', 'o5'])
        expect(route.requests.map((r) => r.url)).toEqual([
            `${PREFIX}/Observation?_count=2`,
            `${PREFIX}/Observation?_count=2&_offset=2`,
            `${PREFIX}/Observation?_count=2&_offset=4`,
        ])
    })

    it('pages an identifier search through batches too (its next links carry the |)', async () => {
        for (let i = 3; i < 8; i++)
            route.put({
                resourceType: 'Patient',
                id: `dup${i}`,
                identifier: [{ system: PHN, value: '5555555555' }],
            })
        const found = await client.searchByIdentifier<Patient>('Patient', PHN, '5555555555')
        expect(found).toHaveLength(5)
        expect(route.requests.length).toBeGreaterThan(1)
        expect(route.requests.every((r) => r.method === 'POST' && r.url === `${PREFIX}/`)).toBe(
            true
        )
    })

    it('reads with the ETag and writes with If-Match; a stale write is a typed conflict', async () => {
        const { resource, etag } = await client.read<Patient>('Patient', 'p1')
        expect(etag).toBe('W/"1"')
        const updated = await client.update({ ...resource, gender: 'female' }, { ifMatch: etag })
        expect(updated.etag).toBe('W/"2"')
        expect(route.requests[1]!.headers['if-match']).toBe('W/"1"')
        const stale = client.update({ ...resource, gender: 'male' }, { ifMatch: etag })
        await expect(stale).rejects.toEqual(
            expect.objectContaining({ kind: 'preconditionFailed', status: 412 })
        )
        await expect(stale).rejects.toBeInstanceOf(FhirClientError)
    })

    it('sends a transaction bundle and returns the response bundle', async () => {
        const tx: Bundle = {
            resourceType: 'Bundle',
            type: 'transaction',
            entry: [
                {
                    resource: { resourceType: 'Patient', id: 'p9' },
                    request: { method: 'PUT', url: 'Patient/p9' },
                },
            ],
        }
        const response = await client.transaction(tx)
        expect(response.type).toBe('transaction-response')
        expect(response.entry![0]!.response!.status).toMatch(/^200/)
    })

    it.each<[number, string]>([
        [400, 'invalid'],
        [403, 'forbidden'],
        [409, 'conflict'],
        [412, 'preconditionFailed'],
        [500, 'server'],
        [502, 'server'],
        [504, 'timeout'],
    ])('maps HTTP %i to %s, keeping the OperationOutcome', async (status, kind) => {
        route.failNext = status
        const error = (await client
            .read('Patient', 'p1')
            .catch((e: unknown) => e)) as FhirClientError
        expect(error).toBeInstanceOf(FhirClientError)
        expect(error).toEqual(expect.objectContaining({ kind, status }))
        if (status !== 504)
            expect(error.outcome?.issue?.[0]?.diagnostics).toBe(`upstream said ${status}`)
    })

    it('maps 404 to notFound and an expired DHIS2 session (401) to sessionExpired', async () => {
        await expect(client.read('Patient', 'nobody')).rejects.toEqual(
            expect.objectContaining({ kind: 'notFound', message: 'Patient/nobody not found' })
        )
        route.sessionValid = false
        await expect(client.searchByIdentifier('Patient', PHN, '1234567890')).rejects.toEqual(
            expect.objectContaining({ kind: 'sessionExpired', status: 401 })
        )
    })

    it('maps a failing batch entry to its own status', async () => {
        await expect(client.searchByIdentifier('Patient', PHN, '1')).resolves.toEqual([])
        const bad = client['getViaBatch']('Unknown/x/y')
        await expect(bad).rejects.toEqual(expect.objectContaining({ kind: 'invalid', status: 400 }))
    })

    it('maps an unreachable server to network', async () => {
        await route.close()
        await expect(client.read('Patient', 'p1')).rejects.toEqual(
            expect.objectContaining({ kind: 'network' })
        )
        route = new FakeRoute() // afterEach closes a fresh, unlistened server
        route.server.listen(0)
    })

    it('stops a paging loop instead of spinning', async () => {
        const loop = new AncFhirClient({ dhis2BaseUrl: base, maxPages: 50 })
        const first: Bundle = {
            resourceType: 'Bundle',
            type: 'searchset',
            link: [{ relation: 'next', url: `${UPSTREAM}/Observation?_count=100` }],
            entry: [],
        }
        await expect(
            loop['allPages'](first).then((b: Bundle) => loop['allPages'](b))
        ).resolves.toBeDefined()
        route.server.removeAllListeners('request')
        route.server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
            res.writeHead(200, { 'content-type': 'application/fhir+json' })
            res.end(JSON.stringify(first))
        })
        await expect(loop.search('Observation?_count=100')).rejects.toEqual(
            expect.objectContaining({ kind: 'badResponse' })
        )
    })
})

describe('parseFhirBody (app-runtime hands application/fhir+json over as a Blob)', () => {
    it('parses a Blob, a string or an object', async () => {
        const patient = { resourceType: 'Patient', id: 'x' }
        await expect(
            parseFhirBody(new Blob([JSON.stringify(patient)], { type: 'application/fhir+json' }))
        ).resolves.toEqual(patient)
        await expect(parseFhirBody(JSON.stringify(patient))).resolves.toEqual(patient)
        await expect(parseFhirBody(patient)).resolves.toEqual(patient)
    })

    it.each([['<html>login</html>'], ['{"no":"resourceType"}'], [null], [42]])(
        'refuses %p as badResponse',
        async (body) => {
            await expect(parseFhirBody(body)).rejects.toEqual(
                expect.objectContaining({ kind: 'badResponse' })
            )
        }
    )
})
