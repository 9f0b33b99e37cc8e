import { mkdirSync } from 'node:fs'
import path from 'node:path'

/**
 * Where a journey writes its screenshots. They illustrate each app's README, so a developer
 * refreshes them on purpose (`ANC_UPDATE_SCREENSHOTS=1 npx jest e2e --selectProjects e2e`);
 * an ordinary test run writes to test-results/ and leaves the committed pictures alone.
 */
export function screenshotDir(app: 'registration-app' | 'doctor-app' | 'patient-app'): string {
    const root = path.resolve(__dirname, '../..')
    const dir =
        process.env.ANC_UPDATE_SCREENSHOTS === '1'
            ? path.join(root, app, 'docs/screenshots')
            : path.join(root, 'test-results/screenshots', app)
    mkdirSync(dir, { recursive: true })
    return dir
}
