// Jest globalSetup: the apps import their generated src/locales; make sure they exist so a
// plain `npx jest` works on a fresh clone (npm test generates them anyway).
const { existsSync } = require('node:fs')
const { execFileSync } = require('node:child_process')
const path = require('node:path')

module.exports = async function generateLocales() {
    const root = path.resolve(__dirname, '../..')
    const apps = ['registration-app', 'doctor-app', 'patient-app']
    if (apps.every((app) => existsSync(path.join(root, app, 'src/locales/index.js')))) return
    execFileSync(process.execPath, [path.join(root, 'scripts/i18n.mjs')], {
        cwd: root,
        stdio: 'inherit',
    })
}
