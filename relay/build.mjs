#!/usr/bin/env node
// `npm run build -w relay`: compiles the relay for production into relay/dist/, started with
// `node relay/dist/main.js` (no tsx, no TypeScript at run time). esbuild bundles the relay's own
// TypeScript and the workspace packages it imports (@anc/*, published as TypeScript source);
// npm dependencies stay external and load from node_modules, so one `npm install` serves both.
// Type-checking is tsc's job (npm test), not this step's.
import { build } from 'esbuild'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const relayDir = path.dirname(fileURLToPath(import.meta.url))
const outdir = path.join(relayDir, 'dist')
const { dependencies } = JSON.parse(readFileSync(path.join(relayDir, 'package.json'), 'utf8'))
const external = Object.keys(dependencies).filter((name) => !name.startsWith('@anc/'))

const started = Date.now()
rmSync(outdir, { recursive: true, force: true })
await build({
    absWorkingDir: relayDir,
    entryPoints: {
        // the service
        main: 'src/main.ts',
        // the operator's key-pair tool (relay/README.md, "Key pair and eSignet registration")
        'generate-client-key': 'src/generate-client-key.ts',
    },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: [...external, ...external.map((name) => `${name}/*`)],
    sourcemap: 'linked',
    logLevel: 'warning',
})
console.info(
    `relay built into ${path.relative(process.cwd(), outdir) || '.'} in ${Date.now() - started} ms`
)
