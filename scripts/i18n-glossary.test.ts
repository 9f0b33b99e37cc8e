// The wording check of `npm run i18n -- --check` (scripts/i18n-glossary.mjs): it passes on the
// committed catalogues and fails on each problem issue 21 found, fed back in as a .po file.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { checkCatalogues, compileGlossary, parsePo, type Problem } from './i18n-glossary.mjs'

const root = path.resolve(__dirname, '..')
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')
const glossary = JSON.parse(read('i18n/glossary.json'))
const msgids = [...parsePo(read('i18n/en.pot')).keys()]
const patientFacing = new Set<string>(JSON.parse(read('i18n/patient-facing.json')).msgids)
const po = { si: read('i18n/si.po'), ta: read('i18n/ta.po') }

/** The .po text with one translation replaced, as a translator's edit would leave it. */
function edit(text: string, msgid: string, msgstr: string): string {
    const entry = `msgid ${JSON.stringify(msgid)}\nmsgstr `
    const start = text.indexOf(entry)
    if (start < 0) throw new Error(`not in the catalogue: ${msgid}`)
    const end = text.indexOf('\n', start + entry.length)
    return text.slice(0, start) + entry + JSON.stringify(msgstr) + text.slice(end)
}

function check(
    edits: { si?: [string, string][]; ta?: [string, string][] },
    options: { msgids?: string[] } = {}
): Problem[] {
    const text = { ...po }
    for (const language of ['si', 'ta'] as const)
        for (const [msgid, msgstr] of edits[language] ?? [])
            text[language] = edit(text[language], msgid, msgstr)
    return checkCatalogues({
        glossary,
        msgids: options.msgids ?? msgids,
        catalogues: { si: parsePo(text.si), ta: parsePo(text.ta) },
        patientFacing,
    })
}

const rules = (problems: Problem[], msgid: string) =>
    problems.filter((p) => p.msgid === msgid).map((p) => `${p.language}:${p.rule}`)

describe('the committed catalogues', () => {
    it('follow the glossary: no problem in Sinhala or Tamil', () => {
        expect(check({})).toEqual([])
    })

    it('classify the patient portal strings as patient-facing, staff forms as not', () => {
        expect(patientFacing.has('Protein in your urine')).toBe(true)
        expect(patientFacing.has('You have been signed out')).toBe(true)
        expect(patientFacing.has('Enter the gravida.')).toBe(false)
    })
})

