import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DataEngine, RestAPILink } from '@dhis2/data-engine'
import { mapEsignetError } from './errors'
import { exchangeStaffCode, fetchStaffRelayConfig, startPatientSession } from './relay-client'
import { RELAY_CONFIG_BODY } from '../../test-support/relay-config'

/** A loopback stand-in for DHIS2's route and the relay, recording what the browser sends. */
type Reply = { status: number; body?: unknown }
let server: Server
let base = ''
let reply: Reply = { status: 200 }
const received: {
    method: string
    url: string
    body: unknown
    headers: IncomingMessage['headers']
}[] = []

beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
        let raw = ''
        req.on('data', (chunk) => (raw += chunk))
        req.on('end', () => {
            received.push({
                method: req.method ?? '',
                url: req.url ?? '',
                body: raw ? JSON.parse(raw) : null,
                headers: req.headers,
            })
            res.writeHead(reply.status, { 'Content-Type': 'application/json' })
            res.end(reply.body === undefined ? '' : JSON.stringify(reply.body))
        })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
    received.length = 0
})

const REQUEST = {
    code: 'auth-code',
    codeVerifier: 'v'.repeat(64),
    redirectUri: 'http://localhost:8080/api/apps/anc-registration/esignet-callback.html',
    nonce: 'nonce-123',
}

const engine = () => new DataEngine(new RestAPILink({ baseUrl: base, apiVersion: 41 }))

describe('exchangeStaffCode (through the DHIS2 route)', () => {
    it('posts code, verifier, redirect URI and nonce to the relay route', async () => {
        reply = {
            status: 200,
            body: {
                sub: 'psut-1',
                claims: { name: 'Nadeesha' },
                acr: 'mosip:idp:acr:generated-code',
                authTime: 1700000000,
            },
        }
        const outcome = await exchangeStaffCode(engine(), REQUEST)
        expect(received).toHaveLength(1)
        expect(received[0]).toMatchObject({
            method: 'POST',
            url: '/api/41/routes/anc-relay/run/staff/exchange',
            body: REQUEST,
        })
        expect(outcome).toEqual({
            kind: 'verified',
            sub: 'psut-1',
            claims: { name: 'Nadeesha' },
            acr: 'mosip:idp:acr:generated-code',
            authTime: 1700000000,
        })
    })

    it('turns a relayed eSignet error into its readable message', async () => {
        reply = {
            status: 400,
            body: { error: 'invalid_transaction', message: 'invalid_transaction' },
        }
        await expect(exchangeStaffCode(engine(), REQUEST)).resolves.toEqual(
            mapEsignetError('invalid_transaction')
        )
    })

    it('reports a route the user may not run as forbidden, not as unreachable', async () => {
        reply = { status: 403, body: { httpStatusCode: 403, message: 'Access denied' } }
        const outcome = await exchangeStaffCode(engine(), REQUEST)
        expect(outcome.kind).toBe('relayForbidden')
        expect(outcome).toHaveProperty('message', expect.stringMatching(/not allowed/))
    })

    it.each([502, 504])('reports relayUnreachable on %i from the route', async (status) => {
        reply = { status }
        await expect(exchangeStaffCode(engine(), REQUEST)).resolves.toMatchObject({
            kind: 'relayUnreachable',
        })
    })

    it('reports relayUnreachable when nothing answers', async () => {
        const closed = new DataEngine(
            new RestAPILink({ baseUrl: 'http://127.0.0.1:9', apiVersion: 41 })
        )
        await expect(exchangeStaffCode(closed, REQUEST)).resolves.toMatchObject({
            kind: 'relayUnreachable',
        })
    })

    it('does not accept a 200 without a subject', async () => {
        reply = { status: 200, body: { claims: {} } }
        await expect(exchangeStaffCode(engine(), REQUEST)).resolves.toMatchObject({
            kind: 'esignetError',
            code: 'invalid_response',
        })
    })

    it('reads the public config through the route', async () => {
        reply = { status: 200, body: RELAY_CONFIG_BODY }
        const config = await fetchStaffRelayConfig(engine())
        expect(received[0]?.url).toBe('/api/41/routes/anc-relay/run/config')
        expect(config.clientId).toBe('anc-relay')
    })
})

describe('startPatientSession', () => {
    it('posts the same body to the patient endpoint and reports the session', async () => {
        reply = { status: 200, body: { linked: true } }
        const outcome = await startPatientSession(REQUEST, { baseUrl: `${base}/anc-relay` })
        expect(received[0]).toMatchObject({
            method: 'POST',
            url: '/anc-relay/patient/session',
            body: REQUEST,
        })
        expect(received[0]?.headers['content-type']).toBe('application/json')
        expect(outcome).toEqual({ kind: 'sessionStarted' })
    })

    it('tells the patient when no record is linked to her identity', async () => {
        reply = { status: 404, body: { error: 'no_linked_record', message: 'none' } }
        const outcome = await startPatientSession(REQUEST, { baseUrl: `${base}/anc-relay` })
        expect(outcome).toMatchObject({ kind: 'noLinkedRecord' })
    })

    it('maps a relayed eSignet error', async () => {
        reply = { status: 400, body: { error: 'consent_rejected', message: 'x' } }
        const outcome = await startPatientSession(REQUEST, { baseUrl: `${base}/anc-relay` })
        expect(outcome.kind).toBe('consentDeclined')
    })

    it('reports relayUnreachable on a network failure or a proxy error page', async () => {
        await expect(
            startPatientSession(REQUEST, { baseUrl: 'http://127.0.0.1:9/anc-relay' })
        ).resolves.toMatchObject({ kind: 'relayUnreachable' })
        reply = { status: 502 }
        await expect(
            startPatientSession(REQUEST, { baseUrl: `${base}/anc-relay` })
        ).resolves.toMatchObject({ kind: 'relayUnreachable' })
    })
})

describe('mapEsignetError', () => {
    it.each([
        ['consent_request_rejected', 'consentDeclined'],
        ['access_denied', 'consentDeclined'],
        ['invalid_accepted_claim', 'consentDeclined'],
        ['user_cancelled', 'cancelled'],
        ['transaction_timeout', 'timedOut'],
        ['auth_failed', 'esignetError'],
        ['invalid_client_id', 'esignetError'],
    ])('%s is %s', (code, kind) => {
        expect(mapEsignetError(code).kind).toBe(kind)
    })

    it('names configuration errors so the administrator can act', () => {
        expect(mapEsignetError('invalid_redirect_uri').message).toContain('invalid_redirect_uri')
    })

    it('never echoes markup or long text from an attacker-controlled code', () => {
        const failure = mapEsignetError('<img src=x onerror=alert(1)>' + 'a'.repeat(500))
        expect(failure).toMatchObject({ kind: 'esignetError' })
        expect(failure.message).not.toMatch(/[<>]/)
        expect((failure as { code: string }).code.length).toBeLessThanOrEqual(64)
    })
})
