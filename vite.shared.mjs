// Vite settings every app build shares (d2.config.js `viteConfigExtensions`).
//
// Work-around for @dhis2/app-adapter 12.10.0-12.11.0: its ServerVersionProvider starts the
// user-info state as `loading: true` and never leaves it for login apps (they fetch no user),
// so a `type: 'login_app'` build shows its loading mask forever after /api/loginConfig.
// We rewrite that initial flag to `!loginApp` at bundle time (Rollup transform for builds,
// esbuild load plugin for the dev server's dependency pre-bundling) instead of editing
// node_modules. Remove once the adapter ships a fix; e2e/login-app.smoke.test.ts guards it.
import { readFile } from 'node:fs/promises'

const ADAPTER_MODULE =
    /@dhis2[\\/]app-adapter[\\/]build[\\/]es[\\/]components[\\/]ServerVersionProvider\.js$/
const STUCK_FLAG = /(const \[userInfoState, setUserInfoState\] = useState\(\{\s*loading:\s*)true/

export function rewriteLoginAppLoadingFlag(source) {
    if (!STUCK_FLAG.test(source)) {
        // Fail the build loudly: a silent no-op would bring the endless spinner back.
        throw new Error(
            'app-adapter ServerVersionProvider changed: review the login_app work-around in vite.shared.mjs'
        )
    }
    return source.replace(STUCK_FLAG, '$1!loginApp')
}

const loginAppSpinnerFix = {
    name: 'anc-login-app-spinner-fix',
    enforce: 'pre',
    transform(code, id) {
        if (!ADAPTER_MODULE.test(id.split('?')[0])) return null
        return { code: rewriteLoginAppLoadingFlag(code), map: null }
    },
}

const esbuildLoginAppSpinnerFix = {
    name: 'anc-login-app-spinner-fix',
    setup(build) {
        build.onLoad({ filter: ADAPTER_MODULE }, async (args) => ({
            contents: rewriteLoginAppLoadingFlag(await readFile(args.path, 'utf8')),
            loader: 'js',
        }))
    },
}

export default {
    plugins: [loginAppSpinnerFix],
    optimizeDeps: { esbuildOptions: { plugins: [esbuildLoginAppSpinnerFix] } },
}
