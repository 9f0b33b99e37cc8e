// One Jest 30 run over every workspace, in three projects:
//   unit  - shared/ and the apps, in jsdom (with fetch, TextEncoder and WebCrypto added)
//   node  - relay/, devstack/, deploy/, bench/ and scripts/: services and contract tests in Node
//   e2e   - e2e/: Playwright journeys against a running local stack (selected explicitly)
// `d2-app-scripts test` is not used: it ships Jest 27 and breaks once Jest 30 is hoisted.
const path = require('node:path')

const appScripts = path.join(__dirname, 'node_modules/@dhis2/cli-app-scripts/config')

// ESM-only packages that Jest must transpile to CommonJS before it can load them.
const esmPackages = [
    'jose',
    'openid-client',
    'oauth4webapi',
    'oidc-provider',
    'moment/dist',
    '@medplum',
    'fhirclient',
    'oidc-client-ts',
    'jwt-decode',
    // @fastify/cookie loads the ESM-only `cookie` 2 with import(), which Jest's CommonJS runtime
    // cannot run: transpiling both turns it into require().
    '@fastify/cookie',
    'cookie',
]

const swc = [
    '@swc/jest',
    {
        jsc: {
            parser: { syntax: 'typescript', tsx: true },
            transform: { react: { runtime: 'automatic' } },
            target: 'es2022',
        },
        module: { type: 'commonjs' },
    },
]

const common = {
    transform: { '^.+\\.(t|j|mj|cj)sx?$': swc },
    transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')}))`],
    moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
    // Tests are TypeScript beside the code; scripts/test.mjs is the runner, not a test.
    testMatch: ['**/*.test.ts', '**/*.test.tsx'],
    testPathIgnorePatterns: ['/node_modules/', '/\\.d2/', '/build/'],
}

module.exports = {
    globalSetup: '<rootDir>/scripts/jest/generate-locales.js',
    projects: [
        {
            ...common,
            displayName: 'unit',
            testEnvironment: '<rootDir>/scripts/jest/jsdom-with-web-apis.js',
            testEnvironmentOptions: { customExportConditions: ['require', 'default'] },
            roots: [
                '<rootDir>/shared',
                '<rootDir>/registration-app',
                '<rootDir>/doctor-app',
                '<rootDir>/patient-app',
            ],
            setupFilesAfterEnv: ['<rootDir>/scripts/jest/setup-dom.ts'],
            moduleNameMapper: {
                '^fhirclient$': '<rootDir>/node_modules/fhirclient/lib/entry/browser.js',
                '\\.(css|less)$': `${appScripts}/jest.identity.mock.js`,
                '^styled-jsx/css$': `${appScripts}/jest.styled-jsx-css.mock.js`,
            },
            globals: { FHIRCLIENT_PURE: true },
        },
        {
            ...common,
            displayName: 'node',
            testEnvironment: 'node',
            roots: [
                '<rootDir>/relay',
                '<rootDir>/devstack',
                '<rootDir>/deploy',
                '<rootDir>/bench',
                '<rootDir>/scripts',
            ],
        },
        {
            ...common,
            displayName: 'e2e',
            testEnvironment: 'node',
            roots: ['<rootDir>/e2e'],
            setupFilesAfterEnv: ['<rootDir>/scripts/jest/setup-e2e.ts'],
        },
    ],
}
