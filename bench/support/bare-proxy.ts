/**
 * The floor of any extra HTTP hop: a reverse proxy with nothing else to do (no session, no
 * header rules, no route look-up), pooled upstream connections and the body piped through.
 * Run as its own process, like the DHIS2 stand-in, so both hops pay the same process switches.
 *
 *   node --import tsx bench/support/bare-proxy.ts <upstream origin>   (prints the port)
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

const upstream = new URL(process.argv[2] ?? '')
const agent = new http.Agent({ keepAlive: true })
const PASSED = ['accept', 'accept-encoding', 'authorization', 'content-type', 'content-length']

const server = http.createServer((request, response) => {
    const headers: Record<string, string> = {}
    for (const name of PASSED) {
        const value = request.headers[name]
        if (typeof value === 'string') headers[name] = value
    }
    const forwarded = http.request(
        new URL(request.url ?? '/', upstream),
        { method: request.method, headers, agent },
        (answer) => {
            response.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(response)
        }
    )
    forwarded.on('error', () => response.destroy())
    request.pipe(forwarded)
})
server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port))
