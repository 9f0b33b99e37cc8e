import { createHash, timingSafeEqual } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifySwagger from '@fastify/swagger'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { RelayConfig } from './config'
import { EsignetClient, type CodeExchangeRequest } from './esignet/client'
import { RelayError, RelayErrorCode } from './errors'
import type { FetchLike } from './http'
import { belongsToPatient, readCompartment } from './patient/compartment'
import { FhirReader } from './patient/fhir'
import { SessionSealer, type PatientSession } from './patient/session'
import {
    configRoute,
    errorBody,
    healthRoute,
    patientLogoutRoute,
    patientRecordRoute,
    patientResourceRoute,
    patientSessionRoute,
    staffExchangeRoute,
} from './schemas'

export interface RelayDependencies {
    /** Upstream fetch (eSignet and FHIR); defaults to the global fetch. */
    fetch?: FetchLike
    /** Where log lines go (tests read it); defaults to stdout. */
    logStream?: { write(line: string): void }
}

export const ROUTE_SECRET_HEADER = 'x-anc-route-secret'
export const BODY_LIMIT_BYTES = 64 * 1024

/** Anything that could carry a credential is censored in case it ever reaches a log line. */
const REDACTED_PATHS = [
    'req.headers.cookie',
    'req.headers.authorization',
    `req.headers["${ROUTE_SECRET_HEADER}"]`,
    'res.headers["set-cookie"]',
    'body',
    'req.body',
    'code',
    'codeVerifier',
    'access_token',
    'id_token',
    'client_assertion',
]

export function sessionCookieName(config: RelayConfig): string {
    // __Host- makes browsers refuse the cookie unless it is Secure, host-only and Path=/.
    return config.cookieSecure ? '__Host-anc-patient-session' : 'anc-patient-session'
}

