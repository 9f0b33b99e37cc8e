import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { dataDir } from '../common/data-dir'
import { explainListenError } from '../common/ports'
import {
    ACR,
    DEV_KEYS_DIR,
    PATHS,
    defaultClients,
    discoveryDocument,
    readJwk,
    type EsignetClient,
    type EsignetOptions,
} from './config'
import { applyClockOffset } from './clock'
import { FileStore } from './file-store'
import { IdentityStore } from './identities'
import { interactionHandler } from './interactions'
import { esignetProfile } from './profile'
import { createProvider } from './provider'
import { UserinfoRenderer } from './userinfo'
import { errorPage, PAGE_CSP } from './views'

export interface EsignetServer {
    /** Base URL (discovery `issuer`), e.g. http://localhost:8088 */
    url: string
    port: number
    /** `iss` of id_tokens and userinfo (`<url>/v1/esignet` with the legacy issuer quirk) */
    tokenIssuer: string
    close(): Promise<void>
}

/** Cookie signing keys, generated once per data directory so sessions survive restarts. */
function cookieKeys(dir: string): string[] {
    const file = path.join(dir, 'cookie-keys.json')
    if (existsSync(file)) {
        return JSON.parse(readFileSync(file, 'utf8')) as string[]
    }
    const keys = [randomBytes(32).toString('base64url')]
    writeFileSync(file, JSON.stringify(keys), { mode: 0o600 })
    return keys
}

function registrations(options: EsignetOptions): EsignetClient[] {
    const clients = [...(options.clients ?? defaultClients()), ...(options.extraClients ?? [])]
    for (const [clientId, uris] of Object.entries(options.extraRedirectUris ?? {})) {
        const client = clients.find((candidate) => candidate.clientId === clientId)
        if (!client) {
            throw new Error(`extra redirect URIs given for unknown eSignet client ${clientId}`)
        }
        client.redirectUris = [...new Set([...client.redirectUris, ...uris])]
    }
    for (const client of clients) {
        for (const uri of client.redirectUris) {
            // eSignet <= 1.6 appends "?state=..." by concatenation: a query or fragment breaks it.
            if (uri.includes('?') || uri.includes('#')) {
                throw new Error(
                    `redirect URI of ${client.clientId} must have no query or fragment: ${uri}`
                )
            }
        }
    }
    return clients
}

function listen(
    server: ReturnType<typeof createServer>,
    port: number,
    host: string | undefined
): Promise<number> {
    return new Promise((resolve, reject) => {
        const onError = (error: unknown): void => reject(explainListenError('esignet', port, error))
        server.once('error', onError)
        server.listen(port, host, () => {
            server.off('error', onError)
            resolve((server.address() as AddressInfo).port)
        })
    })
}

/**
 * Starts the eSignet stand-in: an OpenID provider shaped like MOSIP eSignet 1.6 with the mock
 * identity system behind it. Resolves once it accepts connections.
 */
