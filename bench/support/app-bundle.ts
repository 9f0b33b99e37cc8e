/**
 * Initial-JavaScript budgets: build a bare App Platform app with the same toolchain in the same
 * run, load a build in Chromium from a same-origin host (e2e/test-support/app-server.ts) and sum the
 * JavaScript fetched until the network is idle. Shared by the app benches.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { launchChromium } from '../../e2e/test-support/chromium'
import { startAppServer } from '../../e2e/test-support/app-server'

export const REPO = path.resolve(__dirname, '../..')

/** Runs a command to completion (CI=true), printing how long it took; throws on failure. */
export function run(command: string, args: string[], cwd: string): void {
    const started = Date.now()
    const result = spawnSync(command, args, {
        cwd,
        env: { ...process.env, CI: 'true' },
        stdio: 'pipe',
    })
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`)
    }
    console.log(`  ${args.join(' ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

export interface BareApp {
    /** the build/app directory */
    buildDir: string
    /** removes the generated project */
    remove(): void
}

/**
 * Builds an App Platform app whose whole UI is one heading, with the same platform settings as
 * ours (`viteConfigExtensions`), under bench/.bare-<name>/ (relative to the repo, as ours are).
 */
export function buildBareApp(options: {
    type: 'app' | 'login_app'
    name: string
    heading: string
}): BareApp {
    const dir = path.join(REPO, `bench/.bare-${options.name}`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(path.join(dir, 'src'), { recursive: true })
    writeFileSync(
        path.join(dir, 'package.json'),
        JSON.stringify({ name: `bare-${options.name}`, version: '0.0.0', private: true })
    )
    writeFileSync(
        path.join(dir, 'd2.config.js'),
        `module.exports = { type: '${options.type}', name: '${options.name}', title: 'Bare ${options.name}',
            entryPoints: { app: './src/App.jsx' }, viteConfigExtensions: '../../vite.shared.mjs' }\n`
    )
    writeFileSync(
        path.join(dir, 'src/App.jsx'),
        `import React from 'react'\nconst App = () => <h1>${options.heading}</h1>\nexport default App\n`
    )
    run('npx', ['d2-app-scripts', 'build'], dir)
    return {
        buildDir: path.join(dir, 'build/app'),
        remove: () => rmSync(dir, { recursive: true, force: true }),
    }
}

export interface LoadedJs {
    files: number
    raw: number
    gzip: number
    /**
     * Only the scripts requested before the first screen showed (`firstScreen` visible): what it
     * takes to paint it. The rest are chunks the app fetches ahead while idle, for the next step.
     */
    firstScreen: { files: number; gzip: number }
}

/**
 * Loads `/api/apps/<appName>/index.html<hash>` in Chromium and sums the JavaScript it fetched
 * until the network is idle and the first screen shows (the service worker is not counted).
 * `firstScreen` is a heading of that screen (default: any heading).
 */
export async function initialJs(
    buildDir: string,
    appName: string,
    hash = '',
    firstScreen?: string
): Promise<LoadedJs> {
    const server = await startAppServer({ apps: { [appName]: buildDir } })
    const browser = await launchChromium()
    try {
        const page = await browser.newPage()
        // When the first screen's heading enters the DOM, in the page's own clock: a poll from
        // here would see it late, after the app's idle-time fetches have started.
        await page.addInitScript((text: string | null) => {
            // No named inner functions: tsx would wrap them in a helper the page does not have.
            const w = window as unknown as { __firstScreenAt?: number }
            new MutationObserver((_records, observer) => {
                const headings = document.querySelectorAll('h1,h2,h3,[role="heading"]')
                if (
                    w.__firstScreenAt === undefined &&
                    [...headings].some((h) => text === null || h.textContent?.includes(text))
                ) {
                    w.__firstScreenAt = performance.now()
                    observer.disconnect()
                }
            }).observe(document, { childList: true, subtree: true, characterData: true })
        }, firstScreen ?? null)
        const scripts: { url: string; body: Promise<Buffer> }[] = []
        page.on('response', (response) => {
            const type = response.headers()['content-type'] ?? ''
            if (type.includes('javascript') && !response.url().endsWith('service-worker.js')) {
                scripts.push({ url: response.url(), body: response.body() })
            }
        })
        await page.goto(`${server.url}/api/apps/${appName}/index.html${hash}`)
        const heading = firstScreen
            ? page.getByRole('heading', { name: firstScreen })
            : page.getByRole('heading')
        await heading.first().waitFor()
        await page.waitForLoadState('networkidle')
        const requestedBefore = await page.evaluate(() => {
            const at = (window as unknown as { __firstScreenAt?: number }).__firstScreenAt
            return performance
                .getEntriesByType('resource')
                .filter((e) => at !== undefined && e.startTime <= at)
                .map((e) => e.name)
        })
        const firstScreenUrls = new Set(requestedBefore)
        const files = await Promise.all(
            scripts.map(async (s) => ({ body: await s.body, early: firstScreenUrls.has(s.url) }))
        )
        const gzipOf = (b: Buffer) => gzipSync(b, { level: 9 }).length
        const early = files.filter((f) => f.early)
        return {
            files: files.length,
            raw: files.reduce((sum, f) => sum + f.body.length, 0),
            gzip: files.reduce((sum, f) => sum + gzipOf(f.body), 0),
            firstScreen: {
                files: early.length,
                gzip: early.reduce((sum, f) => sum + gzipOf(f.body), 0),
            },
        }
    } finally {
        await browser.close()
        await server.close()
    }
}

export const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`
