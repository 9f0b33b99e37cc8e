/**
 * Login app budget: the JavaScript a browser loads to show the login page, against a bare
 * `login_app` (a heading, nothing else) built with the same toolchain in the same run, so the
 * ratio says what our page costs on top of the App Platform shell. The portal's "one request for
 * the record" is asserted by e2e/patient.journey.test.ts (it counts /anc-relay/patient/ calls).
 *
 *   npx tsx bench/patient-portal.bench.ts [--no-build]
 *
 * Budget: initial JS (gzip) at most 1.5x the bare login app. Exits non-zero when missed.
 */
import path from 'node:path'
import { buildBareApp, initialJs, kb, REPO, run } from './support/app-bundle'

const BUDGET_RATIO = 1.5

async function main(): Promise<void> {
    console.log('Building (same toolchain, same run):')
    if (!process.argv.includes('--no-build'))
        run('node', ['scripts/build.mjs', 'patient-app'], REPO)
    const bareApp = buildBareApp({ type: 'login_app', name: 'login', heading: 'Sign in' })
    const ours = await initialJs(path.join(REPO, 'patient-app/build/app'), 'login')
    const bare = await initialJs(bareApp.buildDir, 'login')
    bareApp.remove()
    const ratio = ours.gzip / bare.gzip
    console.log(
        `bare login app:  ${bare.files} JS files, ${kb(bare.raw)} raw, ${kb(bare.gzip)} gzip`
    )
    console.log(
        `patient-app:     ${ours.files} JS files, ${kb(ours.raw)} raw, ${kb(ours.gzip)} gzip`
    )
    console.log(
        `extra over bare: ${kb(ours.gzip - bare.gzip)} gzip; ratio ${ratio.toFixed(2)} (budget <= ${BUDGET_RATIO})`
    )
    if (ratio > BUDGET_RATIO) process.exit(1)
}

main().catch((error: Error) => {
    console.error(error.message)
    process.exit(1)
})
