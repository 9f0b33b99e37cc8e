import http from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasAuthority, type User } from './auth'
import { REQUEST_HEADER_ALLOW_LIST, RESPONSE_HEADER_ALLOW_LIST } from './route-headers'
import type { Dhis2Context } from './context'
import type { Dhis2Profile } from './profile'
import { generateUid, sendJson, sendMessage } from './util'

export interface RouteAuth {
    type: 'http-basic' | 'api-token' | 'api-headers' | 'api-query-params'
    username?: string
    password?: string
    token?: string
    headers?: Record<string, string>
    queryParams?: Record<string, string>
}

export interface Route {
    id: string
    code?: string
    name: string
    url: string
    headers?: Record<string, string>
    auth?: RouteAuth
    authorities?: string[]
    responseTimeoutSeconds?: number
    disabled?: boolean
    sharing?: { public?: string; users?: Record<string, { access: string }> }
}

/** What GET returns: secrets are write-only, as in DHIS2. */
function publicView(route: Route): Record<string, unknown> {
    const { auth, ...rest } = route
    return {
        ...rest,
        displayName: route.name,
        ...(auth
            ? {
                  auth: {
                      type: auth.type,
                      ...(auth.type === 'http-basic' ? { username: auth.username } : {}),
                  },
              }
            : {}),
    }
}

function validate(body: Partial<Route>): string | undefined {
    if (typeof body.name !== 'string' || body.name === '') return 'Missing required property `name`'
    if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url))
        return 'Route URL must be http or https'
    const timeout = body.responseTimeoutSeconds
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1 || timeout > 60)) {
        return 'responseTimeoutSeconds must be between 1 and 60'
    }
    return undefined
}

export function registerRoutes(app: FastifyInstance, { db, profile }: Dhis2Context): void {
    // DHIS2 serves routes from its Hibernate cache, not a query per run. The handlers below are the
    // only writers after seeding, and each drops the cache once its write is committed.
    const cache = new Map<string, Route>()
    const find = async (idOrCode: string): Promise<Route | undefined> => {
        const cached = cache.get(idOrCode)
        if (cached) return cached
        const { rows } = await db.query<{ data: Route }>(
            'select data from routes where id = $1 or code = $1',
            [idOrCode]
        )
        const route = rows[0]?.data
        if (route) cache.set(idOrCode, route)
        return route
    }

    const canManage = (user: User | undefined) =>
        hasAuthority(user, 'F_ROUTE_PUBLIC_ADD', 'F_ROUTE_PRIVATE_ADD')

    app.get('/api/routes', async (_request, reply) => {
        const { rows } = await db.query<{ data: Route }>('select data from routes order by name')
        return sendJson(reply, {
            pager: { page: 1, pageCount: 1, total: rows.length, pageSize: 50 },
            routes: rows.map((r) => publicView(r.data)),
        })
    })
    app.get('/api/routes/:id', async (request, reply) => {
        const route = await find((request.params as { id: string }).id)
        if (!route) return sendMessage(reply, 404, 'Route not found')
        return sendJson(reply, publicView(route))
    })
    app.post('/api/routes', async (request, reply) => {
        if (!canManage(request.user))
            return sendMessage(reply, 403, 'You do not have the authority to create routes.')
        const body = (request.body ?? {}) as Partial<Route>
        const problem = validate(body)
        if (problem) return sendMessage(reply, 409, problem)
        const route: Route = {
            ...(body as Route),
            id: body.id ?? generateUid(),
            responseTimeoutSeconds: body.responseTimeoutSeconds ?? 5,
        }
        try {
            await db.query('insert into routes (id, code, name, data) values ($1, $2, $3, $4)', [
                route.id,
                route.code ?? null,
                route.name,
                JSON.stringify(route),
            ])
            cache.clear()
        } catch (error) {
            if ((error as { code?: string }).code === '23505')
                return sendMessage(reply, 409, 'A route with this id, code or name already exists')
            throw error
        }
        return sendMessage(reply, 201, undefined, {
            response: { uid: route.id, klass: 'org.hisp.dhis.route.Route' },
        })
    })
    app.put('/api/routes/:id', async (request, reply) => {
        if (!canManage(request.user))
            return sendMessage(reply, 403, 'You do not have the authority to update routes.')
        const existing = await find((request.params as { id: string }).id)
        if (!existing) return sendMessage(reply, 404, 'Route not found')
        const body = (request.body ?? {}) as Partial<Route>
        const problem = validate(body)
        if (problem) return sendMessage(reply, 409, problem)
        // Like DHIS2, a PUT replaces the route: secrets must be sent again.
        const route: Route = {
            ...(body as Route),
            id: existing.id,
            responseTimeoutSeconds: body.responseTimeoutSeconds ?? 5,
        }
        await db.query('update routes set code = $2, name = $3, data = $4 where id = $1', [
            existing.id,
            route.code ?? null,
            route.name,
            JSON.stringify(route),
        ])
        cache.clear()
        return sendMessage(reply, 200, undefined, { response: { uid: route.id } })
    })
    app.delete('/api/routes/:id', async (request, reply) => {
        if (!hasAuthority(request.user, 'F_ROUTE_DELETE'))
            return sendMessage(reply, 403, 'You do not have the authority to delete routes.')
        const existing = await find((request.params as { id: string }).id)
        if (!existing) return sendMessage(reply, 404, 'Route not found')
        await db.query('delete from routes where id = $1', [existing.id])
        cache.clear()
        return sendMessage(reply, 200, undefined, { response: { uid: existing.id } })
    })

    // /run keeps the raw body: it is forwarded untouched (form fields are also copied to the query).
    app.register(async (scope) => {
        scope.removeAllContentTypeParsers()
        scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
            done(null, body)
        )
        const run = async (request: FastifyRequest, reply: FastifyReply) => {
            const params = request.params as { id: string; '*'?: string }
            const route = await find(params.id)
            if (!route || route.disabled)
                return sendMessage(reply, 404, `Route not found: ${params.id}`)
            const user = request.user as User
            if (!mayRun(user, route))
                return sendMessage(reply, 403, 'User does not have access to this route')
            return runRoute(request, reply, route, params['*'] ?? '', user, profile)
        }
        for (const path of ['/api/routes/:id/run', '/api/routes/:id/run/*']) {
            scope.route({
                method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
                url: path,
                handler: run,
            })
        }
    })
}

