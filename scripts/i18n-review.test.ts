// `npm run i18n:review -- <range>`: what a native-speaking reviewer gets for a change of the
// catalogues, run as she would run it, in a git repository with two versions of i18n/.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const script = path.resolve(__dirname, 'i18n-review.mjs')
let repo: string

const po = (language: string, entries: [string, string][]) =>
    `msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\nLanguage: ${language}\\n"\n\n` +
    entries
        .map(([id, str]) => `msgid ${JSON.stringify(id)}\nmsgstr ${JSON.stringify(str)}\n`)
        .join('\n')

function writeCatalogues(si: [string, string][], ta: [string, string][]) {
    writeFileSync(path.join(repo, 'i18n/si.po'), po('si', si))
    writeFileSync(path.join(repo, 'i18n/ta.po'), po('ta', ta))
}

const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], {
        cwd: repo,
        stdio: 'pipe',
    })
const review = (...args: string[]) =>
    execFileSync(process.execPath, [script, ...args], { cwd: repo, encoding: 'utf8' })

beforeAll(() => {
    repo = mkdtempSync(path.join(os.tmpdir(), 'i18n-review-'))
    mkdirSync(path.join(repo, 'i18n'))
    git('init', '-q')
    writeFileSync(
        path.join(repo, 'i18n/patient-facing.json'),
        JSON.stringify({ msgids: ['You have been signed out'] })
    )
    writeCatalogues(
        [
            ['Weight', 'බර'],
            ['You have been signed out', 'ඔබව ඉවත් කර ඇත'],
        ],
        [
            ['Weight', 'நிறை'],
            ['You have been signed out', 'நீங்கள் வெளியேற்றப்பட்டுள்ளீர்கள்'],
        ]
    )
    git('add', '.')
    git('commit', '-qm', 'before')
    writeCatalogues(
        [
            ['Weight', 'බර'],
            ['You have been signed out', 'ඔබ ඉවත් වී ඇත'],
            ['Your weight', 'ඔබේ බර'],
        ],
        [
            ['Weight', 'நிறை'],
            ['You have been signed out', 'நீங்கள் வெளியேறிவிட்டீர்கள்'],
            ['Your weight', 'உங்கள் நிறை'],
        ]
    )
    git('commit', '-qam', 'after')
})

afterAll(() => rmSync(repo, { recursive: true, force: true }))

it('lists only the changed strings, with English, Sinhala, Tamil and what they said before', () => {
    const table = review('HEAD~1..HEAD')
    const rows = table.split('\n').filter((line) => /^\| \d/.test(line))
    expect(rows).toEqual([
        '| 1 | P | You have been signed out | ඔබ ඉවත් වී ඇත (was: ඔබව ඉවත් කර ඇත) | நீங்கள் வெளியேறிவிட்டீர்கள் (was: நீங்கள் வெளியேற்றப்பட்டுள்ளீர்கள்) | |',
        '| 2 |  | Your weight | ඔබේ බර | உங்கள் நிறை | |',
    ])
    expect(table).toContain('2 string(s) changed')
})

it('prints the same as a page for paper', () => {
    const page = review('HEAD~1..HEAD', '--html')
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).toContain('<td>You have been signed out</td>')
    expect(page).toContain('<div class="was">was: ඔබව ඉවත් කර ඇත</div>')
    expect(page).not.toContain('<td>Weight</td>')
})

it('with one revision, reviews the uncommitted change in the working tree', () => {
    writeCatalogues(
        [
            ['Weight', 'ශරීර බර'],
            ['You have been signed out', 'ඔබ ඉවත් වී ඇත'],
            ['Your weight', 'ඔබේ බර'],
        ],
        [
            ['Weight', 'நிறை'],
            ['You have been signed out', 'நீங்கள் வெளியேறிவிட்டீர்கள்'],
            ['Your weight', 'உங்கள் நிறை'],
        ]
    )
    const rows = review('HEAD')
        .split('\n')
        .filter((line) => /^\| \d/.test(line))
    expect(rows).toEqual(['| 1 |  | Weight | ශරීර බර (was: බර) | நிறை | |'])
})