export async function startEsignet(options: EsignetOptions = {}): Promise<EsignetServer> {
    // First: a version the stand-in does not model stops it before it listens.
    const profile = esignetProfile(options)
    const clients = registrations(options)
    if (options.clockOffsetSeconds) {
        applyClockOffset(options.clockOffsetSeconds)
    }
    const identities = IdentityStore.fromFile(options.identitiesFile)
    const dir = options.dataDir ?? dataDir('esignet')
    mkdirSync(dir, { recursive: true })
    let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
        res.statusCode = 503
        res.end()
    }
    const server = createServer((req, res) => handler(req, res))
    // The issuer must be known before the provider exists, and port 0 is only known after listen.
    const port = await listen(server, options.port ?? 0, options.host)
    let store: FileStore
    try {
        store = await FileStore.open(dir)
    } catch (error) {
        server.close()
        throw error
    }
    const baseUrl = (options.baseUrl ?? `http://localhost:${port}`).replace(/\/+$/, '')
    const tokenIssuer = profile.legacyIssuer ? `${baseUrl}/v1/esignet` : baseUrl
    const signingKey =
        options.signingKey ??
        readJwk(path.join(DEV_KEYS_DIR, 'esignet-provider.private.dev.jwk.json'))
    const provider = createProvider({
        baseUrl,
        issuer: tokenIssuer,
        clients,
        signingKey,
        cookieKeys: cookieKeys(dir),
        store,
        identities,
        profile,
        userinfo: await UserinfoRenderer.create({
            profile,
            baseUrl,
            esignetKey: signingKey,
            identitySystemKey:
                options.identitySystemKey ??
                readJwk(path.join(DEV_KEYS_DIR, 'mock-identity-system.private.dev.jwk.json')),
            clients,
        }),
    })
    provider.proxy = true
    const acrValues = Object.values(ACR)
    const discovery = JSON.stringify(discoveryDocument(baseUrl, acrValues, profile))
    const interactions = interactionHandler({
        provider,
        store,
        identities,
        otp: options.otp ?? '111111',
        profile,
    })
    const oidc = provider.callback()

    handler = (req, res) => {
        const url = new URL(req.url ?? '/', 'http://stand-in')
        const pathname = url.pathname
        const fail = (error: unknown): void => {
            console.error('[esignet]', error)
            if (!res.headersSent) {
                res.statusCode = 500
                res.setHeader('Content-Type', 'text/html; charset=utf-8')
                res.setHeader('Content-Security-Policy', PAGE_CSP)
                res.end(errorPage('unknown_error', 'The sign-in service failed.'))
            } else {
                res.destroy()
            }
        }
        if (!options.quiet) {
            res.on('finish', () =>
                console.log(`[esignet] ${req.method} ${pathname} ${res.statusCode}`)
            )
        }
        if (pathname === PATHS.discovery || pathname === PATHS.discoveryEsignet) {
            res.setHeader('Content-Type', 'application/json')
            res.setHeader('Access-Control-Allow-Origin', '*')
            res.end(discovery)
            return
        }
        if (pathname === PATHS.jwks) {
            // eSignet's nginx serves the root JWKS as an alias of the /v1/esignet/oauth copy.
            req.url = PATHS.jwksEsignet + url.search
        } else if (pathname === '/.well-known/oauth-authorization-server') {
            res.statusCode = 404
            res.end()
            return
        } else if (pathname === PATHS.authorize && !claimsReadable(url)) {
            // eSignet's sign-in page runs decodeURI over the decoded `claims` parameter before
            // JSON.parse (oidc-ui Authorize.js, v1.4.1-v1.8.0): a stray `%` fails there.
            res.statusCode = 400
            res.setHeader('Content-Type', 'text/html; charset=utf-8')
            res.setHeader('Content-Security-Policy', PAGE_CSP)
            res.end(errorPage('parsing_error_msg', 'The request could not be read.'))
            return
        } else if (pathname.startsWith(`${PATHS.interaction}/`)) {
            interactions(req, res, pathname).catch(fail)
            return
        } else if (pathname === PATHS.token || pathname === PATHS.userinfo) {
            // No CORS on token or userinfo: a browser preflight is refused without any CORS header,
            // and other requests are served as if same-origin (the browser then cannot read them),
            // as eSignet's Spring service does without a CORS configuration.
            if (req.method === 'OPTIONS') {
                res.statusCode = 403
                res.end()
                return
            }
            delete req.headers.origin
        }
        Promise.resolve(oidc(req, res)).catch(fail)
    }

    return {
        url: baseUrl,
        port,
        tokenIssuer,
        close: async () => {
            await new Promise<void>((resolve) => {
                server.close(() => resolve())
                server.closeAllConnections()
            })
            await store.close()
        },
    }
}

/**
 * Whether eSignet's UI can read the `claims` parameter: `JSON.parse(decodeURI(claims))`. A `%`
 * that is not an escape throws (eSignet shows its error page); one that is (e.g. `%20`) is
 * silently decoded a second time there.
 */
function claimsReadable(url: URL): boolean {
    const claims = url.searchParams.get('claims')
    if (claims === null) {
        return true
    }
    try {
        JSON.parse(decodeURI(claims))
    } catch {
        return false
    }
    return true
}
