import Fastify, { type FastifyInstance } from 'fastify'
import type { RelayConfig } from './config'
import type { FetchLike } from './http'
import { errorsPlugin } from './plugins/errors'
import { esignetPlugin } from './plugins/esignet'
import { hardeningPlugin } from './plugins/hardening'
import { openApiDocumentPlugin } from './plugins/openapi-document'
import { patientPlugin, sessionCookieName } from './plugins/patient'
import { publicPlugin } from './plugins/public'
import { ROUTE_SECRET_HEADER, staffPlugin } from './plugins/staff'

export interface RelayDependencies {
    /** Upstream fetch (eSignet and FHIR); defaults to the global fetch. */
    fetch?: FetchLike
    /** Where log lines go (tests read it); defaults to stdout. */
    logStream?: { write(line: string): void }
}

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

/**
 * The relay as a Fastify instance (not listening): main.ts listens, tests inject. Each concern is
 * a plugin given its own section of the settings:
 *
 * - hardening, errors, openapi-document, esignet: not encapsulated; they apply to or serve every
 *   route (headers, JSON parsing, rate limiter; the one error model; the OpenAPI collector; the
 *   shared eSignet client);
 * - public (/health, /config), staff (route secret; /staff/exchange), patient (session cookie;
 *   /patient/*): encapsulated, so a hook or decorator of one never reaches another.
 *
 * A new concern (e.g. a staff FHIR gateway) is one more plugin with one more settings section.
 */
export async function buildRelay(
    config: RelayConfig,
    deps: RelayDependencies = {}
): Promise<FastifyInstance> {
    const fetchImpl: FetchLike = deps.fetch ?? ((input, init) => fetch(input, init))
    const { trustProxy } = config.server
    const app = Fastify({
        logger: {
            level: config.server.logLevel,
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            ...(deps.logStream ? { stream: deps.logStream } : {}),
        },
        bodyLimit: BODY_LIMIT_BYTES,
        trustProxy:
            typeof trustProxy === 'number'
                ? (_address: string, hop: number) => hop < trustProxy
                : trustProxy,
        // Unknown body or query fields are an error, not silently dropped.
        ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
        return503OnClosing: true,
    })

    // The OpenAPI collector first: it sees only routes registered after it.
    await app.register(openApiDocumentPlugin, {
        patientSessionCookie: sessionCookieName(config.patient),
    })
    await app.register(errorsPlugin)
    await app.register(hardeningPlugin, config.rateLimit)
    await app.register(esignetPlugin, {
        esignet: config.esignet,
        fetch: fetchImpl,
        mode: config.mode,
    })

    await app.register(publicPlugin)
    await app.register(staffPlugin, config.staff)
    await app.register(patientPlugin, {
        session: config.patient,
        fhir: config.fhir,
        fetch: fetchImpl,
    })
    return app
}
