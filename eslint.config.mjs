// ESLint flat config for every workspace. Rules follow @dhis2/cli-style's intent (React hooks
// rules, no unused code, import hygiene) on typescript-eslint; formatting is Prettier's job.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// One way into @anc/shared: the entries in shared/package.json `exports`, never its files.
const sharedEntriesOnly = {
    regex: '^@anc/shared/(src|test-support)/|^[.]{1,2}/(.*/)?shared/(src|test-support)(/|$)',
    message:
        'Import @anc/shared by its entries (@anc/shared/<folder>, listed in shared/package.json `exports`), not by file.',
}
const sharedBarrel = {
    name: '@anc/shared',
    message:
        'There is no @anc/shared barrel: import the entry of the concern (@anc/shared/<folder>).',
}
// Test helpers live in each workspace's test-support/ folder and never ship.
const noTestSupport = {
    regex: '(^|/)test-support(/|$)',
    message:
        'Test helpers (test-support/) are for tests only; production source must not import them.',
}

export default tseslint.config(
    {
        ignores: [
            '**/node_modules/**',
            '**/build/**',
            'relay/dist/**',
            '**/.d2/**',
            '**/src/locales/**',
            '.data/**',
            'test-results/**',
            // generated at build time by scripts/callback-page.mjs
            '*/public/esignet-callback.*',
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ['**/*.{ts,tsx}'],
        plugins: { 'react-hooks': reactHooks },
        languageOptions: { globals: { ...globals.browser, ...globals.node } },
        rules: {
            ...reactHooks.configs.recommended.rules,
            '@typescript-eslint/no-unused-vars': [
                'error',
                { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
            ],
            '@typescript-eslint/consistent-type-imports': [
                'error',
                { fixStyle: 'inline-type-imports' },
            ],
            'no-console': ['error', { allow: ['warn', 'error', 'info'] }],
            eqeqeq: ['error', 'smart'],
            'no-restricted-imports': [
                'error',
                { paths: [sharedBarrel], patterns: [sharedEntriesOnly] },
            ],
        },
    },
    {
        // Production source: everything under a workspace's src/ except tests (test-support/,
        // e2e/ and bench/ may use test helpers). The spec generator documents the mapping by
        // running it on the shared fixture, on purpose.
        files: ['*/src/**/*.{ts,tsx,js,mjs,cjs}'],
        ignores: ['**/*.test.{ts,tsx}', 'deploy/src/spec/generate.ts'],
        rules: {
            'no-restricted-imports': [
                'error',
                { paths: [sharedBarrel], patterns: [sharedEntriesOnly, noTestSupport] },
            ],
        },
    },
    {
        files: ['**/*.{js,cjs,mjs}'],
        languageOptions: { globals: { ...globals.node } },
        rules: { '@typescript-eslint/no-require-imports': 'off' },
    },
    {
        // Tests, scripts, benchmarks and services print on purpose.
        files: [
            '**/*.test.{ts,tsx}',
            'scripts/**',
            'bench/**',
            'e2e/**',
            'devstack/**',
            'deploy/**',
            'relay/src/main.ts',
        ],
        rules: { 'no-console': 'off' },
    },
    prettier
)
