import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { contentTypeOf } from '../../devstack/src/dhis2/content-type'

/**
 * A minimal same-origin host for the built apps, for smoke tests that must not depend on the
 * DHIS2 stand-in: it serves each build under /api/apps/<name>/ (as DHIS2 does, so the apps'
 * default base URL `../../..` resolves to this origin) and answers the start-up requests the app
 * shell and the header bar make (toolchain.md §5) with DHIS2 2.41 shapes.
 */
export interface AppServerOptions {
    /** app short name (URL slug) -> build/app directory */
    apps: Record<string, string>
    /** DHIS2 UI locale the signed-in user (and the login page) uses */
    uiLocale?: string
}

export interface AppServer {
    url: string
    /** every request path the browser made, in order */
    requests: string[]
    close(): Promise<void>
}

function json(res: ServerResponse, status: number, body: unknown) {
    // app-runtime parses only an exact `application/json` content type.
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(body))
}

function apiResponse(
    pathname: string,
    uiLocale: string,
    origin: string,
    apps: string[]
): [number, unknown] {
    const route = pathname.replace(/^\/api\/(\d+\/)?/, '')
    const me = {
        id: 'smokeUser01',
        username: 'smoke',
        name: 'Smoke Test',
        displayName: 'Smoke Test',
        email: 'smoke@example.org',
        authorities: ['ALL'],
        settings: { keyUiLocale: uiLocale },
        organisationUnits: [],
    }
    switch (route) {
        case 'system/info':
            return [
                200,
                {
                    version: '2.41.4',
                    revision: 'smoke',
                    contextPath: origin,
                    systemName: 'Smoke',
                    serverTimeZoneId: 'UTC',
                },
            ]
        case 'me':
            return [200, me]
        case 'userSettings':
            return [200, { keyUiLocale: uiLocale, keyDbLocale: uiLocale }]
        case 'systemSettings/applicationTitle':
            return [200, { applicationTitle: 'ANC smoke' }]
        case 'systemSettings/helpPageLink':
            return [200, { helpPageLink: '' }]
        case 'me/dashboard':
            return [200, { unreadInterpretations: 0, unreadMessageConversations: 0 }]
        case 'loginConfig':
            return [
                200,
                { applicationTitle: 'ANC smoke', apiVersion: '2.41', uiLocale, oidcProviders: [] },
            ]
        case 'apps/menu':
            return [
                200,
                {
                    modules: apps.map((name) => ({
                        name,
                        namespace: name,
                        displayName: name,
                        description: '',
                        defaultAction: `${origin}/api/apps/${name}/index.html`,
                        icon: `${origin}/api/apps/${name}/dhis2-app-icon.png`,
                    })),
                },
            ]
        default:
            return [
                404,
                {
                    httpStatus: 'Not Found',
                    httpStatusCode: 404,
                    status: 'ERROR',
                    message: `No ${route} here`,
                },
            ]
    }
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
    const requests: string[] = []
    const uiLocale = options.uiLocale ?? 'en'
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const url = new URL(req.url ?? '/', 'http://localhost')
        requests.push(url.pathname)
        const origin = `http://${req.headers.host}`
        const appMatch = /^\/api\/apps\/([^/]+)(\/.*)?$/.exec(url.pathname)
        if (appMatch && appMatch[1] && options.apps[appMatch[1]]) {
            const base = options.apps[appMatch[1]] as string
            const relative = decodeURIComponent(appMatch[2] ?? '/')
            const file = path.join(
                base,
                relative.endsWith('/') ? `${relative}index.html` : relative
            )
            if (!file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) {
                res.writeHead(404).end()
                return
            }
            res.writeHead(200, { 'Content-Type': contentTypeOf(file) })
            createReadStream(file).pipe(res)
            return
        }
        if (url.pathname === '/dhis-web-commons/menu/getModules.action') {
            json(
                res,
                200,
                apiResponse('/api/apps/menu', uiLocale, origin, Object.keys(options.apps))[1]
            )
            return
        }
        if (url.pathname === '/api/ping') {
            res.writeHead(200, { 'Content-Type': 'text/plain' }).end('pong')
            return
        }
        if (url.pathname.startsWith('/api/')) {
            const [status, body] = apiResponse(
                url.pathname,
                uiLocale,
                origin,
                Object.keys(options.apps)
            )
            json(res, status, body)
            return
        }
        res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    return {
        url: `http://localhost:${port}`,
        requests,
        close: () =>
            new Promise((resolve) => {
                // Chromium keeps connections alive; close them or close() waits for their timeout.
                server.closeAllConnections()
                server.close(() => resolve())
            }),
    }
}
