import { mkdirSync } from 'node:fs'
import path from 'node:path'

/**
 * All local-stack data lives under one directory (default `<repo>/.data`, or ANC_DATA_DIR),
 * one sub-directory per service, so `npm run reset` can wipe it in one place.
 */
export function dataDir(service: string, env: NodeJS.ProcessEnv = process.env): string {
    const root = env.ANC_DATA_DIR ?? path.resolve(__dirname, '../../../.data')
    const dir = path.join(root, service)
    mkdirSync(dir, { recursive: true })
    return dir
}
