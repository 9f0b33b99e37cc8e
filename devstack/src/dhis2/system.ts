import type { FastifyInstance } from 'fastify'
import type { Dhis2Context } from './context'
import { sendJson, sendMessage } from './util'

export interface SystemOptions {
    applicationTitle: string
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

/**
 * What the app shell and the login app read about the server before anything else: system
 * info (with the profile's version), ping, the login page's configuration, UI locales, system
 * settings and static content.
 */
export function registerSystem(
    app: FastifyInstance,
    { profile, baseUrl }: Dhis2Context,
    options: SystemOptions
): void {
    const settings = SYSTEM_SETTINGS(options.applicationTitle)

    app.get('/api/system/info', async (_request, reply) =>
        sendJson(reply, {
            contextPath: baseUrl(),
            userAgent: 'ANC DHIS2 stand-in',
            calendar: 'iso8601',
            dateFormat: 'yyyy-mm-dd',
            serverDate: new Date().toISOString(),
            serverTimeZoneId: 'Etc/UTC',
            version: profile.version.text,
            revision: 'standin',
            buildTime: '2026-01-01T00:00:00.000',
            systemName: options.applicationTitle,
            systemId: 'anc-standin',
            instanceBaseUrl: baseUrl(),
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
            apiVersion: profile.version.text,
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
}
