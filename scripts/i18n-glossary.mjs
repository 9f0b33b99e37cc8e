// The wording rules of the Sinhala and Tamil catalogues, checked against i18n/glossary.json.
// Pure functions over parsed catalogues (no file system, no import.meta), so `scripts/i18n.mjs
// --check` and the tests run the same code:
//
//   untranslated   a msgid has no translation
//   placeholder    the {{placeholders}} of msgid and msgstr differ
//   plural         an i18next `_plural` key without its singular, or a gettext plural entry whose
//                  msgstr count is not the language's number of forms
//   glossary       a glossary term's English is in the msgid but its translation is not in msgstr
//   avoid          msgstr uses a wording the glossary rules out (e.g. "expelled" for signed out)
//   latin          a translation keeps English words: patient-facing strings may keep only the
//                  glossary's `latin.everywhere` tokens, staff strings also the staff
//                  abbreviations that the msgid itself uses
//   symbols        a dipstick symbol (+, ++, ...) of the msgid is missing from the translation
//   distinct       two strings of a `distinct` group read alike (one's words contain the other's)
//   sentence       a sentence of a patient-facing translation is longer than the glossary allows
import gettextParser from 'gettext-parser'

export const LANGUAGES = ['si', 'ta']
/** Sinhala and Tamil have two plural forms, like English (CLDR). */
export const PLURAL_FORMS = { si: 2, ta: 2 }
const PLURAL_SUFFIX = '_plural'

const placeholderPattern = /\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g
/** A Latin-script token: a word, an abbreviation, or a unit such as g/dL or mmHg. */
const latinTokenPattern = /[A-Za-z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*/g

/** Parses a .po file's text into Map<msgid, msgstr[]> (the header entry left out). */
export function parsePo(text) {
    const parsed = gettextParser.po.parse(Buffer.from(text, 'utf8'), 'utf-8')
    const map = new Map()
    for (const entries of Object.values(parsed.translations)) {
        for (const [msgid, entry] of Object.entries(entries)) {
            if (!msgid) continue
            map.set(msgid, { msgstr: entry.msgstr ?? [''], plural: entry.msgid_plural })
        }
    }
    return map
}

export function placeholders(text) {
    return [...text.matchAll(placeholderPattern)].map((m) => m[1]).sort()
}

function withoutPlaceholders(text) {
    return text.replace(placeholderPattern, ' ')
}

/** English patterns match whole words, case-insensitively. */
function englishPattern(source) {
    return new RegExp(source, 'iu')
}

function compileAvoid(rule, termId) {
    return {
        ...rule,
        why: rule.why ?? termId,
        pattern: rule.where ? englishPattern(rule.where) : undefined,
    }
}

/** Validates the glossary's shape and compiles its patterns; throws on a malformed glossary. */
export function compileGlossary(glossary) {
    const errors = []
    const terms = (glossary.terms ?? []).map((term, index) => {
        const where = `terms[${index}] (${term.id ?? 'no id'})`
        if (!term.id) errors.push(`${where}: no id`)
        if (!term.english) errors.push(`${where}: no english name`)
        if (!Array.isArray(term.en) || term.en.length === 0)
            errors.push(`${where}: en must list at least one English pattern`)
        for (const language of LANGUAGES) {
            const t = term[language]
            if (!t || typeof t.term !== 'string' || !t.term)
                errors.push(`${where}: ${language}.term missing`)
            else if ((t.accept ?? [t.term]).length === 0)
                errors.push(`${where}: ${language}.accept is empty`)
        }
        return {
            ...term,
            patterns: (term.en ?? []).map(englishPattern),
            except: new Set(term.except ?? []),
            avoid: (term.avoid ?? []).map((rule) => compileAvoid(rule, term.id)),
        }
    })
    const ids = terms.map((t) => t.id)
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i)
    if (duplicate) errors.push(`term id ${duplicate} is used twice`)
    const avoid = (glossary.avoid ?? []).map((rule, index) => {
        if (!rule.why) errors.push(`avoid[${index}]: say why`)
        return compileAvoid(rule)
    })
    if (errors.length) throw new Error(`i18n/glossary.json is malformed:\n  ${errors.join('\n  ')}`)
    const staffAbbreviations = new Set([
        ...(glossary.latin?.staff ?? []),
        ...terms.flatMap((t) => (t.abbreviation ? [t.abbreviation] : [])),
    ])
    return {
        terms,
        avoid,
        everywhere: new Set(glossary.latin?.everywhere ?? []),
        staffAbbreviations,
        distinct: glossary.distinct ?? [],
        maxPatientSentenceWords: glossary.maxPatientSentenceWords,
    }
}

