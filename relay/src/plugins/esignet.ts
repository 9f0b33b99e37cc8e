import fp from 'fastify-plugin'
import type { EsignetConfig } from '../config'
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
export const esignetPlugin = fp<{ esignet: EsignetConfig; fetch: FetchLike }>(
    async (app, options) => {
        app.decorate('esignet', new EsignetClient(options.esignet, options.fetch))
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
