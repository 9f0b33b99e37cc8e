#!/usr/bin/env node
// The strings whose Sinhala or Tamil changed between two versions of i18n/, with their English,
// as a short table a native-speaking health worker can read, print and tick (i18n/README.md):
//
//   npm run i18n:review -- main..HEAD           Markdown table on stdout
//   npm run i18n:review -- main..HEAD --html > review.html    the same as a printable page
//   npm run i18n:review -- HEAD                 what is changed but not yet committed
//
// `A..B` compares the catalogue at A with the one at B (as `git diff A..B` does); a single
// revision compares it with the working tree. Run it from the repository (any folder in it).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { LANGUAGES, parsePo } from './i18n-glossary.mjs'

const args = process.argv.slice(2)
const html = args.includes('--html')
const range = args.find((a) => !a.startsWith('--')) ?? 'HEAD'
const [from, to] = range.includes('..') ? range.split(/\.{2,3}/) : [range, undefined]

const git = (...gitArgs) => execFileSync('git', gitArgs, { encoding: 'utf8', maxBuffer: 1 << 26 })
const top = git('rev-parse', '--show-toplevel').trim()

/** A file of i18n/ at a revision, or in the working tree when `rev` is undefined. */
function fileAt(rev, file) {
    if (rev === undefined) {
        const full = path.join(top, file)
        return existsSync(full) ? readFileSync(full, 'utf8') : ''
    }
    try {
        return git('show', `${rev}:${file}`)
    } catch {
        return '' // the file did not exist yet
    }
}

function cataloguesAt(rev) {
    return Object.fromEntries(
        LANGUAGES.map((language) => {
            const text = fileAt(rev, `i18n/${language}.po`)
            return [language, text ? parsePo(text) : new Map()]
        })
    )
}

const before = cataloguesAt(from)
const after = cataloguesAt(to)
const patientText = fileAt(to, 'i18n/patient-facing.json')
const patientFacing = new Set(patientText ? JSON.parse(patientText).msgids : [])
const text = (catalogue, msgid) => catalogue.get(msgid)?.msgstr.join(' / ') ?? ''

const rows = [...new Set(LANGUAGES.flatMap((l) => [...after[l].keys()]))]
    .sort()
    .map((msgid) => ({
        msgid,
        patient: patientFacing.has(msgid),
        cells: LANGUAGES.map((l) => ({
            now: text(after[l], msgid),
            was: text(before[l], msgid),
        })),
    }))
    .filter((row) => row.cells.some((c) => c.now !== c.was))

const title = `Translation review ${from}..${to ?? 'working tree'}`
const legend = `${rows.length} string(s) changed. P = a pregnant woman reads it. "was" = the wording before. Tick each row you agree with; write the better wording beside any you do not.`

function markdown() {
    const cell = (s) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
    const lines = [
        `# ${title}`,
        '',
        legend,
        '',
        '| # | | English | සිංහල | தமிழ் | OK? |',
        '|---|---|---|---|---|---|',
    ]
    rows.forEach((row, i) => {
        const langs = row.cells.map((c) =>
            c.was && c.was !== c.now ? `${cell(c.now)} (was: ${cell(c.was)})` : cell(c.now)
        )
        lines.push(
            `| ${i + 1} | ${row.patient ? 'P' : ''} | ${cell(row.msgid)} | ${langs.join(' | ')} | |`
        )
    })
    return lines.join('\n') + '\n'
}

function page() {
    const esc = (s) =>
        s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    const body = rows
        .map((row, i) => {
            const langs = row.cells
                .map(
                    (c) =>
                        `<td>${esc(c.now)}${c.was && c.was !== c.now ? `<div class="was">was: ${esc(c.was)}</div>` : ''}</td>`
                )
                .join('')
            return `<tr><td>${i + 1}</td><td>${row.patient ? 'P' : ''}</td><td>${esc(row.msgid)}</td>${langs}<td class="ok"></td></tr>`
        })
        .join('\n')
    return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body { font: 12pt sans-serif; margin: 1.5em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; vertical-align: top; }
th { background: #eee; }
tr { page-break-inside: avoid; }
.was { color: #666; font-size: 10pt; text-decoration: line-through; }
.ok { width: 4em; }
</style></head><body>
<h1>${esc(title)}</h1>
<p>${esc(legend)}</p>
<table><thead><tr><th>#</th><th></th><th>English</th><th>සිංහල</th><th>தமிழ்</th><th>OK?</th></tr></thead>
<tbody>
${body}
</tbody></table>
</body></html>
`
}

process.stdout.write(html ? page() : markdown())
