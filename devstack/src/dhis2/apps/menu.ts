import type { FastifyInstance, FastifyRequest } from 'fastify'
import { hasAuthority } from '../auth'
import type { Dhis2Context } from '../context'
import { sendJson } from '../util'
import { type AppCatalogue, appAuthority } from './catalogue'

/**
 * The app lists: the header bar's menu (`/api/apps/menu`, `getModules.action`: the staff apps
 * the user may open) and App Management's `GET /api/apps` (the installed apps).
 */
export function registerAppMenu(
    app: FastifyInstance,
    { baseUrl }: Dhis2Context,
    catalogue: AppCatalogue
): void {
    const modules = async (request: FastifyRequest) =>
        (await catalogue.staffApps())
            .filter((a) =>
                hasAuthority(request.user, 'M_dhis-web-app-management', appAuthority(a.key))
            )
            .map((a) => ({
                name: a.key,
                namespace: a.key,
                defaultAction: `${baseUrl()}/api/apps/${a.key}/index.html`,
                displayName: a.title,
                icon: `${baseUrl()}/api/apps/${a.key}/dhis2-app-icon.png`,
                description: a.description,
            }))
    app.get('/api/apps/menu', async (request, reply) =>
        sendJson(reply, { modules: await modules(request) })
    )
    app.get('/dhis-web-commons/menu/getModules.action', async (request, reply) =>
        sendJson(reply, { modules: await modules(request) })
    )

    app.get('/api/apps', async (_request, reply) =>
        sendJson(
            reply,
            (await catalogue.installed()).map((a) => ({
                key: a.key,
                name: a.title,
                short_name: a.key,
                version: a.version,
                description: a.description,
                appType: a.key === 'login' ? 'LOGIN_APP' : 'APP',
                appStorageSource: 'APPS',
                bundled: false,
                baseUrl: `${baseUrl()}/api/apps/${a.key}`,
                launchUrl: `${baseUrl()}/api/apps/${a.key}/index.html`,
            }))
        )
    )
}
