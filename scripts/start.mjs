#!/usr/bin/env node
// `npm start`: builds the apps if a build is missing, then runs the whole local stack (DHIS2,
// eSignet and FHIR stand-ins and the relay, seeded) through devstack/src/stack/main.ts.
//   npm start               start (builds missing apps first)
//   npm start -- --rebuild  rebuild the three apps first
//   npm run reset           wipe .data/ and reseed, then start
import { existsSync } from 'node:fs'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { APPS, nodeOptionsForMedplum, root, run } from './lib.mjs'

const args = process.argv.slice(2)
const rebuild = args.includes('--rebuild')
const missing = APPS.filter((app) => !existsSync(path.join(root, app, 'build/app/index.html')))
const toBuild = rebuild ? APPS : missing
if (toBuild.length) {
    console.log(`Building ${toBuild.join(', ')} (about a minute)...`)
    const { code } = await run('build', process.execPath, ['scripts/build.mjs', ...toBuild])
    if (code !== 0) process.exit(code)
}

const stack = path.join(root, 'devstack/src/stack/main.ts')
if (!existsSync(stack)) {
    console.log(
        'The local stack (devstack/) is not there yet: the apps are built under <app>/build/.'
    )
    process.exit(0)
}
const child = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    [stack, ...args.filter((a) => a !== '--rebuild')],
    {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, NODE_OPTIONS: nodeOptionsForMedplum() },
    }
)
// Ctrl-C reaches the child through the terminal's process group; just mirror its exit.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)))
