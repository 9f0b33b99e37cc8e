import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { REQUEST_HEADER_ALLOW_LIST, RESPONSE_HEADER_ALLOW_LIST } from '../src/dhis2/route-headers'
import { startTestFhir } from './fhir-client'

/**
 * A DHIS2 route (`/api/routes/anc-fhir/run/**`) in front of a FHIR server, without the rest of
 * DHIS2: for tests of the apps' FHIR client against the real FHIR stand-in. It passes what
 * DHIS2's RouteService passes (the header allow-lists of the DHIS2 stand-in) and answers 500 to
 * a `|` in the query string, as DHIS2 2.42.4+ does. `dhis2BaseUrl` is what the apps are given.
 */
export async function startFhirRoute(upstream: string) {
    const prefix = '/api/routes/anc-fhir/run'
    const requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = []
    const server = http.createServer((req, res) => {
        void (async () => {
            const raw = req.url ?? ''
            requests.push({ method: req.method ?? '', url: raw, headers: req.headers })
            const chunks: Buffer[] = []
            for await (const chunk of req) chunks.push(chunk as Buffer)
            if (!raw.startsWith(prefix)) {
                res.writeHead(404).end()
                return
            }
            if (/\||%7c/i.test(raw.split('?')[1] ?? '')) {
                res.writeHead(500, { 'content-type': 'application/json' })
                res.end('{"httpStatusCode":500,"message":"Illegal character in query"}')
                return
            }
            const headers: Record<string, string> = {}
            for (const name of REQUEST_HEADER_ALLOW_LIST) {
                const value = req.headers[name]
                if (typeof value === 'string') headers[name] = value
            }
            const answer = await fetch(`${upstream}${raw.slice(prefix.length)}`, {
                method: req.method ?? 'GET',
                headers,
                ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
            })
            const passed: Record<string, string> = {}
            for (const name of RESPONSE_HEADER_ALLOW_LIST) {
                const value = answer.headers.get(name)
                if (value !== null && name !== 'content-length' && name !== 'content-encoding') {
                    passed[name] = value
                }
            }
            res.writeHead(answer.status, passed)
            res.end(Buffer.from(await answer.arrayBuffer()))
        })().catch(() => {
            res.writeHead(502).end()
        })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return {
        dhis2BaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections()
                server.close(() => resolve())
            }),
    }
}

/** A FHIR stand-in (see startTestFhir) behind a route-like server, for the apps' client. */
export async function startTestFhirBehindRoute(options: Parameters<typeof startTestFhir>[0] = {}) {
    const stand = await startTestFhir(options)
    const route = await startFhirRoute(stand.url)
    return {
        stand,
        route,
        close: async () => {
            await route.close()
            await stand.close()
        },
    }
}
