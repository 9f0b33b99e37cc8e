import type { FastifyInstance, FastifyRequest } from 'fastify'
import { hasAuthority, type User } from './auth'
import type { Db } from './db'
import { type MetadataCache, sequenceName } from './metadata'
import { applyFields, firstOf, parseFields, sendJson, sendMessage } from './util'

export const DHIS2_VERSION = '2.41.4'
export const API_VERSION = 41

export interface SystemOptions {
    applicationTitle: string
    /** Public base URL (scheme, host, port) DHIS2 believes it has. */
    baseUrl: () => string
}

const SYSTEM_SETTINGS = (title: string): Record<string, unknown> => ({
    applicationTitle: title,
    helpPageLink: 'https://docs.dhis2.org/en/use/user-guides/dhis-core-version-241/',
    keyUiLocale: 'en',
    keyDbLocale: 'en',
    keyStyle: 'light_blue/light_blue.css',
    keyAllowObjectAssignment: false,
    keyRequireAddToView: false,
    globalShellEnabled: false,
    keyUseCustomLogoFront: false,
    keyUseCustomLogoBanner: false,
})

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

export function registerSystem(
    app: FastifyInstance,
    db: Db,
    cache: MetadataCache,
    options: SystemOptions
): void {
    const settings = SYSTEM_SETTINGS(options.applicationTitle)

    app.get('/api/system/info', async (_request, reply) =>
        sendJson(reply, {
            contextPath: options.baseUrl(),
            userAgent: 'ANC DHIS2 stand-in',
            calendar: 'iso8601',
            dateFormat: 'yyyy-mm-dd',
            serverDate: new Date().toISOString(),
            serverTimeZoneId: 'Etc/UTC',
            version: DHIS2_VERSION,
            revision: 'standin',
            buildTime: '2026-01-01T00:00:00.000',
            systemName: options.applicationTitle,
            systemId: 'anc-standin',
            instanceBaseUrl: options.baseUrl(),
            emailConfigured: false,
            redisEnabled: false,
            isMetadataVersionEnabled: false,
        })
    )
    app.get('/api/ping', async (_request, reply) =>
        reply.header('content-type', 'text/plain').send('pong')
    )
    app.get('/api/system/ping', async (_request, reply) =>
        reply.header('content-type', 'text/plain').send('pong')
    )

    app.get('/api/loginConfig', async (_request, reply) =>
        sendJson(reply, {
            applicationTitle: options.applicationTitle,
            applicationDescription: 'Antenatal care with national-ID verification',
            applicationNotification: '',
            applicationLeftSideFooter: '',
            applicationRightSideFooter: '',
            countryFlag: '',
            uiLocale: 'en',
            loginPageLogo: '',
            loginPopup: '',
            loginPageLayout: 'DEFAULT',
            loginPageTemplate: '',
            useCustomLogoFront: false,
            allowAccountRecovery: false,
            selfRegistrationEnabled: false,
            selfRegistrationNoRecaptcha: false,
            emailConfigured: false,
            minPasswordLength: '8',
            maxPasswordLength: '72',
            recaptchaSite: '',
            apiVersion: DHIS2_VERSION,
            oidcProviders: [
                {
                    id: 'esignet',
                    icon: '',
                    iconPadding: '0px',
                    loginText: 'Sign in with National ID',
                    url: '/oauth2/authorization/esignet',
                },
            ],
        })
    )
    app.get('/api/locales/ui', async (_request, reply) =>
        sendJson(reply, [
            { locale: 'en', name: 'English', displayName: 'English' },
            { locale: 'si', name: 'සිංහල', displayName: 'Sinhala' },
            { locale: 'ta', name: 'தமிழ்', displayName: 'Tamil' },
        ])
    )

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
    app.get('/api/systemSettings', async (_request, reply) => sendJson(reply, settings))
    app.get('/api/systemSettings/:key', async (request, reply) => {
        const key = (request.params as { key: string }).key
        return sendJson(reply, key in settings ? { [key]: settings[key] } : {})
    })
    // No custom logo: the header bar falls back to the DHIS2 logo on 404.
    app.get('/api/staticContent/:key', async (request, reply) =>
        sendMessage(
            reply,
            404,
            `No custom file found for key ${(request.params as { key: string }).key}`
        )
    )

    // ---- TextPattern generation -------------------------------------------------------------
    app.get('/api/trackedEntityAttributes/:id/generate', async (request, reply) => {
        const { id } = request.params as { id: string }
        const attribute = cache.get('trackedEntityAttributes', id)
        if (!attribute)
            return sendMessage(
                reply,
                404,
                `TrackedEntityAttribute with id ${id} could not be found.`
            )
        const pattern = typeof attribute.pattern === 'string' ? attribute.pattern : ''
        if (attribute.generated !== true || pattern === '') {
            return sendMessage(reply, 409, `Attribute ${id} is not generated, or has no pattern.`)
        }
        const expirationDays = Number(
            firstOf((request.query as Record<string, unknown>).expiration) ?? 3
        )
        const value = await generateValue(db, id, pattern, expirationDays)
        return sendJson(reply, {
            ownerObject: 'TRACKEDENTITYATTRIBUTE',
            ownerUid: id,
            key: pattern,
            value: value.value,
            created: value.created,
            expiryDate: value.expiryDate,
        })
    })
    app.get('/api/trackedEntityAttributes/:id/requiredValues', async (request, reply) => {
        const attribute = cache.get(
            'trackedEntityAttributes',
            (request.params as { id: string }).id
        )
        if (!attribute) return sendMessage(reply, 404, 'TrackedEntityAttribute could not be found.')
        return sendJson(reply, { REQUIRED: [], OPTIONAL: [] })
    })
}

/**
 * Renders a TextPattern of quoted text and SEQUENTIAL(###) segments joined by `+`. The number
 * comes from a PostgreSQL sequence, so concurrent calls can never get the same value, and the
 * issued value is recorded as reserved.
 */
export async function generateValue(
    db: Db,
    attributeId: string,
    pattern: string,
    expirationDays: number
): Promise<{ value: string; created: string; expiryDate: string }> {
    const segments = pattern.split('+').map((s) => s.trim())
    const { rows } = await db.query<{ n: string; created: Date; expiry: Date }>(
        `select nextval('"${sequenceName(attributeId)}"')::text as n, now() as created,
                now() + make_interval(days => $1) as expiry`,
        [Math.max(1, Math.min(expirationDays, 60))]
    )
    const row = rows[0]
    if (!row) throw new Error('sequence returned nothing')
    let value = ''
    for (const segment of segments) {
        const sequential = /^SEQUENTIAL\((#+)\)$/.exec(segment)
        const text = /^"(.*)"$/.exec(segment)
        if (sequential?.[1]) value += row.n.padStart(sequential[1].length, '0')
        else if (text) value += text[1]
        else throw new Error(`TextPattern segment not supported by the stand-in: ${segment}`)
    }
    await db.query(
        'insert into generated_values (attribute, value, expiry_date) values ($1, $2, $3)',
        [attributeId, value, row.expiry]
    )
    return { value, created: row.created.toISOString(), expiryDate: row.expiry.toISOString() }
}
