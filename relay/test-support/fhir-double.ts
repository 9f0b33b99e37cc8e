import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

type Resource = { resourceType: string; id: string; [key: string]: unknown }

/**
 * A minimal FHIR R4 read/search server for the relay's tests (test support, not shipped). It
 * records every request and every write attempt so tests can assert the relay wrote nothing.
 * `ignoreSearchParams` makes it answer every search with all resources of the type, the way a
 * server that silently ignores an unknown parameter would: the relay must still leak nothing.
 */
export class FhirDouble {
    readonly writes: { method: string; url: string }[] = []
    readonly requests: string[] = []
    ignoreSearchParams = false
    private readonly resources = new Map<string, Resource>()

    private constructor(
        private readonly server: Server,
        readonly baseUrl: string,
        private readonly authorization: string
    ) {}

    static async start(username: string, password: string): Promise<FhirDouble> {
        const server = createServer()
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
        const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
        const double = new FhirDouble(
            server,
            `${origin}/fhir`,
            `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
        )
        server.on('request', (req, res) => double.handle(req, res))
        return double
    }

    add(...resources: Resource[]): void {
        for (const resource of resources) {
            this.resources.set(`${resource.resourceType}/${resource.id}`, resource)
        }
    }

    async close(): Promise<void> {
        this.server.closeAllConnections()
        await new Promise<void>((resolve) => this.server.close(() => resolve()))
    }

    private handle(req: IncomingMessage, res: ServerResponse): void {
        const url = new URL(req.url ?? '/', 'http://fhir.test')
        this.requests.push(`${req.method} ${url.pathname}${url.search}`)
        if (req.headers.authorization !== this.authorization) {
            return send(res, 401, {
                resourceType: 'OperationOutcome',
                issue: [{ severity: 'error', code: 'login' }],
            })
        }
        if (req.method !== 'GET') {
            this.writes.push({ method: req.method ?? '', url: url.pathname })
            return send(res, 201, { resourceType: 'OperationOutcome', issue: [] })
        }
        const parts = url.pathname
            .replace(/^\/fhir\/?/, '')
            .split('/')
            .filter(Boolean)
        if (parts.length === 2) {
            const resource = this.resources.get(`${parts[0]}/${parts[1]}`)
            return resource
                ? send(res, 200, resource)
                : send(res, 404, { resourceType: 'OperationOutcome', issue: [] })
        }
        if (parts.length === 1) {
            const type = parts[0] ?? ''
            let matches = [...this.resources.values()].filter(
                (resource) => resource.resourceType === type
            )
            if (!this.ignoreSearchParams) {
                for (const [name, value] of url.searchParams) {
                    if (name === '_count') {
                        continue
                    }
                    matches = matches.filter((resource) => matchesParam(resource, name, value))
                }
            }
            return send(res, 200, {
                resourceType: 'Bundle',
                type: 'searchset',
                total: matches.length,
                entry: matches.map((resource) => ({ resource, search: { mode: 'match' } })),
            })
        }
        send(res, 400, {
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'not-supported' }],
        })
    }
}

function matchesParam(resource: Resource, name: string, value: string): boolean {
    if (name === '_id') {
        return resource.id === value
    }
    if (name === 'identifier') {
        const [system, code] = value.includes('|') ? value.split('|', 2) : [undefined, value]
        const identifiers = (resource.identifier ?? []) as { system?: string; value?: string }[]
        return identifiers.some(
            (id) => id.value === code && (system === undefined || id.system === system)
        )
    }
    if (name === 'patient' || name === 'subject') {
        const refs = [resource.subject, resource.patient]
        if (Array.isArray(resource.participant)) {
            refs.push(...resource.participant.map((p: { actor?: unknown }) => p.actor))
        }
        return refs.some((ref) => (ref as { reference?: string } | undefined)?.reference === value)
    }
    // Unknown parameters are an error here (as on HAPI): the relay must not send any.
    return false
}

function send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/fhir+json' })
    res.end(JSON.stringify(body))
}