function mayRun(user: User, route: Route): boolean {
    if (user.authorities.includes('ALL')) return true
    if ((route.authorities ?? []).some((a) => user.authorities.includes(a))) return true
    const sharing = route.sharing ?? {}
    if ((sharing.public ?? '--------').startsWith('r')) return true
    return (sharing.users?.[user.id]?.access ?? '').startsWith('r')
}

/** Characters java.net.URI.create rejects in a query. */
const ILLEGAL_IN_URI = /[|\s"<>{}\\^`]/

async function runRoute(
    request: FastifyRequest,
    reply: FastifyReply,
    route: Route,
    subPath: string,
    user: User,
    profile: Dhis2Profile
): Promise<FastifyReply> {
    const wildcard = route.url.endsWith('/**')
    if (subPath !== '' && !wildcard)
        return sendMessage(reply, 502, 'Route does not allow sub-paths')
    const base = wildcard ? route.url.slice(0, -2) : route.url

    // The servlet parameter map: query parameters and, for form posts, the form fields.
    const parameters: [string, string][] = [...new URLSearchParams(request.url.split('?')[1] ?? '')]
    const body = request.body instanceof Buffer ? request.body : undefined
    const contentType = String(request.headers['content-type'] ?? '')
    if (body && contentType.startsWith('application/x-www-form-urlencoded')) {
        parameters.push(...new URLSearchParams(body.toString('utf8')))
    }
    for (const [k, v] of Object.entries(
        route.auth?.type === 'api-query-params' ? (route.auth.queryParams ?? {}) : {}
    )) {
        parameters.push([k, v])
    }
    let query: string
    // DHIS2-20311: the query string is URL-decoded and re-assembled without re-encoding before
    // URI.create, which rejects `|` and spaces.
    if (profile.routeQueryRedecoding) {
        query = parameters.map(([k, v]) => `${k}=${v}`).join('&')
        const bad = ILLEGAL_IN_URI.exec(query)
        if (bad) {
            return sendMessage(
                reply,
                500,
                `Illegal character in query at index ${bad.index}: ${query}`
            )
        }
    } else {
        query = new URLSearchParams(parameters).toString()
    }
    const target = new URL(base + subPath.replace(/^\/+/, '') + (query ? `?${query}` : ''))

    const headers: Record<string, string> = {}
    for (const name of REQUEST_HEADER_ALLOW_LIST) {
        const value = request.headers[name]
        if (typeof value === 'string') headers[name] = value
    }
    Object.assign(headers, route.headers ?? {})
    const auth = route.auth
    if (auth?.type === 'http-basic') {
        headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
    } else if (auth?.type === 'api-token') {
        headers.authorization = `ApiToken ${auth.token}`
    } else if (auth?.type === 'api-headers') {
        Object.assign(headers, auth.headers ?? {})
    }
    headers['x-forwarded-user'] = user.username
    if (body && body.length > 0) headers['content-length'] = String(body.length)

    const timeoutMs = (route.responseTimeoutSeconds ?? 5) * 1000
    try {
        const upstream = await forward(target, request.method, headers, body, timeoutMs)
        reply.code(upstream.status)
        for (const name of RESPONSE_HEADER_ALLOW_LIST) {
            const value = upstream.headers[name]
            if (value !== undefined) reply.header(name, value)
        }
        return reply.send(upstream.body)
    } catch (error) {
        if ((error as Error).name === 'TimeoutError')
            return sendMessage(reply, 504, 'Route timed out')
        return sendMessage(reply, 502, `Bad gateway: ${(error as Error).message}`)
    }
}

interface Upstream {
    status: number
    headers: http.IncomingHttpHeaders
    /** The upstream body, not yet read: it is piped to the client as it arrives. */
    body: http.IncomingMessage
}

// DHIS2 proxies routes through a pooled HTTP client; reusing connections keeps the stand-in's
// route overhead comparable instead of paying a TCP handshake per call.
const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 32 })

