import { randomInt } from 'node:crypto'
import type { FastifyReply } from 'fastify'

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
const ALPHANUMERIC = `0123456789${LETTERS}`

/** A DHIS2 UID: 11 characters, a letter first (CodeGenerator.generateUid). */
export function generateUid(): string {
    let uid = LETTERS[randomInt(LETTERS.length)] as string
    for (let i = 1; i < 11; i++) uid += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]
    return uid
}

export const UID_PATTERN = /^[A-Za-z][A-Za-z0-9]{10}$/

const REASONS: Record<number, string> = {
    200: 'OK',
    201: 'Created',
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
}

/** DHIS2's WebMessage body: {httpStatus, httpStatusCode, status, message, ...}. */
function webMessage(code: number, message: string | undefined, extra: object = {}): object {
    return {
        httpStatus: REASONS[code] ?? 'Error',
        httpStatusCode: code,
        status: code < 400 ? 'OK' : 'ERROR',
        ...(message === undefined ? {} : { message }),
        ...extra,
    }
}

export function sendMessage(
    reply: FastifyReply,
    code: number,
    message?: string,
    extra: object = {}
): FastifyReply {
    return reply
        .code(code)
        .header('content-type', 'application/json')
        .send(Buffer.from(JSON.stringify(webMessage(code, message, extra))))
}

/** app-runtime parses JSON only when Content-Type is exactly application/json. */
export function sendJson(reply: FastifyReply, body: unknown, code = 200): FastifyReply {
    // A Buffer, so Fastify adds no charset: the type must be exactly application/json.
    return reply
        .code(code)
        .header('content-type', 'application/json')
        .send(Buffer.from(JSON.stringify(body)))
}

// ---- the `fields` parameter (DHIS2 field filtering) ---------------------------------------

export interface FieldTree {
    [name: string]: FieldTree | null
}

/** Parses `a,b[c,d[e]],!f,*` into a tree; null leaves mean "the whole value". */
export function parseFields(spec: string | undefined): FieldTree | undefined {
    if (spec === undefined || spec.trim() === '') return undefined
    let pos = 0
    const parseList = (): FieldTree => {
        const tree: FieldTree = {}
        while (pos < spec.length) {
            let name = ''
            while (pos < spec.length && !',[]()'.includes(spec[pos] as string)) name += spec[pos++]
            name = name.trim()
            let sub: FieldTree | null = null
            if (spec[pos] === '[' || spec[pos] === '(') {
                pos++
                sub = parseList()
                pos++ // closing bracket
            }
            // `name~rename` and `name::transformer` are accepted and ignored beyond the name.
            name = name.split(/[~:]/)[0] ?? name
            if (name !== '') tree[name] = sub
            if (spec[pos] === ',') {
                pos++
                continue
            }
            if (spec[pos] === ']' || spec[pos] === ')') break
        }
        return tree
    }
    return parseList()
}

export type Resolver = (id: string) => Record<string, unknown> | undefined

/**
 * Applies a field tree to a value. `*`/`:all` keep every field; `!x` drops one; nested trees on
 * a reference `{id}` resolve the referenced object first (DHIS2 expands references that way).
 */
export function applyFields(
    value: unknown,
    tree: FieldTree | null | undefined,
    resolve?: Resolver
): unknown {
    if (tree === undefined || tree === null) return value
    if (Array.isArray(value)) return value.map((v) => applyFields(v, tree, resolve))
    if (value === null || typeof value !== 'object') return value
    let source = value as Record<string, unknown>
    const keys = Object.keys(source)
    if (resolve && keys.length === 1 && keys[0] === 'id') {
        source = resolve(source.id as string) ?? source
    }
    const all = '*' in tree || ':all' in tree || 'all' in tree
    const result: Record<string, unknown> = {}
    if (all) Object.assign(result, source)
    for (const [name, sub] of Object.entries(tree)) {
        if (name === '*' || name === ':all' || name === 'all') continue
        if (name.startsWith('!')) {
            delete result[name.slice(1)]
            continue
        }
        if (name in source) result[name] = applyFields(source[name], sub, resolve)
    }
    return result
}

/** Query parameters that may be repeated arrive as string or string[]. */
export function asList(value: unknown): string[] {
    if (value === undefined || value === null) return []
    return (Array.isArray(value) ? value : [value]).map(String)
}

export function firstOf(value: unknown): string | undefined {
    return asList(value)[0]
}
