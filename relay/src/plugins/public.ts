import fp from 'fastify-plugin'
import { configRoute, healthRoute } from '../schemas'

/** What anyone may read: liveness, and the public parameters the browser needs for /authorize. */
export const publicPlugin = fp(
    async (app) => {
        app.get('/health', { schema: healthRoute }, async () => ({ status: 'ok' }))

        app.get('/config', { schema: configRoute }, async () => app.esignet.browserParameters())
    },
    {
        name: 'public',
        fastify: '5.x',
        encapsulate: true,
        dependencies: ['esignet'],
        decorators: { fastify: ['esignet'] },
    }
)
