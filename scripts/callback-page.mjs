// Writes each staff/login app's public/esignet-callback.html and .js: the page eSignet
// redirects the popup to. It must be a separate, tiny page (no app shell: it runs in the popup,
// outside DHIS2's Global Shell iframe) whose URL has no query string, because eSignet <= 1.6
// appends "?state=...&code=..." by string concatenation. The script is the shared package's
// entry `@anc/shared/esignet/callback-page` bundled by esbuild; the App Platform copies public/
// into the build.
import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { build } from 'esbuild'
import { APPS, root } from './lib.mjs'

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>National ID verification</title>
</head>
<body>
<p role="status">Returning to the application&hellip;</p>
<script src="esignet-callback.js"></script>
</body>
</html>
`

export async function writeCallbackPages(apps = APPS) {
    const bundle = await build({
        entryPoints: [
            createRequire(path.join(root, 'package.json')).resolve(
                '@anc/shared/esignet/callback-page'
            ),
        ],
        bundle: true,
        minify: true,
        format: 'iife',
        target: 'es2020',
        write: false,
        legalComments: 'none',
    })
    const script = bundle.outputFiles[0].text
    for (const app of apps) {
        const publicDir = path.join(root, app, 'public')
        mkdirSync(publicDir, { recursive: true })
        writeFileSync(path.join(publicDir, 'esignet-callback.html'), HTML)
        writeFileSync(path.join(publicDir, 'esignet-callback.js'), script)
    }
}