/** Placeholder names ({{clinic}}) are not English the reader sees, so they never match. */
function termMatches(term, msgid) {
    const text = withoutPlaceholders(msgid)
    return !term.except.has(msgid) && term.patterns.some((p) => p.test(text))
}

/** The terms whose English appears in this msgid (what a translator of it must use). */
export function termsFor(compiled, msgid) {
    return compiled.terms.filter((term) => termMatches(term, msgid))
}

function latinProblems(compiled, msgid, msgstr, patientFacing) {
    const inMsgid = new Set(withoutPlaceholders(msgid).match(latinTokenPattern) ?? [])
    const tokens = withoutPlaceholders(msgstr).match(latinTokenPattern) ?? []
    return tokens.filter((token) => {
        if (compiled.everywhere.has(token)) return false
        if (patientFacing) return true
        return !(compiled.staffAbbreviations.has(token) && inMsgid.has(token))
    })
}

const symbolPattern = /\+{1,4}|±/g
function symbols(text) {
    return (withoutPlaceholders(text).match(symbolPattern) ?? []).sort()
}

/** The words of a translation without bracketed symbols and punctuation, for `distinct`. */
function readingOf(text) {
    return text
        .replace(/\([^)]*\)/g, ' ')
        .replace(/[+±.,:;!?]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
}

/** Words of the longest sentence (split at . ? ! ; and the Sinhala/Tamil full stop). */
function longestSentence(text) {
    return withoutPlaceholders(text)
        .split(/[.?!;:।]\s/u)
        .map((s) => s.split(/\s+/).filter(Boolean).length)
        .reduce((a, b) => Math.max(a, b), 0)
}

/**
 * Every problem of the catalogues, as {language, msgid, rule, message}.
 *  - msgids: the English msgids in the catalogue (en.pot)
 *  - catalogues: {si: Map, ta: Map} from parsePo
 *  - patientFacing: Set of msgids a patient reads
 */
