import type { FastifyInstance } from 'fastify'
import type { Dhis2Context } from '../context'
import { appCatalogue, type AppsOptions } from './catalogue'
import { registerAppInstall } from './install'
import { registerAppMenu } from './menu'
import { registerAppServing } from './serving'

/** DHIS2's apps: serving them, the menus, and installing a zip. */
export function registerApps(app: FastifyInstance, context: Dhis2Context, options: AppsOptions) {
    const catalogue = appCatalogue(context.db, options)
    registerAppServing(app, context, catalogue)
    registerAppMenu(app, context, catalogue)
    registerAppInstall(app, context, options)
}
