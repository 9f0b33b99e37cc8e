#!/usr/bin/env node
// Browser tests drive Debian's Chromium with playwright-core (Playwright's own browser download
// does not work on these machines). Installs it with apt-get when missing.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (existsSync(CHROMIUM)) {
    console.log(`chromium: ${CHROMIUM} present`)
    process.exit(0)
}
const asRoot = process.getuid?.() === 0
const sudo = asRoot ? [] : ['sudo', '-n']
const aptGet = (...args) =>
    execFileSync(
        sudo[0] ?? 'apt-get',
        [...sudo.slice(1), ...(asRoot ? [] : ['apt-get']), ...args],
        {
            stdio: 'inherit',
            env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        }
    )
try {
    console.log('chromium: installing Debian chromium with apt-get (about a minute)...')
    aptGet('update', '-qq')
    aptGet('install', '-y', '-qq', '--no-install-recommends', 'chromium')
} catch (error) {
    console.error(
        `chromium: could not install it (${error.message}). Install it yourself (apt-get install chromium) or set CHROMIUM_PATH.`
    )
    process.exit(1)
}
if (!existsSync(CHROMIUM)) {
    console.error(`chromium: installed, but ${CHROMIUM} is still missing; set CHROMIUM_PATH.`)
    process.exit(1)
}
