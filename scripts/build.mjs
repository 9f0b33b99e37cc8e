#!/usr/bin/env node
// Builds the three apps (App Platform, Vite) in parallel into <app>/build/app and their App
// Management zips <app>/build/bundle/<name>-<version>.zip, and the relay (esbuild) into
// relay/dist. Translations of shared/ are synced into each app first (scripts/i18n.mjs), since
// the platform's extractor reads only the app.
//   npm run build                  the three apps and the relay
//   npm run build -- doctor-app    only the named apps (or `relay`)
import { writeCallbackPages } from './callback-page.mjs'
import { APPS, root, run } from './lib.mjs'

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const unknown = requested.filter((name) => !APPS.includes(name) && name !== 'relay')
if (unknown.length) {
    console.error(`Unknown app(s): ${unknown.join(', ')}. Apps: ${APPS.join(', ')}, relay`)
    process.exit(2)
}
const apps = requested.length ? requested.filter((name) => name !== 'relay') : APPS
const relay = !requested.length || requested.includes('relay')

if (apps.length) {
    const i18n = await run('i18n', process.execPath, ['scripts/i18n.mjs'])
    if (i18n.code !== 0) process.exit(i18n.code)
    await writeCallbackPages(apps)
}

const started = Date.now()
const results = await Promise.all([
    ...apps.map(async (app) => ({
        app,
        ...(await run(app, 'npx', ['d2-app-scripts', 'build'], {
            cwd: `${root}/${app}`,
            env: { CI: 'true' },
            quiet: !process.argv.includes('--verbose'),
        })),
    })),
    ...(relay
        ? [
              run('relay', process.execPath, ['relay/build.mjs']).then((r) => ({
                  app: 'relay',
                  ...r,
              })),
          ]
        : []),
])
for (const { app, code, seconds } of results) {
    console.log(`${code === 0 ? 'built ' : 'FAILED'} ${app} in ${seconds.toFixed(1)} s`)
}
console.log(`all builds: ${((Date.now() - started) / 1000).toFixed(1)} s wall clock`)
if (results.some((r) => r.code !== 0)) {
    console.error('A build failed; run `npm run build -- <app> --verbose` to see why.')
    process.exit(1)
}
