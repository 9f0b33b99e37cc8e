import type { FastifyError } from 'fastify'
import fp from 'fastify-plugin'
import { RelayError, RelayErrorCode } from '../errors'
import { errorBody } from '../schemas'

/**
 * The one error model on the wire: every failure, whichever plugin or Fastify itself raised it,
 * leaves as `{error, message}` with the status of its RelayError. Registered without
 * encapsulation so that it answers for every route and for unknown paths.
 */
export const errorsPlugin = fp(
    async (app) => {
        app.addSchema(errorBody)

        app.setErrorHandler((error: FastifyError | RelayError, request, reply) => {
            let relayError = toRelayError(error, app.initialConfig.bodyLimit)
            if (!relayError) {
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
        })

        app.setNotFoundHandler((_request, reply) =>
            reply.code(404).send({ error: RelayErrorCode.notFound, message: 'No such endpoint' })
        )
    },
    { name: 'errors', fastify: '5.x' }
)

/**
 * Fastify's own failures (validation, body limits, media types) in the relay's vocabulary;
 * undefined for anything unexpected.
 */
function toRelayError(
    error: Error & { code?: string; statusCode?: number; validation?: unknown },
    bodyLimit: number | undefined
): RelayError | undefined {
    if (error instanceof RelayError) {
        return error
    }
    if (error.validation) {
        return new RelayError(400, RelayErrorCode.invalidRequest, error.message)
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return new RelayError(
            413,
            RelayErrorCode.payloadTooLarge,
            `Request bodies are limited to ${bodyLimit} bytes`
        )
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        return new RelayError(
            415,
            RelayErrorCode.unsupportedMediaType,
            'Send JSON (application/json)'
        )
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        return new RelayError(error.statusCode, RelayErrorCode.invalidRequest, error.message)
    }
    return undefined
}
