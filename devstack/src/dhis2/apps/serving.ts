import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasAuthority, type User } from '../auth'
import { contentTypeOf } from '../content-type'
import type { Dhis2Context } from '../context'
import { sendMessage } from '../util'
import { type AppCatalogue, appAuthority } from './catalogue'

/**
 * Serves the apps' files: staff apps at `/api/apps/<key>/` (403 without the app's authority),
 * the login app at `/dhis-web-login/` and `/api/apps/login/` (public), and `/` redirecting to
 * the login app without a session, else to the user's first app.
 */
export function registerAppServing(
    app: FastifyInstance,
    { baseUrl }: Dhis2Context,
    catalogue: AppCatalogue
): void {
    /** Serves a file of an app, with DHIS2's base-URL placeholder filled in HTML. */
    const serve = (reply: FastifyReply, key: string, file: string, label: string) => {
        const dir = catalogue.appDir(key)
        if (!dir) {
            return reply
                .code(404)
                .header('content-type', 'text/html; charset=utf-8')
                .send(
                    `<!doctype html><title>${label} is not built</title><h1>${label} is not built</h1>` +
                        `<p>Run <code>npm run build</code> at the repository root, or install the app zip with ` +
                        `<code>npm run deploy</code>, then reload this page.</p>`
                )
        }
        const relative = file === '' || file.endsWith('/') ? `${file}index.html` : file
        const full = path.resolve(dir, relative)
        if (!full.startsWith(dir + path.sep) || !existsSync(full) || !statSync(full).isFile()) {
            return sendMessage(reply, 404, `File not found: ${relative}`)
        }
        if (full.endsWith('.html')) {
            const html = readFileSync(full, 'utf8').replaceAll('__DHIS2_BASE_URL__', baseUrl())
            return reply.header('content-type', 'text/html; charset=utf-8').send(html)
        }
        return reply.header('content-type', contentTypeOf(full)).send(createReadStream(full))
    }

    const appRoute = async (request: FastifyRequest, reply: FastifyReply) => {
        const { key, '*': file = '' } = request.params as { key: string; '*'?: string }
        if (key !== 'login') {
            const user = request.user as User
            if (!hasAuthority(user, 'M_dhis-web-app-management', appAuthority(key))) {
                return sendMessage(reply, 403, `You do not have access to app ${key}`)
            }
        }
        return serve(reply, key, file, key)
    }
    app.get('/api/apps/:key', async (request, reply) =>
        reply.redirect(`/api/apps/${(request.params as { key: string }).key}/`)
    )
    app.get('/api/apps/:key/*', appRoute)

    // The login app: a custom login app is the installed app named `login`.
    app.get('/dhis-web-login', async (_request, reply) => reply.redirect('/dhis-web-login/'))
    app.get('/dhis-web-login/*', async (request, reply) =>
        serve(
            reply,
            'login',
            (request.params as { '*'?: string })['*'] ?? '',
            'The login app (patient-app)'
        )
    )
    app.get('/', async (request, reply) => {
        const user = request.user
        if (!user) return reply.redirect('/dhis-web-login/')
        const first = (await catalogue.staffApps()).find((a) =>
            hasAuthority(user, 'M_dhis-web-app-management', appAuthority(a.key))
        )
        return reply.redirect(first ? `/api/apps/${first.key}/` : '/api/apps/menu')
    })
}