/**
 * Plain node:http, so bodies stay byte-exact (no transparent decompression). The body is streamed
 * as DHIS2 2.42+ does (2.40/2.41 buffer it first), so a large FHIR answer is not held in memory.
 * `timeoutMs` is a read timeout: no byte for that long before the headers rejects with a
 * TimeoutError (the caller's 504); a body that stalls later is cut off, too late for a status.
 */
export function forward(
    target: URL,
    method: string,
    headers: Record<string, string | string[]>,
    body: Buffer | undefined,
    timeoutMs: number
): Promise<Upstream> {
    return new Promise((resolve, reject) => {
        const req = http.request(target, { method, headers, agent: upstreamAgent }, (res) => {
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: res })
        })
        // Node drops this idle timer when the response ends and the socket goes back to the pool.
        req.setTimeout(timeoutMs, () => {
            const error = new Error('upstream timed out')
            error.name = 'TimeoutError'
            req.destroy(error)
        })
        req.on('error', reject)
        req.end(body)
    })
}

/**
 * /anc-relay/* on the DHIS2 origin goes to the relay with the prefix stripped, cookies and all,
 * like the production nginx location block. Not a DHIS2 route: no header filtering.
 */
export function registerRelayProxy(app: FastifyInstance, relayUrl: () => string): void {
    app.register(async (scope) => {
        scope.removeAllContentTypeParsers()
        scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
            done(null, body)
        )
        scope.route({
            method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
            url: '/anc-relay/*',
            handler: async (request, reply) => {
                const target = new URL(request.url.replace(/^\/anc-relay/, ''), relayUrl())
                const headers: Record<string, string | string[]> = {}
                for (const [name, value] of Object.entries(request.headers)) {
                    if (
                        value === undefined ||
                        ['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)
                    )
                        continue
                    headers[name] = value
                }
                headers['x-forwarded-for'] = request.ip
                headers['x-forwarded-proto'] = request.protocol
                headers['x-forwarded-host'] = String(request.headers.host ?? '')
                headers['x-forwarded-prefix'] = '/anc-relay'
                const body = request.body instanceof Buffer ? request.body : undefined
                if (body && body.length > 0) headers['content-length'] = String(body.length)
                try {
                    const upstream = await forward(target, request.method, headers, body, 60_000)
                    reply.code(upstream.status)
                    for (const [name, value] of Object.entries(upstream.headers)) {
                        if (
                            value === undefined ||
                            ['connection', 'transfer-encoding', 'keep-alive'].includes(name)
                        )
                            continue
                        reply.header(name, value)
                    }
                    return reply.send(upstream.body)
                } catch (error) {
                    return reply
                        .code(502)
                        .header('content-type', 'application/json')
                        .send({
                            error: 'relay_unavailable',
                            message: `The relay at ${relayUrl()} did not answer: ${(error as Error).message}`,
                        })
                }
            },
        })
    })
}