/** The relay as a Fastify instance (not listening): main.ts listens, tests inject. */
export async function buildRelay(
    config: RelayConfig,
    deps: RelayDependencies = {}
): Promise<FastifyInstance> {
    const fetchImpl: FetchLike = deps.fetch ?? ((input, init) => fetch(input, init))
    const app = Fastify({
        logger: {
            level: config.logLevel,
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            ...(deps.logStream ? { stream: deps.logStream } : {}),
        },
        bodyLimit: BODY_LIMIT_BYTES,
        trustProxy:
            typeof config.trustProxy === 'number'
                ? (_address: string, hop: number) => hop < (config.trustProxy as number)
                : config.trustProxy,
        // Unknown body or query fields are an error, not silently dropped.
        ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
        return503OnClosing: true,
    })

    const esignet = new EsignetClient(config.esignet, fetchImpl)
    const fhir = new FhirReader(config.fhir, fetchImpl)
    const sessions = new SessionSealer(
        config.sessionSecret,
        config.session.idleSeconds,
        config.session.maxSeconds
    )
    const cookieName = sessionCookieName(config)
    const routeSecretDigest = sha256(config.routeSecret)

    app.addSchema(errorBody)
    await app.register(fastifySwagger, {
        openapi: {
            openapi: '3.1.0',
            info: {
                title: 'ANC eSignet relay',
                version: '1.0.0',
                description:
                    'Relying-party relay for MOSIP eSignet (confidential token exchange, verified claims) and the patient gateway to the FHIR record. Staff endpoints are reached only through the DHIS2 route `anc-relay`; patient endpoints under /anc-relay/ on the DHIS2 origin.',
            },
            components: {
                securitySchemes: {
                    routeSecret: { type: 'apiKey', in: 'header', name: 'X-ANC-Route-Secret' },
                    patientSession: { type: 'apiKey', in: 'cookie', name: cookieName },
                },
            },
        },
        refResolver: {
            buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
        },
    })
    await app.register(fastifyCookie)
    await app.register(fastifyRateLimit, {
        global: false,
        errorResponseBuilder: (_request, context) =>
            new RelayError(
                429,
                RelayErrorCode.rateLimited,
                `Too many attempts; try again in ${context.after}`
            ),
    })
    const rateLimit = {
        max: config.rateLimit.max,
        timeWindow: config.rateLimit.windowSeconds * 1000,
    }

    // A bodiless `fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}})`
    // (logout) is not an error; everything else goes to Fastify's own hardened JSON parser.
    const parseJson = app.getDefaultJsonParser('error', 'error')
    app.removeContentTypeParser('application/json')
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
        if (body === '') {
            done(null, undefined)
            return
        }
        parseJson(request, body.toString(), done)
    })

    app.addHook('onSend', async (_request, reply, payload) => {
        // Everything here is personal or session-bound: never stored by browsers or proxies.
        reply.header('cache-control', 'no-store')
        reply.header('pragma', 'no-cache')
        reply.header('x-content-type-options', 'nosniff')
        return payload
    })

    app.setErrorHandler(
        (
            error: Error & { code?: string; statusCode?: number; validation?: unknown },
            request,
            reply
        ) => {
            let relayError: RelayError
            if (error instanceof RelayError) {
                relayError = error
            } else if (error.validation) {
                relayError = new RelayError(400, RelayErrorCode.invalidRequest, error.message)
            } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
                relayError = new RelayError(
                    413,
                    RelayErrorCode.payloadTooLarge,
                    `Request bodies are limited to ${BODY_LIMIT_BYTES} bytes`
                )
            } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
                relayError = new RelayError(
                    415,
                    RelayErrorCode.unsupportedMediaType,
                    'Send JSON (application/json)'
                )
            } else if (
                typeof error.statusCode === 'number' &&
                error.statusCode >= 400 &&
                error.statusCode < 500
            ) {
                relayError = new RelayError(
                    error.statusCode,
                    RelayErrorCode.invalidRequest,
                    error.message
                )
            } else {
                request.log.error(
                    { err: { type: error.name, message: error.message } },
                    'unexpected failure'
                )
                relayError = new RelayError(
                    500,
                    RelayErrorCode.internal,
                    'The relay failed unexpectedly'
                )
            }
            // Only code and message: causes may quote upstream URLs or answers.
            request.log.warn(
                { error: relayError.code, status: relayError.status },
                relayError.message
            )
            return reply
                .code(relayError.status)
                .send({ error: relayError.code, message: relayError.message })
        }
    )

    app.setNotFoundHandler((_request, reply) =>
        reply.code(404).send({ error: RelayErrorCode.notFound, message: 'No such endpoint' })
    )

    function checkRedirectUri(body: CodeExchangeRequest): void {
        if (!config.allowedRedirectUris.includes(body.redirectUri)) {
            throw new RelayError(
                400,
                RelayErrorCode.redirectUriNotAllowed,
                'redirectUri is not one of the redirect URIs this relay is registered for'
            )
        }
    }

    function checkRouteSecret(request: FastifyRequest): void {
        const given = request.headers[ROUTE_SECRET_HEADER]
        if (given === undefined) {
            throw new RelayError(
                401,
                RelayErrorCode.missingRouteSecret,
                'Call this endpoint through the DHIS2 route'
            )
        }
        // Hashing first gives equal lengths, so the comparison time says nothing about the secret.
        if (typeof given !== 'string' || !timingSafeEqual(sha256(given), routeSecretDigest)) {
            throw new RelayError(
                403,
                RelayErrorCode.invalidRouteSecret,
                'The route secret is wrong'
            )
        }
    }

    async function setSessionCookie(reply: FastifyReply, session: PatientSession): Promise<void> {
        reply.setCookie(cookieName, await sessions.seal(session), {
            httpOnly: true,
            sameSite: 'strict',
            secure: config.cookieSecure,
            path: '/',
            maxAge: sessions.cookieMaxAge(session),
        })
    }

    /** The caller's session, renewed (sliding idle timeout); 401 without a valid one. */
    async function requireSession(
        request: FastifyRequest,
        reply: FastifyReply
    ): Promise<PatientSession> {
        const token = request.cookies[cookieName]
        const session = token === undefined ? undefined : await sessions.open(token)
        if (!session) {
            reply.clearCookie(cookieName, { path: '/' })
            throw new RelayError(
                401,
                RelayErrorCode.unauthenticated,
                'Your session has ended; sign in again'
            )
        }
        await setSessionCookie(reply, session)
        return session
    }

    app.get('/health', { schema: healthRoute }, async () => ({ status: 'ok' }))

    app.get('/config', { schema: configRoute }, async () => esignet.browserParameters())

    app.post<{ Body: CodeExchangeRequest }>(
        '/staff/exchange',
        {
            schema: staffExchangeRoute,
            config: { rateLimit },
            // Before the body is even parsed: callers without the route's secret get nothing.
            onRequest: async (request) => checkRouteSecret(request),
        },
        async (request) => {
            checkRedirectUri(request.body)
            const login = await esignet.exchange(request.body)
            request.log.info({ event: 'staff.exchange', acr: login.acr }, 'staff login verified')
            return login
        }
    )

    app.post<{ Body: CodeExchangeRequest }>(
        '/patient/session',
        { schema: patientSessionRoute, config: { rateLimit } },
        async (request, reply) => {
            checkRedirectUri(request.body)
            const login = await esignet.exchange(request.body)
            const patient = await fhir.findPatientBySub(login.sub)
            if (!patient || typeof patient.id !== 'string') {
                throw new RelayError(
                    404,
                    RelayErrorCode.noLinkedRecord,
                    'No pregnancy record is linked to this national ID yet. Your midwife links it when she registers you with your national ID.'
                )
            }
            await setSessionCookie(reply, {
                patientId: patient.id,
                sub: login.sub,
                startedAt: Math.floor(Date.now() / 1000),
            })
            request.log.info({ event: 'patient.session' }, 'patient session opened')
            return { linked: true as const }
        }
    )

    app.get('/patient/record', { schema: patientRecordRoute }, async (request, reply) => {
        const session = await requireSession(request, reply)
        const bundle = await readCompartment(fhir, session.patientId)
        if (!bundle) {
            throw new RelayError(
                404,
                RelayErrorCode.noLinkedRecord,
                'Your record is no longer available'
            )
        }
        return bundle
    })

    app.get<{ Params: { type: string; id: string } }>(
        '/patient/resource/:type/:id',
        { schema: patientResourceRoute },
        async (request, reply) => {
            const session = await requireSession(request, reply)
            const resource = await fhir.read(request.params.type, request.params.id)
            // Outside the compartment looks exactly like absent: no probing for others' ids.
            if (
                !resource ||
                resource.id !== request.params.id ||
                !belongsToPatient(resource, session.patientId, fhir.baseUrl)
            ) {
                throw new RelayError(404, RelayErrorCode.notFound, 'Not found in your record')
            }
            return resource
        }
    )

    app.post('/patient/logout', { schema: patientLogoutRoute }, async (_request, reply) => {
        reply.clearCookie(cookieName, {
            path: '/',
            httpOnly: true,
            sameSite: 'strict',
            secure: config.cookieSecure,
        })
        return { loggedOut: true }
    })

    return app
}

function sha256(value: string): Buffer {
    return createHash('sha256').update(value).digest()
}