describe('the check fails on each problem of issue 21', () => {
    it('trace and + that read alike (the old Sinhala)', () => {
        const problems = check({
            si: [
                ['Trace', 'සුළු ප්‍රමාණයක් (Trace)'],
                ['a little (+)', 'සුළු ප්‍රමාණයක් (+)'],
            ],
        })
        expect(rules(problems, 'Trace')).toEqual(
            expect.arrayContaining(['si:glossary', 'si:latin', 'si:distinct'])
        )
    })

    it('a patient trace that contains the + wording', () => {
        const problems = check({ ta: [['a trace', 'மிகச் சிறிதளவு']] })
        expect(rules(problems, 'a trace')).toEqual(
            expect.arrayContaining(['ta:glossary', 'ta:distinct'])
        )
    })

    it('a dipstick symbol lost or changed', () => {
        const problems = check({ si: [['a lot (+++)', 'විශාල ප්‍රමාණයක් (++)']] })
        expect(rules(problems, 'a lot (+++)')).toEqual(['si:symbols'])
    })

    it('"signed out" as "removed" (si) and "expelled" (ta)', () => {
        const problems = check({
            si: [['You have been signed out', 'ඔබව ඉවත් කර ඇත']],
            ta: [['You have been signed out', 'நீங்கள் வெளியேற்றப்பட்டுள்ளீர்கள்']],
        })
        expect(rules(problems, 'You have been signed out')).toEqual(
            expect.arrayContaining(['si:avoid', 'ta:avoid'])
        )
    })

    it('a contact translated as a meeting, or as a visit', () => {
        const problems = check({
            si: [['Contact {{n}}', 'හමුව {{n}}']],
            ta: [['Contact {{n}}', 'வருகை {{n}}']],
        })
        expect(rules(problems, 'Contact {{n}}')).toEqual(
            expect.arrayContaining(['si:glossary', 'si:avoid', 'ta:glossary'])
        )
    })

    it('a visit translated as a meeting', () => {
        const problems = check({ ta: [['Visit saved', 'சந்திப்பு சேமிக்கப்பட்டது']] })
        expect(rules(problems, 'Visit saved')).toEqual(['ta:glossary', 'ta:avoid'])
    })

    it('"contact your administrator" is not an ANC contact', () => {
        const msgid = 'This account is disabled. Contact your system administrator to enable it.'
        expect(rules(check({}), msgid)).toEqual([])
    })

    it('නියමිත දිනය (due date) for the date of the next contact', () => {
        const msgid = 'Next contact: {{n}} at {{weeks}} weeks, due {{date}}'
        const problems = check({
            si: [[msgid, 'මීළඟ සායන වාරය: {{n}}, සති {{weeks}}දී, නියමිත දිනය {{date}}']],
        })
        expect(rules(problems, msgid)).toEqual(['si:avoid'])
    })

    it('a second Sinhala term for the EDD', () => {
        const problems = check({ si: [['Expected due date', 'දරු ප්‍රසූතිය අපේක්ෂිත දිනය']] })
        expect(rules(problems, 'Expected due date')).toEqual(['si:glossary', 'si:avoid'])
    })

    it('the ungrammatical Tamil patient sentence', () => {
        const msgid =
            'If something here is wrong, tell your midwife at your next visit. This page only shows your record; it cannot change it.'
        const problems = check({
            ta: [
                [
                    msgid,
                    'இங்கே ஏதேனும் தவறாக இருந்தால், அடுத்த வருகையின்போது உங்கள் குடும்பநல உத்தியோகத்தரிடம் சொல்லுங்கள். இந்தப் பக்கம் உங்கள் பதிவைக் காட்டுகிறது மட்டுமே.',
                ],
            ],
        })
        expect(rules(problems, msgid)).toEqual(['ta:avoid'])
    })

    it('"against gestational age" as "opposed to"', () => {
        const msgid = 'Fundal height against gestational age'
        const problems = check({
            ta: [[msgid, 'கர்ப்பகால வயதுக்கு எதிரான கருப்பை உயரம்']],
        })
        expect(rules(problems, msgid)).toEqual(['ta:avoid'])
    })

    it('"refer" as "recommend" with English left in brackets', () => {
        const msgid = 'Danger sign: refer'
        const problems = check({ ta: [[msgid, 'அபாய அறிகுறி: பரிந்துரைக்கவும் (refer)']] })
        expect(rules(problems, msgid)).toEqual(['ta:glossary', 'ta:avoid', 'ta:latin'])
    })

    it('"Sign in with National ID" as "together with the card"', () => {
        const msgid = 'Sign in again with National ID'
        const problems = check({
            ta: [[msgid, 'தேசிய அடையாள அட்டையுடன் மீண்டும் உள்நுழைக']],
            si: [[msgid, 'ජාතික හැඳුනුම්පත සමඟ නැවත පිවිසෙන්න']],
        })
        expect(rules(problems, msgid)).toEqual(['si:avoid', 'ta:avoid'])
    })

    it('an English word in brackets on a patient screen, even an abbreviation', () => {
        const msgid =
            'Ask your midwife (PHM) to register you with your national ID, or to link your existing record to it. Then sign in here again.'
        const problems = check({
            si: [['a trace', 'අංශු මාත්‍රයක් (trace)']],
            ta: [
                [
                    msgid,
                    'உங்கள் தேசிய அடையாள அட்டை மூலம் பதிவு செய்ய உங்கள் குடும்பநல உத்தியோகத்தரிடம் (PHM) கேளுங்கள். பின்னர் மீண்டும் இங்கே உள்நுழையுங்கள்.',
                ],
            ],
        })
        expect(rules(problems, 'a trace')).toEqual(['si:latin'])
        expect(rules(problems, msgid)).toEqual(['ta:latin'])
    })

    it('an English word in a staff string; a listed abbreviation the English uses is allowed', () => {
        const problems = check({
            si: [
                ['Enter the gravida.', 'ගර්භ සංඛ්‍යාව (Gravida) ඇතුළත් කරන්න.'],
                ['Hb {{v}} g/dL', 'හිමොග්ලොබින් (Hb) {{v}} g/dL'],
                ['Weight {{v}} kg', 'බර (BP) {{v}} kg'],
            ],
        })
        expect(rules(problems, 'Enter the gravida.')).toEqual(['si:latin'])
        expect(rules(problems, 'Hb {{v}} g/dL')).toEqual([])
        expect(rules(problems, 'Weight {{v}} kg')).toEqual(['si:latin'])
    })

    it('a staff abbreviation alone where the glossary wants the term', () => {
        const msgid = 'This EDD would put the LMP in the future.'
        const problems = check({ si: [[msgid, 'මෙම EDD දිනය අනුව LMP දිනය අනාගතයේ වේ.']] })
        expect(rules(problems, msgid)).toEqual(['si:glossary', 'si:glossary'])
    })
})

describe('the mechanical rules', () => {
    it('a placeholder that differs between msgid and msgstr', () => {
        const problems = check({ si: [['Contact {{n}}', 'සායන වාරය {{count}}']] })
        expect(problems).toEqual([
            {
                language: 'si',
                msgid: 'Contact {{n}}',
                rule: 'placeholder',
                message: 'has {{count}}, needs {{n}}',
            },
        ])
    })

    it('an untranslated string', () => {
        expect(rules(check({ ta: [['Weight', '']] }), 'Weight')).toEqual(['ta:untranslated'])
    })

    it('a plural key without its singular', () => {
        const problems = check({}, { msgids: ['Visits ({{count}})_plural'] })
        expect(rules(problems, 'Visits ({{count}})_plural')).toEqual(['en:plural'])
    })

    it('a gettext plural entry with the wrong number of forms', () => {
        const pot =
            'msgid ""\nmsgstr ""\n\nmsgid "{{count}} day"\nmsgid_plural "{{count}} days"\nmsgstr[0] ""\nmsgstr[1] ""\n'
        const one = (msgstr: string) =>
            parsePo(
                `msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "{{count}} day"\nmsgid_plural "{{count}} days"\n${msgstr}\n`
            )
        const problems = checkCatalogues({
            glossary,
            msgids: [...parsePo(pot).keys()],
            catalogues: {
                si: one('msgstr[0] "දින {{count}}"'),
                ta: one('msgstr[0] "{{count}} நாள்"\nmsgstr[1] "{{count}} நாட்கள்"'),
            },
            patientFacing,
        })
        expect(problems.map((p) => `${p.language}:${p.rule}`)).toEqual(['si:plural'])
    })

    it('a patient sentence too long for a woman with basic schooling', () => {
        const msgid = 'No more visits are planned.'
        const long = Array.from({ length: 25 }, () => 'සායන දින').join(' ') + '.'
        expect(rules(check({ si: [[msgid, long]] }), msgid)).toEqual(['si:sentence'])
    })

    it('refuses a glossary term without a Sinhala or Tamil term', () => {
        expect(() =>
            compileGlossary({ terms: [{ id: 'x', en: ['x'], si: { term: 'x' } }] })
        ).toThrow(/ta\.term missing/)
    })
})
