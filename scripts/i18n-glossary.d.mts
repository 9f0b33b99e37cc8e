// Types of scripts/i18n-glossary.mjs for the TypeScript tests (the script itself runs in plain Node).
export interface PoEntry {
    msgstr: string[]
    plural?: string
}
export type Catalogue = Map<string, PoEntry>
export interface Problem {
    language: 'en' | 'si' | 'ta'
    msgid: string
    rule:
        | 'untranslated'
        | 'placeholder'
        | 'plural'
        | 'glossary'
        | 'avoid'
        | 'latin'
        | 'symbols'
        | 'distinct'
        | 'sentence'
    message: string
}
export const LANGUAGES: readonly ['si', 'ta']
export const PLURAL_FORMS: { si: number; ta: number }
export function parsePo(text: string): Catalogue
export function placeholders(text: string): string[]
export function compileGlossary(glossary: unknown): unknown
export function checkCatalogues(input: {
    glossary: unknown
    msgids: string[]
    catalogues: { si: Catalogue; ta: Catalogue }
    patientFacing: Set<string>
}): Problem[]
export function formatProblems(problems: Problem[]): string
