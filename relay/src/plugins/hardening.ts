import fastifyRateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'
import type { RateLimitConfig } from '../config'
import { RelayError, RelayErrorCode } from '../errors'

declare module 'fastify' {
    interface FastifyInstance {
        /** Route `config.rateLimit` for endpoints that redeem a login (per client IP). */
        loginRateLimit: { max: number; timeWindow: number }
    }
}

/**
 * What every request and response gets, whichever plugin serves it: responses are never cached
 * or sniffed, JSON is parsed by Fastify's hardened parser, and a per-IP rate limiter is ready
 * for the routes that ask for it (`config: {rateLimit: app.loginRateLimit}`).
 */
export const hardeningPlugin = fp<RateLimitConfig>(
    async (app, rateLimit) => {
        await app.register(fastifyRateLimit, {
            global: false,
            errorResponseBuilder: (_request, context) =>
                new RelayError(
                    429,
                    RelayErrorCode.rateLimited,
                    `Too many attempts; try again in ${context.after}`
                ),
        })
        app.decorate('loginRateLimit', {
            max: rateLimit.max,
            timeWindow: rateLimit.windowSeconds * 1000,
        })

        // A bodiless `fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}})`
        // (logout) is not an error; everything else goes to Fastify's own hardened JSON parser.
        const parseJson = app.getDefaultJsonParser('error', 'error')
        app.removeContentTypeParser('application/json')
        app.addContentTypeParser(
            'application/json',
            { parseAs: 'string' },
            (request, body, done) => {
                if (body === '') {
                    done(null, undefined)
                    return
                }
                parseJson(request, body.toString(), done)
            }
        )

        app.addHook('onSend', async (_request, reply, payload) => {
            // Everything here is personal or session-bound: never stored by browsers or proxies.
            reply.header('cache-control', 'no-store')
            reply.header('pragma', 'no-cache')
            reply.header('x-content-type-options', 'nosniff')
            return payload
        })
    },
    { name: 'hardening', fastify: '5.x' }
)
