import path from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifyFormbody from '@fastify/formbody'
import fastifyMultipart from '@fastify/multipart'
import Fastify from 'fastify'
import { dataDir } from '../common/data-dir'
import { explainListenError, portOf, urlOf } from '../common/ports'
import { registerApps } from './apps/register'
import { registerAuth } from './auth'
import type { Dhis2Context } from './context'
import { registerDatastore } from './datastore'
import { openDatabase } from './db'
import { registerMe } from './me'
import { MetadataCache, registerMetadata } from './metadata'
import { esignetOidcOptions, registerOidc } from './oidc'
import { dhis2Profile } from './profile'
import { registerRelayProxy, registerRoutes } from './routes'
import { seed } from './seed'
import { registerSystem } from './system'
import { registerTextPatterns } from './text-pattern'
import { registerTracker } from './tracker/register'
import { sendMessage } from './util'

const REPO_ROOT = path.resolve(__dirname, '../../..')

export interface Dhis2Options {
    /** Port to listen on (0 = ephemeral). Default DHIS2_PORT or 8080. */
    port?: number
    host?: string
    /** Data directory. Default dataDir('dhis2'). */
    dataDir?: string
    esignetUrl?: string
    relayUrl?: string
    fhirUrl?: string
    logger?: boolean
}

/** The three apps' App Platform builds in a checkout (DHIS2_APP_BUILDS_DIR moves the root). */
function builtAppDirs(root: string): Record<string, string> {
    return {
        login: path.join(root, 'patient-app/build/app'),
        'anc-registration': path.join(root, 'registration-app/build/app'),
        'anc-doctor': path.join(root, 'doctor-app/build/app'),
    }
}

export interface Dhis2Server {
    url: string
    port: number
    close(): Promise<void>
}

export async function startDhis2(options: Dhis2Options = {}): Promise<Dhis2Server> {
    const env = process.env
    // First: a version the stand-in does not model (DHIS2_VERSION) stops it before any write.
    const profile = dhis2Profile(env)
    const dir = options.dataDir ?? dataDir('dhis2')
    const db = await openDatabase(path.join(dir, 'pgdata'))
    let publicUrl = ''
    const baseUrl = () => publicUrl
    const relayUrl = options.relayUrl ?? urlOf('relay', env)
    const fhirUrl = options.fhirUrl ?? urlOf('fhir', env)
    const esignetUrl = options.esignetUrl ?? urlOf('esignet', env)

    await seed(db, { relay: relayUrl, fhir: fhirUrl })
    const cache = new MetadataCache(db)
    await cache.reload()

    const app = Fastify({
        logger: options.logger ?? false,
        bodyLimit: 50 * 1024 * 1024,
        // /api/41/... and /api/... are the same API.
        rewriteUrl: (request) => (request.url ?? '/').replace(/^\/api\/\d{2}\//, '/api/'),
    })
    await app.register(fastifyCookie)
    await app.register(fastifyFormbody)
    await app.register(fastifyMultipart, { limits: { fileSize: 100 * 1024 * 1024 } })

    // An app's dev server (d2 app scripts start) runs on another loopback origin: allow those.
    app.addHook('onRequest', async (request, reply) => {
        const origin = request.headers.origin
        if (origin && /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(origin)) {
            reply.header('access-control-allow-origin', origin)
            reply.header('access-control-allow-credentials', 'true')
            reply.header('vary', 'Origin')
            if (request.method === 'OPTIONS') {
                reply.header(
                    'access-control-allow-methods',
                    'GET, POST, PUT, PATCH, DELETE, OPTIONS'
                )
                reply.header(
                    'access-control-allow-headers',
                    'X-Requested-With, Authorization, Content-Type, Accept'
                )
                return reply.code(204).send()
            }
        }
    })

    const context: Dhis2Context = { db, cache, profile, baseUrl }
    registerAuth(app, context)
    registerSystem(app, context, { applicationTitle: 'ANC on DHIS2 (local)' })
    registerMe(app, context)
    registerMetadata(app, context)
    registerTextPatterns(app, context)
    registerTracker(app, context)
    registerDatastore(app, context)
    registerRoutes(app, context)
    registerRelayProxy(app, () => relayUrl)
    registerApps(app, context, {
        installDir: path.join(dir, 'apps'),
        builtApps: builtAppDirs(env.DHIS2_APP_BUILDS_DIR ?? REPO_ROOT),
    })
    registerOidc(
        app,
        context,
        esignetOidcOptions(
            esignetUrl,
            baseUrl,
            env.DHIS2_OIDC_PRIVATE_KEY_FILE ??
                path.join(REPO_ROOT, 'devstack/keys/dhis2-client.private.dev.jwk.json'),
            env.DHIS2_OIDC_ISSUER,
            env.DHIS2_OIDC_USERINFO_CERTIFICATE_FILE
        )
    )

    app.setNotFoundHandler((request, reply) =>
        sendMessage(reply, 404, `No endpoint for ${request.method} ${request.url.split('?')[0]}`)
    )
    app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
        const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
        if (status >= 500) request.log.error({ err: error }, 'request failed')
        return sendMessage(reply, status, error.message)
    })

    const port = options.port ?? portOf('dhis2', env)
    try {
        await app.listen({ port, host: options.host ?? '127.0.0.1' })
    } catch (error) {
        await db.close()
        throw explainListenError('dhis2', port, error)
    }
    const address = app.server.address()
    const actualPort = typeof address === 'object' && address ? address.port : port
    publicUrl = `http://localhost:${actualPort}`

    return {
        url: publicUrl,
        port: actualPort,
        close: async () => {
            await app.close()
            await db.close()
        },
    }
}
