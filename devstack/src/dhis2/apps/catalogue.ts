import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Db } from '../db'

export interface AppsOptions {
    /** Where POST /api/apps unpacks installed apps. */
    installDir: string
    /** Built apps from this checkout: key -> build/app directory. Installed apps win. */
    builtApps: Record<string, string>
}

export interface InstalledApp {
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

/** The apps the stand-in knows: installed through `POST /api/apps`, or built in this checkout. */
export interface AppCatalogue {
    /** Apps installed through `POST /api/apps`, by key. */
    installed(): Promise<InstalledApp[]>
    /** The directory an app is served from: the installed one, else the build; undefined if none. */
    appDir(key: string): string | undefined
    /** The staff apps (built or installed; not the login app), installed ones winning. */
    staffApps(): Promise<InstalledApp[]>
}

export function appCatalogue(db: Db, options: AppsOptions): AppCatalogue {
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
    return { installed, appDir, staffApps }
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
