import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** Debian's Chromium (installed by scripts/ensure-chromium.mjs); Playwright downloads no browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// Flags that work on these machines (toolchain.md §6): without the background-networking ones,
// Chromium floods the closed network with connections that are refused.
const FLAGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
]

export async function launchChromium(): Promise<Browser> {
    if (!existsSync(CHROMIUM_PATH)) {
        throw new Error(
            `Chromium not found at ${CHROMIUM_PATH}: run \`node scripts/ensure-chromium.mjs\` (apt-get install chromium) or set CHROMIUM_PATH.`
        )
    }
    return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS })
}
