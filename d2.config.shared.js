// App Platform settings the three ANC apps share. Each app's d2.config.js spreads this and
// adds its own name, title and type. CommonJS on purpose: the platform loads it with require().
/** @type {import('@dhis2/cli-app-scripts').D2Config} */
const shared = {
    author: {
        name: 'ANC national-ID project',
        email: 'anc-dev@health.gov.lk',
    },
    minDHIS2Version: '2.41',
    direction: 'auto',
    // Every app's entry: src/App.tsx, the root of the feature-folder layout all three share.
    entryPoints: { app: './src/App.tsx' },
    // Bundle-time work-arounds every app needs (login_app spinner fix).
    viteConfigExtensions: '../vite.shared.mjs',
}

module.exports = shared
