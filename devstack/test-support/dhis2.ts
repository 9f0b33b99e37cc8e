import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const PASSWORDS = {
    admin: 'district',
    midwife: 'Anc#2026dev',
    doctor: 'Anc#2026dev',
} as const

export function basic(username: string, password: string): string {
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
}

export const ADMIN = basic('admin', PASSWORDS.admin)
export const MIDWIFE = basic('midwife', PASSWORDS.midwife)
export const DOCTOR = basic('doctor', PASSWORDS.doctor)

const REPO_ROOT = path.resolve(__dirname, '../..')
const MAIN = path.join(REPO_ROOT, 'devstack/src/dhis2/main.ts')

export interface SpawnedDhis2 {
    url: string
    child: ChildProcess
    /** Graceful stop (SIGTERM). */
    stop(): Promise<void>
    /** SIGKILL: no chance to flush anything. */
    kill(): Promise<void>
}

/**
 * Runs the stand-in as its own process (`node --import tsx main.ts`), the way `npm start` does.
 * One process, not the tsx CLI (which runs the script in a grandchild): a SIGKILL must reach the
 * server itself, or a crash test kills only the wrapper and the server lives on. Tests cannot
 * host it in-process: PGlite loads Node built-ins with dynamic import(), which Jest's VM refuses
 * without --experimental-vm-modules.
 */
export function spawnDhis2(
    dataRoot: string,
    env: Record<string, string> = {}
): Promise<SpawnedDhis2> {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        env: { ...process.env, DHIS2_PORT: '0', ANC_DATA_DIR: dataRoot, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    return new Promise((resolve, reject) => {
        let output = ''
        const onData = (chunk: Buffer) => {
            output += chunk.toString()
            const match = /listening on (http:\/\/\S+)/.exec(output)
            if (match?.[1]) {
                child.stdout?.off('data', onData)
                clearTimeout(timer)
                resolve({
                    url: match[1],
                    child,
                    stop: async () => {
                        if (child.exitCode === null) child.kill('SIGTERM')
                        await exited
                    },
                    kill: async () => {
                        if (child.exitCode === null) child.kill('SIGKILL')
                        await exited
                    },
                })
            }
        }
        child.stdout?.on('data', onData)
        child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
        child.once('exit', (code) =>
            reject(new Error(`DHIS2 stand-in exited (${code}):\n${output}`))
        )
        const timer = setTimeout(() => {
            child.kill('SIGKILL')
            reject(new Error(`DHIS2 stand-in did not start in time:\n${output}`))
        }, 45_000)
    })
}

export function tempDataRoot(): { dir: string; remove(): void } {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'anc-dhis2-test-'))
    return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Logs in through /api/auth/login and returns the `JSESSIONID=...` cookie pair. */
export async function sessionCookie(
    url: string,
    username: string,
    password: string
): Promise<string> {
    const response = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
    })
    const cookie = response.headers.get('set-cookie') ?? ''
    if (!cookie.startsWith('JSESSIONID='))
        throw new Error(`login failed for ${username}: ${response.status}`)
    return cookie.split(';')[0] as string
}
