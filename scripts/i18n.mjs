#!/usr/bin/env node
// Keeps the one translation catalogue of the product in step with the code.
//
//   node scripts/i18n.mjs          extract every i18n.t() string of shared/ and the three apps into
//                                  i18n/en.pot, add new strings to si.po and ta.po (untranslated),
//                                  drop strings no code uses, and copy the .po files into each app's
//                                  i18n/ folder and generate its src/locales (which App.tsx imports),
//                                  as the App Platform build also does
//   node scripts/i18n.mjs --check  the same, but fail (exit 1) instead of writing if i18n/ is stale,
//                                  or if the Sinhala or Tamil break a rule of i18n/glossary.json
//                                  (scripts/i18n-glossary.mjs: glossary terms, English left in
//                                  translations, placeholders, plurals; see i18n/README.md)
//
// It also keeps i18n/patient-facing.json, the msgids a patient reads: every string of
// patient-app/src and of the shared/src modules it imports by path, and every string listed
// before that is still in the catalogue (so a string stays patient-facing when its file moves),
// and renders the glossary table of i18n/README.md from i18n/glossary.json.
//
// The App Platform's own extractor only reads an app's src/, so strings of shared/ would be lost
// without this step (toolchain.md §3).
import { execFileSync } from 'node:child_process'
import {
    readFileSync,
    writeFileSync,
    mkdirSync,
    existsSync,
    readdirSync,
    statSync,
    copyFileSync,
} from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import gettextParser from 'gettext-parser'
import scanner from 'i18next-scanner'
import { checkCatalogues, formatProblems, parsePo, withGlossaryTable } from './i18n-glossary.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const SOURCE_DIRS = [
    'shared/src',
    'registration-app/src',
    'doctor-app/src',
    'patient-app/src',
]
export const APPS = ['registration-app', 'doctor-app', 'patient-app']
export const LANGUAGES = ['si', 'ta']
const HEADER = (language) => ({
    'content-type': 'text/plain; charset=utf-8',
    'Content-Transfer-Encoding': '8bit',
    'MIME-Version': '1.0',
    'Project-Id-Version': 'anc-esignet-dhis2',
    ...(language ? { Language: language } : {}),
})

function sourceFiles(dir) {
    const out = []
    if (!existsSync(dir)) return out
    for (const name of readdirSync(dir)) {
        const full = path.join(dir, name)
        if (statSync(full).isDirectory()) {
            if (name === 'locales' || name === 'node_modules') continue
            out.push(...sourceFiles(full))
        } else if (/\.(t|j)sx?$/.test(name) && !/\.test\.(t|j)sx?$/.test(name)) {
            out.push(full)
        }
    }
    return out
}

function keysOf(files) {
    const parser = new scanner.Parser({ keySeparator: false, nsSeparator: false, sort: true })
    for (const file of files) {
        parser.parseFuncFromString(readFileSync(file, 'utf8'), { list: ['i18n.t'] })
    }
    return Object.keys(parser.get().en.translation).sort()
}

export function extractKeys() {
    return keysOf(SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(root, dir))))
}

