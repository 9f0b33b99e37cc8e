import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import AdmZip from 'adm-zip'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasAuthority, type User } from './auth'
import { contentTypeOf } from './content-type'
import type { Db } from './db'
import { sendJson, sendMessage } from './util'

export interface AppsOptions {
    /** Where POST /api/apps unpacks installed apps. */
    installDir: string
    /** Built apps from this checkout: key -> build/app directory. Installed apps win. */
    builtApps: Record<string, string>
    baseUrl: () => string
}

interface InstalledApp {
    key: string
    name: string
    version: string
    title: string
    description: string
}

/** DHIS2's app key: the name with characters outside [A-Za-z0-9 -] removed, spaces as dashes. */
export function appKey(name: string): string {
    return name.replace(/[^A-Za-z0-9 -]/g, '').replace(/ /g, '-')
}

/** M_<name without non-alphanumerics>, e.g. anc-registration -> M_ancregistration. */
export function appAuthority(key: string): string {
    return `M_${key.replace(/[^A-Za-z0-9]/g, '')}`
}

function readManifest(dir: string): Record<string, unknown> | undefined {
    for (const file of ['manifest.webapp', 'manifest.json']) {
        const p = path.join(dir, file)
        if (existsSync(p)) {
            try {
                return JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>
            } catch {
                return undefined
            }
        }
    }
    return undefined
}

export function registerApps(app: FastifyInstance, db: Db, options: AppsOptions): void {
    const installed = async (): Promise<InstalledApp[]> => {
        const { rows } = await db.query<{ data: InstalledApp }>(
            'select data from apps order by key'
        )
        return rows.map((r) => r.data)
    }
    const appDir = (key: string): string | undefined => {
        const dir = path.join(options.installDir, key)
        if (existsSync(path.join(dir, 'index.html'))) return dir
        const built = options.builtApps[key]
        return built && existsSync(path.join(built, 'index.html')) ? built : undefined
    }
    const staffApps = async (): Promise<InstalledApp[]> => {
        const byKey = new Map<string, InstalledApp>()
        for (const [key, dir] of Object.entries(options.builtApps)) {
            if (key === 'login') continue
            const manifest = readManifest(dir) ?? {}
            byKey.set(key, {
                key,
                name: key,
                version: String(manifest.version ?? '0.0.0'),
                title: String(manifest.name ?? key),
                description: String(manifest.description ?? ''),
            })
        }
        for (const a of await installed()) if (a.key !== 'login') byKey.set(a.key, a)
        return [...byKey.values()]
    }

    /** Serves a file of an app, with DHIS2's base-URL placeholder filled in HTML. */
    const serve = (reply: FastifyReply, key: string, file: string, label: string) => {
        const dir = appDir(key)
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
            const html = readFileSync(full, 'utf8').replaceAll(
                '__DHIS2_BASE_URL__',
                options.baseUrl()
            )
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
        const first = (await staffApps()).find((a) =>
            hasAuthority(user, 'M_dhis-web-app-management', appAuthority(a.key))
        )
        return reply.redirect(first ? `/api/apps/${first.key}/` : '/api/apps/menu')
    })

    const modules = async (request: FastifyRequest) =>
        (await staffApps())
            .filter((a) =>
                hasAuthority(request.user, 'M_dhis-web-app-management', appAuthority(a.key))
            )
            .map((a) => ({
                name: a.key,
                namespace: a.key,
                defaultAction: `${options.baseUrl()}/api/apps/${a.key}/index.html`,
                displayName: a.title,
                icon: `${options.baseUrl()}/api/apps/${a.key}/dhis2-app-icon.png`,
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
            (await installed()).map((a) => ({
                key: a.key,
                name: a.title,
                short_name: a.key,
                version: a.version,
                description: a.description,
                appType: a.key === 'login' ? 'LOGIN_APP' : 'APP',
                appStorageSource: 'APPS',
                bundled: false,
                baseUrl: `${options.baseUrl()}/api/apps/${a.key}`,
                launchUrl: `${options.baseUrl()}/api/apps/${a.key}/index.html`,
            }))
        )
    )

    app.post('/api/apps', async (request, reply) => {
        if (!hasAuthority(request.user, 'M_dhis-web-app-management')) {
            return sendMessage(reply, 403, 'You do not have the authority to install apps.')
        }
        const file = await request.file()
        if (!file)
            return sendMessage(reply, 400, 'Multipart field `file` with the app zip is required')
        const zip = new AdmZip(await file.toBuffer())
        const entry = zip.getEntry('manifest.webapp') ?? zip.getEntry('manifest.json')
        if (!entry) return sendMessage(reply, 400, 'App zip has no manifest.webapp')
        let manifest: Record<string, unknown>
        try {
            manifest = JSON.parse(entry.getData().toString('utf8')) as Record<string, unknown>
        } catch {
            return sendMessage(reply, 400, 'App manifest is not valid JSON')
        }
        const name = String(manifest.short_name ?? manifest.name ?? '')
        const key = appKey(name)
        if (key === '') return sendMessage(reply, 400, 'App manifest has no name')
        const dir = path.join(options.installDir, key)
        rmSync(dir, { recursive: true, force: true })
        mkdirSync(dir, { recursive: true })
        for (const e of zip.getEntries()) {
            const target = path.resolve(dir, e.entryName)
            // Zip slip: never write outside the app's directory.
            if (!target.startsWith(dir + path.sep))
                return sendMessage(reply, 400, `Illegal path in zip: ${e.entryName}`)
        }
        zip.extractAllTo(dir, true)
        const data: InstalledApp = {
            key,
            name,
            version: String(manifest.version ?? '0.0.0'),
            title: String(manifest.name ?? name),
            description: String(manifest.description ?? ''),
        }
        await db.query(
            'insert into apps (key, data) values ($1, $2) on conflict (key) do update set data = excluded.data',
            [key, JSON.stringify(data)]
        )
        return reply.code(204).send()
    })
}
