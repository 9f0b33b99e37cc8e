import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { outcome } from './outcomes'

const FHIR_JSON = 'application/fhir+json; charset=utf-8'

/** Answers FHIR JSON. */
export function sendFhir(reply: FastifyReply, status: number, body: unknown): FastifyReply {
    return reply.code(status).header('content-type', FHIR_JSON).send(JSON.stringify(body))
}

/**
 * The HTTP layer HAPI clients expect around the FHIR API: bodies parsed as FHIR JSON, JSON Patch
 * or forms (400 on a body that is not JSON); every error and unknown path as an
 * OperationOutcome; and, when `basicAuth` is set, HTTP Basic on every request (401 otherwise).
 */
export function installFhirHttp(
    app: FastifyInstance,
    basicAuth: { user: string; password: string } | undefined
): void {
    app.removeAllContentTypeParsers()
    app.addContentTypeParser(
        ['application/fhir+json', 'application/json', 'application/json-patch+json'],
        { parseAs: 'string' },
        (_request, body, done) => {
            const text = body as string
            if (text.trim() === '') {
                done(null, undefined)
                return
            }
            try {
                done(null, JSON.parse(text))
            } catch {
                done(
                    Object.assign(new Error('Failed to parse request body as JSON'), {
                        statusCode: 400,
                    }),
                    undefined
                )
            }
        }
    )
    app.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) => {
            const form: Record<string, string[]> = {}
            for (const [key, value] of new URLSearchParams(body as string)) {
                ;(form[key] ??= []).push(value)
            }
            done(null, form)
        }
    )

    app.setErrorHandler(
        (error: Error & { statusCode?: number; code?: string }, _request, reply) => {
            const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
            const code =
                status === 415
                    ? 'not-supported'
                    : status === 413
                      ? 'too-costly'
                      : status < 500
                        ? 'invalid'
                        : 'exception'
            return sendFhir(reply, status, outcome('error', code, error.message))
        }
    )
    app.setNotFoundHandler((request, reply) =>
        sendFhir(
            reply,
            404,
            outcome('error', 'not-found', `No FHIR endpoint at ${request.method} ${request.url}`)
        )
    )

    if (basicAuth) {
        installBasicAuth(app, basicAuth)
    }
}

/** Every request needs these credentials; compared as SHA-256 digests in constant time. */
function installBasicAuth(
    app: FastifyInstance,
    basicAuth: { user: string; password: string }
): void {
    const credentials = createHash('sha256')
        .update(`${basicAuth.user}:${basicAuth.password}`)
        .digest()
    app.addHook('onRequest', async (request, reply) => {
        const header = request.headers.authorization ?? ''
        const match = /^Basic\s+(.+)$/i.exec(header)
        const given = createHash('sha256')
            .update(match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '')
            .digest()
        if (!match || !timingSafeEqual(given, credentials)) {
            reply.header('www-authenticate', 'Basic realm="fhir", charset="UTF-8"')
            return sendFhir(reply, 401, outcome('error', 'login', 'Authentication required'))
        }
    })
}
