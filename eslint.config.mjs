// ESLint flat config for every workspace. Rules follow @dhis2/cli-style's intent (React hooks
// rules, no unused code, import hygiene) on typescript-eslint; formatting is Prettier's job.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

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
        },
    },
    {
        files: ['**/*.{js,cjs,mjs}'],
        languageOptions: { globals: { ...globals.node } },
        rules: { '@typescript-eslint/no-require-imports': 'off' },
    },
    {
        // Test helpers live in each workspace's test-support/ folder and never ship: production
        // source may not import them (tests, test-support/ itself, e2e/ and bench/ may).
        files: ['*/src/**/*.{ts,tsx,js,mjs,cjs}'],
        ignores: ['**/*.test.{ts,tsx}'],
        rules: {
            'no-restricted-imports': [
                'error',
                {
                    patterns: [
                        {
                            group: ['**/test-support', '**/test-support/**'],
                            message:
                                'Test helpers (test-support/) are for tests only; production source must not import them.',
                        },
                    ],
                },
            ],
        },
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
    {
        // Test helpers never ship: the relay's production source does not import them.
        files: ['relay/src/**/*.ts'],
        ignores: ['**/*.test.ts'],
        rules: {
            'no-restricted-imports': [
                'error',
                {
                    patterns: [
                        {
                            group: [
                                '**/test-support',
                                '**/test-support/**',
                                '@anc/relay/test-support',
                            ],
                            message: 'Test helpers live in relay/test-support/ and never ship.',
                        },
                    ],
                },
            ],
        },
    },
    prettier
)
