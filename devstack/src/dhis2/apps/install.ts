import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import AdmZip from 'adm-zip'
import type { FastifyInstance } from 'fastify'
import { hasAuthority } from '../auth'
import type { Dhis2Context } from '../context'
import { sendMessage } from '../util'
import { appKey, type AppsOptions, type InstalledApp } from './catalogue'

/**
 * `POST /api/apps`: installs an app zip (multipart field `file`) under its key, replacing an
 * earlier install; needs `M_dhis-web-app-management`. A zip entry outside the app's directory
 * (zip slip) refuses the whole zip.
 */
export function registerAppInstall(
    app: FastifyInstance,
    { db }: Dhis2Context,
    options: AppsOptions
): void {
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