const PATIENT_APP = 'patient-app/src'
const SHARED_BY_PATH = '@anc/shared/src/'
const importPattern = /(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g

function resolveImport(fromFile, specifier) {
    let base
    if (specifier.startsWith('.')) base = path.resolve(path.dirname(fromFile), specifier)
    else if (specifier.startsWith(SHARED_BY_PATH))
        base = path.join(root, 'shared/src', specifier.slice(SHARED_BY_PATH.length))
    // The `@anc/shared` index re-exports everything: following it would make all of shared/
    // patient-facing. Such strings are added to i18n/patient-facing.json by hand.
    else return undefined
    for (const candidate of ['', '.ts', '.tsx', '.js', '/index.ts', '/index.tsx']) {
        const file = base + candidate
        if (existsSync(file) && statSync(file).isFile()) return file
    }
    return undefined
}

/** The files a patient's screens are built from: patient-app/src and what it imports by path. */
export function patientSourceFiles() {
    const seen = new Set()
    const queue = sourceFiles(path.join(root, PATIENT_APP))
    while (queue.length) {
        const file = queue.pop()
        if (seen.has(file)) continue
        seen.add(file)
        for (const [, specifier] of readFileSync(file, 'utf8').matchAll(importPattern)) {
            const target = resolveImport(file, specifier)
            if (target && /\.(t|j)sx?$/.test(target) && !/\.test\.(t|j)sx?$/.test(target))
                queue.push(target)
        }
    }
    return [...seen].sort()
}

const PATIENT_FACING_FILE = 'i18n/patient-facing.json'
const PATIENT_FACING_ABOUT =
    'The msgids a patient reads, held to the patient rules of i18n/glossary.json (no English words, short sentences). Kept by `npm run i18n`: the strings of patient-app/src and of the shared/src files it imports by path are added; a listed string stays listed while the catalogue has it, wherever its file moves. Add a string shown to patients through the @anc/shared index by hand.'

function readPatientFacing() {
    const file = path.join(root, PATIENT_FACING_FILE)
    if (!existsSync(file)) return []
    return JSON.parse(readFileSync(file, 'utf8')).msgids ?? []
}

function renderPatientFacing(keys) {
    const inCatalogue = new Set(keys)
    const listed = readPatientFacing().filter((msgid) => inCatalogue.has(msgid))
    const msgids = [...new Set([...listed, ...keysOf(patientSourceFiles())])].sort()
    return {
        msgids,
        text: JSON.stringify({ about: PATIENT_FACING_ABOUT, msgids }, null, 4) + '\n',
    }
}

function render(translations, language) {
    const entries = { '': {} }
    for (const [msgid, msgstr] of translations) {
        entries[''][msgid] = { msgid, msgstr: [msgstr] }
    }
    return (
        gettextParser.po
            .compile(
                { charset: 'utf-8', headers: HEADER(language), translations: entries },
                { foldLength: 0 }
            )
            .toString('utf8') + '\n'
    )
}

/** msgid -> its (first) translation. */
function readPo(file) {
    if (!existsSync(file)) return new Map()
    const entries = parsePo(readFileSync(file, 'utf8'))
    return new Map([...entries].map(([msgid, entry]) => [msgid, entry.msgstr[0] ?? '']))
}

export function plan() {
    const keys = extractKeys()
    const files = new Map()
    files.set(
        'i18n/en.pot',
        render(
            keys.map((key) => [key, '']),
            undefined
        )
    )
    const coverage = {}
    for (const language of LANGUAGES) {
        const existing = readPo(path.join(root, `i18n/${language}.po`))
        const rows = keys.map((key) => [key, existing.get(key) ?? ''])
        coverage[language] = { translated: rows.filter(([, t]) => t).length, total: keys.length }
        files.set(`i18n/${language}.po`, render(rows, language))
    }
    const patientFacing = renderPatientFacing(keys)
    files.set(PATIENT_FACING_FILE, patientFacing.text)
    // The README's glossary table is rendered from glossary.json, so the two never disagree.
    files.set(
        'i18n/README.md',
        withGlossaryTable(
            readFileSync(path.join(root, 'i18n/README.md'), 'utf8'),
            JSON.parse(readFileSync(path.join(root, 'i18n/glossary.json'), 'utf8'))
        )
    )
    return { keys, files, coverage, patientFacing: new Set(patientFacing.msgids) }
}

/** The glossary's rules over the catalogue as plan() would write it. */
export function glossaryProblems({ keys, files, patientFacing }) {
    return checkCatalogues({
        glossary: JSON.parse(readFileSync(path.join(root, 'i18n/glossary.json'), 'utf8')),
        msgids: keys,
        catalogues: Object.fromEntries(
            LANGUAGES.map((language) => [language, parsePo(files.get(`i18n/${language}.po`))])
        ),
        patientFacing,
    })
}

function main() {
    const check = process.argv.includes('--check')
    const planned = plan()
    const { files, coverage } = planned
    const stale = [...files].filter(
        ([file, text]) =>
            !existsSync(path.join(root, file)) ||
            readFileSync(path.join(root, file), 'utf8') !== text
    )
    if (check && stale.length > 0) {
        console.error(
            `i18n catalogue is out of date: ${stale.map(([f]) => f).join(', ')}. Run \`npm run i18n\` and commit i18n/.`
        )
        process.exit(1)
    }
    const problems = glossaryProblems(planned)
    if (problems.length) {
        console.error(
            `i18n: ${problems.length} wording problem(s) against i18n/glossary.json (see i18n/README.md):\n${formatProblems(problems)}`
        )
        if (check) process.exit(1)
    }
    for (const [file, text] of stale) writeFileSync(path.join(root, file), text)
    for (const app of APPS) {
        mkdirSync(path.join(root, app, 'i18n'), { recursive: true })
        for (const language of LANGUAGES) {
            copyFileSync(
                path.join(root, `i18n/${language}.po`),
                path.join(root, app, `i18n/${language}.po`)
            )
        }
        // The platform's own generator, so tests and type-checks see what a build bundles.
        execFileSync(path.join(root, 'node_modules/.bin/d2-app-scripts'), ['i18n', 'generate'], {
            cwd: path.join(root, app),
            stdio: 'ignore',
        })
    }
    const summary = Object.entries(coverage)
        .map(([language, c]) => `${language} ${c.translated}/${c.total}`)
        .join(', ')
    console.log(
        `i18n: ${stale.length ? `updated ${stale.map(([f]) => f).join(', ')}` : 'up to date'} (translated: ${summary})`
    )
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main()
