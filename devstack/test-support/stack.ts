import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { launchStack, type LaunchedStack } from '../src/stack/launch'

export type { LaunchedStack }

/** A loopback port free at the time of asking (the system picks it). */
export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer()
        server.unref()
        server.on('error', reject)
        server.listen(0, '127.0.0.1', () => {
            const address = server.address()
            const port = typeof address === 'object' && address ? address.port : 0
            server.close(() => resolve(port))
        })
    })
}

/**
 * The whole stack for a test: free ports, a fresh temporary data directory (seeded on start),
 * removed again by close().
 */
export async function launchTestStack(): Promise<LaunchedStack> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'anc-stack-'))
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        ANC_DATA_DIR: dataDir,
        DHIS2_PORT: String(await freePort()),
        ESIGNET_PORT: String(await freePort()),
        FHIR_PORT: String(await freePort()),
        RELAY_PORT: String(await freePort()),
        RELAY_LOG_LEVEL: 'warn',
    }
    const stack = await launchStack({ env })
    return {
        ...stack,
        close: async () => {
            await stack.close()
            rmSync(dataDir, { recursive: true, force: true })
        },
    }
}