export function checkCatalogues({ glossary, msgids, catalogues, patientFacing }) {
    const compiled = compileGlossary(glossary)
    const problems = []
    const report = (language, msgid, rule, message) =>
        problems.push({ language, msgid, rule, message })
    const known = new Set(msgids)

    for (const msgid of msgids) {
        if (msgid.endsWith(PLURAL_SUFFIX) && !known.has(msgid.slice(0, -PLURAL_SUFFIX.length)))
            report('en', msgid, 'plural', 'plural key without its singular key')
    }

    for (const language of LANGUAGES) {
        const catalogue = catalogues[language]
        for (const msgid of msgids) {
            const entry = catalogue.get(msgid)
            const forms = entry?.msgstr ?? []
            if (entry?.plural && forms.length !== PLURAL_FORMS[language]) {
                report(
                    language,
                    msgid,
                    'plural',
                    `${forms.length} plural forms, ${language} has ${PLURAL_FORMS[language]}`
                )
            }
            const msgstr = forms[0] ?? ''
            if (!msgstr) {
                report(language, msgid, 'untranslated', 'no translation')
                continue
            }
            const patient = patientFacing.has(msgid)
            for (const form of forms) {
                const want = placeholders(entry.plural ?? msgid).join(', ')
                const got = placeholders(form).join(', ')
                if (want !== got)
                    report(language, msgid, 'placeholder', `has {{${got}}}, needs {{${want}}}`)
            }
            for (const term of termsFor(compiled, msgid)) {
                const target = term[language]
                const accept = target.accept ?? [target.term]
                if (!accept.some((form) => msgstr.includes(form)))
                    report(
                        language,
                        msgid,
                        'glossary',
                        `"${term.id}" must read "${target.term}" (glossary)`
                    )
            }
            for (const rule of [
                ...compiled.avoid,
                ...compiled.terms.flatMap((t) => (termMatches(t, msgid) ? t.avoid : [])),
            ]) {
                if (rule.pattern && !rule.pattern.test(msgid)) continue
                if (rule.patientOnly && !patient) continue
                for (const form of rule[language] ?? []) {
                    if (msgstr.includes(form))
                        report(language, msgid, 'avoid', `uses "${form}": ${rule.why}`)
                }
            }
            const latin = latinProblems(compiled, msgid, msgstr, patient)
            if (latin.length)
                report(
                    language,
                    msgid,
                    'latin',
                    `${patient ? 'patient-facing string' : 'staff string'} keeps English: ${latin.join(', ')}`
                )
            if (symbols(msgid).join(' ') !== symbols(msgstr).join(' '))
                report(language, msgid, 'symbols', `needs ${symbols(msgid).join(' ') || 'none'}`)
            if (patient && compiled.maxPatientSentenceWords) {
                const words = longestSentence(msgstr)
                if (words > compiled.maxPatientSentenceWords)
                    report(
                        language,
                        msgid,
                        'sentence',
                        `a sentence of ${words} words; patient texts keep to ${compiled.maxPatientSentenceWords}`
                    )
            }
        }
        for (const group of compiled.distinct) {
            // Strings of one set name the same level and may read alike; across sets they may not.
            const readings = group.sets.flatMap((set, index) =>
                set
                    .filter((m) => catalogue.get(m)?.msgstr[0])
                    .map((m) => ({
                        msgid: m,
                        index,
                        reading: readingOf(catalogue.get(m).msgstr[0]),
                    }))
            )
            for (const a of readings) {
                for (const b of readings) {
                    if (a.index >= b.index || !a.reading || !b.reading) continue
                    if (a.reading.includes(b.reading) || b.reading.includes(a.reading))
                        report(
                            language,
                            a.msgid,
                            'distinct',
                            `reads like "${b.msgid}" ("${a.reading}" / "${b.reading}"): ${group.why}`
                        )
                }
            }
        }
    }
    return problems
}

export function formatProblems(problems) {
    return problems
        .map((p) => `  ${p.language} [${p.rule}] ${JSON.stringify(p.msgid)}: ${p.message}`)
        .join('\n')
}

const README_START = '<!-- glossary table: generated by `npm run i18n` from glossary.json -->'
const README_END = '<!-- end of glossary table -->'

/** The glossary as the Markdown table of i18n/README.md (English -> Sinhala -> Tamil). */
export function renderGlossaryTable(glossary) {
    const cell = (s) => String(s ?? '').replace(/\|/g, '\\|')
    const rows = glossary.terms.map(
        (t) =>
            `| ${cell(t.english)} | ${cell(t.si.term)} | ${cell(t.ta.term)} | ${cell(t.abbreviation ?? '')} | ${cell(t.status)}${t.source ? ` (${t.source.join(', ')})` : ''} |`
    )
    return [
        README_START,
        '',
        '| English | සිංහල | தமிழ் | staff may keep | status (source) |',
        '|---|---|---|---|---|',
        ...rows,
        '',
        README_END,
    ].join('\n')
}

/** README text with its glossary table replaced by the current one. */
export function withGlossaryTable(readme, glossary) {
    const start = readme.indexOf(README_START)
    const end = readme.indexOf(README_END)
    if (start < 0 || end < start) return readme
    return (
        readme.slice(0, start) +
        renderGlossaryTable(glossary) +
        readme.slice(end + README_END.length)
    )
}
