/**
 * The shape of @anc/shared, checked: one concern per folder, folders that do not import each
 * other in a circle, entries (package.json `exports`) that name what they export and export only
 * what another workspace uses, and every workspace that imports the package declaring it.
 * ESLint (eslint.config.mjs) refuses deep imports and test helpers in production code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

const SHARED = __dirname
const ROOT = path.dirname(SHARED)
const pkg = JSON.parse(readFileSync(path.join(SHARED, 'package.json'), 'utf8')) as {
    exports: Record<string, string>
}

function sourceFiles(dir: string): string[] {
    const out: string[] = []
    for (const name of readdirSync(dir)) {
        if (['node_modules', '.d2', 'build', 'locales', '.data'].includes(name)) continue
        const full = path.join(dir, name)
        if (statSync(full).isDirectory()) out.push(...sourceFiles(full))
        else if (/\.tsx?$/.test(name)) out.push(full)
    }
    return out
}

const parse = (file: string) =>
    ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)

/** Module specifiers of a file's static imports and re-exports. */
function importsOf(file: string): { spec: string; names: string[] }[] {
    const found: { spec: string; names: string[] }[] = []
    for (const node of parse(file).statements) {
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
            const bindings = node.importClause?.namedBindings
            const names =
                bindings && ts.isNamedImports(bindings)
                    ? bindings.elements.map((e) => (e.propertyName ?? e.name).text)
                    : []
            found.push({ spec: node.moduleSpecifier.text, names })
        }
        if (
            ts.isExportDeclaration(node) &&
            node.moduleSpecifier &&
            ts.isStringLiteral(node.moduleSpecifier)
        )
            found.push({ spec: node.moduleSpecifier.text, names: [] })
    }
    return found
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file)
const srcFiles = sourceFiles(path.join(SHARED, 'src')).filter((f) => !isTest(f))
const folderOf = (file: string) => path.relative(path.join(SHARED, 'src'), file).split(path.sep)[0]!

describe('@anc/shared', () => {
    it('has no folder that imports, through others, itself (no import cycle between folders)', () => {
        const edges = new Map<string, Set<string>>()
        for (const file of srcFiles) {
            const from = folderOf(file)
            for (const { spec } of importsOf(file)) {
                if (!spec.startsWith('.')) continue
                const target = path.resolve(path.dirname(file), spec)
                if (!target.startsWith(path.join(SHARED, 'src'))) continue
                const to = folderOf(target)
                if (to !== from) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to)
            }
        }
        const cycles: string[] = []
        const visit = (folder: string, trail: string[]) => {
            if (trail.includes(folder)) {
                cycles.push([...trail.slice(trail.indexOf(folder)), folder].join(' -> '))
                return
            }
            for (const next of edges.get(folder) ?? []) visit(next, [...trail, folder])
        }
        for (const folder of edges.keys()) visit(folder, [])
        expect(cycles).toEqual([])
        // The check sees the folders' real dependencies (config reads the claims, FHIR and PHN
        // validators, which share stored/).
        expect([...(edges.get('config') ?? [])]).toEqual(
            expect.arrayContaining(['claims', 'fhir', 'phn', 'stored'])
        )
    })

    it('exports names one by one: no `export *` anywhere', () => {
        const star = [...srcFiles, ...sourceFiles(path.join(SHARED, 'test-support'))].filter(
            (file) => /^export \* from/m.test(readFileSync(file, 'utf8'))
        )
        expect(star).toEqual([])
    })

    // Entries that are folder indexes (re-exports only), as opposed to a module loaded on its
    // own (the sign-in and FHIR clients, loaded after the first screen; the callback page script).
    const indexEntries = Object.entries(pkg.exports).filter(([, target]) =>
        /\/(index|react)\.ts$/.test(target)
    )

    it('has an existing file behind every entry, and indexes that only re-export', () => {
        for (const target of Object.values(pkg.exports))
            expect(statSync(path.join(SHARED, target)).isFile()).toBe(true)
        expect(indexEntries.length).toBeGreaterThanOrEqual(12)
        for (const [, target] of indexEntries) {
            const statements = parse(path.join(SHARED, target)).statements
            expect(statements.filter((s) => !ts.isExportDeclaration(s))).toEqual([])
        }
    })

    const workspaces = readdirSync(ROOT).filter(
        (dir) =>
            dir !== 'shared' &&
            dir !== 'node_modules' &&
            statSync(path.join(ROOT, dir)).isDirectory() &&
            (() => {
                try {
                    return statSync(path.join(ROOT, dir, 'package.json')).isFile()
                } catch {
                    return false
                }
            })()
    )
    const usesByWorkspace = new Map(
        workspaces.map((ws) => [
            ws,
            sourceFiles(path.join(ROOT, ws)).flatMap((file) =>
                importsOf(file).filter((i) => i.spec.startsWith('@anc/shared'))
            ),
        ])
    )

    it('exports from each entry only what another workspace imports', () => {
        const imported = new Set(
            [...usesByWorkspace.values()]
                .flat()
                .flatMap((i) => i.names.map((n) => `${i.spec} ${n}`))
        )
        const unused: string[] = []
        for (const [entry, target] of indexEntries) {
            const spec = `@anc/shared${entry.slice(1)}`
            for (const statement of parse(path.join(SHARED, target)).statements) {
                if (!ts.isExportDeclaration(statement) || !statement.exportClause) continue
                if (!ts.isNamedExports(statement.exportClause)) continue
                for (const e of statement.exportClause.elements)
                    if (!imported.has(`${spec} ${e.name.text}`))
                        unused.push(`${spec} ${e.name.text}`)
            }
        }
        expect(unused).toEqual([])
    })

    it('is declared by every workspace that imports it, and imported by its entries only', () => {
        const entries = new Set(Object.keys(pkg.exports).map((e) => `@anc/shared${e.slice(1)}`))
        for (const [ws, uses] of usesByWorkspace) {
            if (uses.length === 0) continue
            const manifest = JSON.parse(
                readFileSync(path.join(ROOT, ws, 'package.json'), 'utf8')
            ) as { dependencies?: Record<string, string> }
            expect([ws, manifest.dependencies?.['@anc/shared']]).toEqual([ws, '*'])
            expect(uses.map((u) => u.spec).filter((spec) => !entries.has(spec))).toEqual([])
        }
        // The apps, the stand-ins, the installer, the journeys and the benchmarks all use it.
        expect(
            workspaces.filter((ws) => (usesByWorkspace.get(ws) ?? []).length > 0).sort()
        ).toEqual(
            expect.arrayContaining([
                'bench',
                'deploy',
                'devstack',
                'doctor-app',
                'e2e',
                'patient-app',
                'registration-app',
            ])
        )
    })
})
