import type { FastifyInstance, FastifyRequest } from 'fastify'
import { hasAuthority, type User } from './auth'
import type { Dhis2Context } from './context'
import { applyFields, firstOf, parseFields, sendJson } from './util'

const USER_SETTINGS = {
    keyUiLocale: 'en',
    keyDbLocale: 'en',
    keyStyle: 'light_blue/light_blue.css',
    keyAnalysisDisplayProperty: 'name',
    keyMessageEmailNotification: false,
    keyMessageSmsNotification: false,
}

function meOf(user: User): Record<string, unknown> {
    const name = `${user.firstName} ${user.surname}`.trim()
    return {
        id: user.id,
        username: user.username,
        firstName: user.firstName,
        surname: user.surname,
        name,
        displayName: name,
        email: user.email,
        openId: user.openId,
        externalAuth: user.externalAuth,
        settings: USER_SETTINGS,
        authorities: user.authorities,
        organisationUnits: user.organisationUnits.map((id) => ({ id })),
        dataViewOrganisationUnits: user.organisationUnits.map((id) => ({ id })),
        teiSearchOrganisationUnits: user.teiSearchOrganisationUnits.map((id) => ({ id })),
        userRoles: user.userRoles.map((id) => ({ id })),
        userGroups: [],
        programs: [],
        dataSets: [],
        access: {
            read: true,
            update: true,
            externalize: false,
            delete: false,
            write: true,
            manage: false,
        },
        userCredentials: {
            username: user.username,
            userRoles: user.userRoles.map((id) => ({ id })),
            openId: user.openId,
        },
    }
}

/** The signed-in user: `/api/me` (with `fields`), its authorities, dashboard and settings. */
export function registerMe(app: FastifyInstance, { cache }: Dhis2Context): void {
    const me = async (request: FastifyRequest) => {
        const fields = parseFields(firstOf((request.query as Record<string, unknown>).fields))
        return applyFields(meOf(request.user as User), fields, cache.resolve)
    }
    app.get('/api/me', async (request, reply) => sendJson(reply, await me(request)))
    app.get('/api/me/authorization', async (request, reply) =>
        sendJson(reply, request.user?.authorities ?? [])
    )
    app.get('/api/me/authorization/:authority', async (request, reply) =>
        sendJson(
            reply,
            hasAuthority(request.user, (request.params as { authority: string }).authority)
        )
    )
    app.get('/api/me/dashboard', async (_request, reply) =>
        sendJson(reply, { unreadInterpretations: 0, unreadMessageConversations: 0 })
    )
    app.get('/api/userSettings', async (_request, reply) => sendJson(reply, USER_SETTINGS))
    app.get('/api/userSettings/:key', async (request, reply) => {
        const key = (request.params as { key: string }).key
        return sendJson(reply, { [key]: (USER_SETTINGS as Record<string, unknown>)[key] ?? null })
    })
}
