import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Dhis2Context } from './context'
import type { Db } from './db'
import { sendJson, sendMessage } from './util'

const scrypt = promisify(scryptCb) as (
    password: string,
    salt: Buffer,
    keylen: number
) => Promise<Buffer>

const SESSION_COOKIE = 'JSESSIONID'
const SESSION_HOURS = 12

export interface User {
    id: string
    username: string
    firstName: string
    surname: string
    email?: string
    openId?: string
    disabled: boolean
    passwordExpired: boolean
    externalAuth: boolean
    /** Capture scope. */
    organisationUnits: string[]
    /** Search scope (falls back to the capture scope when empty). */
    teiSearchOrganisationUnits: string[]
    userRoles: string[]
    /** Resolved from the roles at request time. */
    authorities: string[]
}

declare module 'fastify' {
    interface FastifyRequest {
        user?: User
        sessionId?: string
    }
}

export async function hashPassword(password: string): Promise<string> {
    const salt = randomBytes(16)
    const hash = await scrypt(password, salt, 32)
    return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`
}

async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
    const [scheme, salt, hash] = (stored ?? '').split('$')
    if (scheme !== 'scrypt' || !salt || !hash) return false
    const expected = Buffer.from(hash, 'base64')
    const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length)
    return timingSafeEqual(expected, actual)
}

interface UserRow {
    id: string
    password_hash: string | null
    data: Omit<User, 'authorities'>
    disabled: boolean
    password_expired: boolean
}

export async function loadUser(
    db: Db,
    where: string,
    value: string
): Promise<(User & { passwordHash: string | null }) | undefined> {
    const { rows } = await db.query<UserRow>(
        `select id, password_hash, data, disabled, password_expired from users where ${where} = $1`,
        [value]
    )
    const row = rows[0]
    if (!row) return undefined
    const roles = await db.query<{ data: { authorities?: string[] } }>(
        `select data from metadata where type = 'userRoles' and id = any($1)`,
        [row.data.userRoles]
    )
    const authorities = [...new Set(roles.rows.flatMap((r) => r.data.authorities ?? []))]
    return {
        ...row.data,
        id: row.id,
        disabled: row.disabled,
        passwordExpired: row.password_expired,
        authorities,
        passwordHash: row.password_hash,
    }
}

export function hasAuthority(user: User | undefined, ...wanted: string[]): boolean {
    if (!user) return false
    return user.authorities.includes('ALL') || wanted.some((a) => user.authorities.includes(a))
}

export async function createSession(db: Db, reply: FastifyReply, userId: string): Promise<string> {
    const id = randomBytes(32).toString('base64url')
    await db.query(
        `insert into sessions (id, user_id, expires_at) values ($1, $2, now() + interval '${SESSION_HOURS} hours')`,
        [id, userId]
    )
    reply.setCookie(SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax' })
    return id
}

type LoginStatus = 'SUCCESS' | 'PASSWORD_EXPIRED' | 'ACCOUNT_DISABLED' | 'BAD_CREDENTIALS'

/** The checks of DHIS2's authentication manager, in its order. */
async function authenticate(
    db: Db,
    username: string,
    password: string
): Promise<{ status: LoginStatus; user?: User }> {
    const user = await loadUser(db, 'username', username)
    // Hash anyway for unknown users so timing does not reveal which usernames exist.
    const ok = await verifyPassword(
        password,
        user?.passwordHash ??
            'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
    )
    if (!user || !ok) return { status: 'BAD_CREDENTIALS' }
    if (user.disabled) return { status: 'ACCOUNT_DISABLED' }
    if (user.passwordExpired) return { status: 'PASSWORD_EXPIRED' }
    return { status: 'SUCCESS', user }
}

/** Paths anyone may call without a session (DHIS2's public endpoints). */
function isPublicPath(url: string): boolean {
    const path = url.split('?')[0] ?? ''
    return (
        path === '/' ||
        path === '/api/loginConfig' ||
        path === '/api/auth/login' ||
        path === '/api/ping' ||
        path === '/api/locales/ui' ||
        path === '/api/system/ping' ||
        path.startsWith('/api/publicKeys/') ||
        path.startsWith('/api/staticContent/') ||
        path.startsWith('/api/apps/login/') ||
        path === '/api/apps/login' ||
        path.startsWith('/dhis-web-login') ||
        path.startsWith('/oauth2/') ||
        path.startsWith('/anc-relay/') ||
        path === '/dhis-web-commons-security/logout.action' ||
        path === '/api/auth/logout' ||
        path === '/favicon.ico'
    )
}

/**
 * DHIS2 keeps the authenticated principal in the HTTP session, so a signed-in request costs no
 * user look-up. We mirror that with a short-lived in-memory copy over the durable sessions table
 * (which is what survives a restart); logout drops it at once.
 */
const PRINCIPAL_CACHE_MS = 30_000
const principals = new Map<string, { user: User; until: number }>()

async function sessionUser(db: Db, sessionId: string): Promise<User | undefined> {
    const cached = principals.get(sessionId)
    if (cached && cached.until > Date.now()) return cached.user
    principals.delete(sessionId)
    const { rows } = await db.query<{ user_id: string }>(
        'select user_id from sessions where id = $1 and expires_at > now()',
        [sessionId]
    )
    const userId = rows[0]?.user_id
    const user = userId ? await loadUser(db, 'id', userId) : undefined
    if (!user || user.disabled) return undefined
    const principal = stripHash(user)
    principals.set(sessionId, { user: principal, until: Date.now() + PRINCIPAL_CACHE_MS })
    return principal
}

export function registerAuth(app: FastifyInstance, { db }: Dhis2Context): void {
    // Resolve the user from the session cookie or HTTP Basic, on every request.
    app.addHook('onRequest', async (request, reply) => {
        const sessionId = request.cookies[SESSION_COOKIE]
        if (sessionId) {
            const user = await sessionUser(db, sessionId)
            if (user) {
                request.user = user
                request.sessionId = sessionId
            }
        }
        const header = request.headers.authorization
        if (!request.user && header?.startsWith('Basic ')) {
            const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8')
            const colon = decoded.indexOf(':')
            const result = await authenticate(db, decoded.slice(0, colon), decoded.slice(colon + 1))
            if (result.status !== 'SUCCESS' || !result.user) {
                return sendMessage(reply, 401, 'Unauthorized')
            }
            request.user = stripHash(result.user as User & { passwordHash?: string | null })
        }
        if (!request.user && !isPublicPath(request.url)) {
            return unauthenticated(request, reply)
        }
    })

    app.post('/api/auth/login', async (request, reply) => {
        const body = (request.body ?? {}) as { username?: unknown; password?: unknown }
        if (typeof body.username !== 'string' || typeof body.password !== 'string') {
            return sendMessage(reply, 400, 'username and password are required')
        }
        const result = await authenticate(db, body.username, body.password)
        if (result.status === 'BAD_CREDENTIALS') return sendMessage(reply, 401, 'Bad credentials')
        if (result.status !== 'SUCCESS' || !result.user) {
            return sendJson(reply, { loginStatus: result.status, redirectUrl: null })
        }
        await createSession(db, reply, result.user.id)
        return sendJson(reply, { loginStatus: 'SUCCESS', redirectUrl: '/' })
    })

    const logout = async (request: FastifyRequest, reply: FastifyReply) => {
        if (request.sessionId) {
            principals.delete(request.sessionId)
            await db.query('delete from sessions where id = $1', [request.sessionId])
        }
        reply.clearCookie(SESSION_COOKIE, { path: '/' })
        return reply.redirect('/dhis-web-login/')
    }
    app.get('/dhis-web-commons-security/logout.action', logout)
    app.get('/api/auth/logout', logout)
    app.post('/api/auth/logout', logout)
}

function stripHash(user: User & { passwordHash?: string | null }): User {
    const { passwordHash: _ignored, ...rest } = user
    return rest
}

/** DHIS2 answers API calls with a 401 JSON body and sends browsers to the login page. */
function unauthenticated(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const isApi =
        request.url.startsWith('/api/') && !request.url.match(/^\/api\/apps\/[^/]+\/(?!.*\.json)/)
    const wantsHtml = (request.headers.accept ?? '').includes('text/html')
    if (!isApi && wantsHtml) return reply.redirect('/dhis-web-login/')
    return sendMessage(reply, 401, 'Unauthorized')
}
