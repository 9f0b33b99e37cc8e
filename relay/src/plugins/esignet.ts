import fp from 'fastify-plugin'
import type { EsignetConfig, RelayMode } from '../config'
import { RelayError, RelayErrorCode } from '../errors'
import { EsignetClient } from '../esignet/client'
import type { FetchLike } from '../http'

declare module 'fastify' {
    interface FastifyInstance {
        /** The relay's eSignet client: browser parameters and the verified code exchange. */
        esignet: EsignetClient
    }
}

/**
 * One eSignet client for the whole relay (its discovery document and JWKS are caches), shared by
 * /config and the staff and patient logins. Not encapsulated: it decorates the root instance.
 */
export const esignetPlugin = fp<{ esignet: EsignetConfig; fetch: FetchLike; mode: RelayMode }>(
    async (app, options) => {
        const client = new EsignetClient(options.esignet, options.fetch, options.mode)
        app.decorate('esignet', client)
        // At start-up, against eSignet's discovery: the assertion algorithm, and PAR/DPoP the
        // relay does not do. A misconfiguration stops the start with what to change; an eSignet
        // that is not up yet is the first login's problem (it retries discovery).
        app.addHook('onReady', async () => {
            try {
                const { assertionAlg } = await client.checkCompatibility()
                app.log.info({ assertionAlg }, 'eSignet discovery read')
            } catch (error) {
                if (
                    error instanceof RelayError &&
                    error.code === RelayErrorCode.esignetMisconfigured
                ) {
                    throw new Error(`eSignet client misconfigured: ${error.message}`)
                }
                app.log.warn(
                    { error: error instanceof Error ? error.message : String(error) },
                    'eSignet discovery not readable at start-up; the first login retries'
                )
            }
        })
    },
    { name: 'esignet', fastify: '5.x' }
)

/** fastify-plugin metadata of an encapsulated plugin whose routes redeem eSignet logins. */
export function loginRoutesPlugin(name: string) {
    return {
        name,
        fastify: '5.x',
        encapsulate: true,
        dependencies: ['esignet', 'hardening'],
        decorators: { fastify: ['esignet', 'loginRateLimit'] },
    }
}
