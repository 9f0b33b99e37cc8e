/**
 * The languages every app ships (DHIS2 UI locale codes), in the order a language switch shows
 * them. Names are written in their own language so a reader finds hers without knowing ours.
 */
export const SUPPORTED_LANGUAGES = [
    { code: 'en', name: 'English', esignetLocale: 'eng' },
    { code: 'si', name: 'සිංහල', esignetLocale: 'sin' },
    { code: 'ta', name: 'தமிழ்', esignetLocale: 'tam' },
] as const

export type LanguageCode = (typeof SUPPORTED_LANGUAGES)[number]['code']

/** Maps any DHIS2 locale (e.g. `si_LK`, `ta`, `en_GB`) to one we ship, English by default. */
export function supportedLanguage(locale: string | undefined | null): LanguageCode {
    const base = (locale ?? '').split(/[-_]/)[0]?.toLowerCase()
    const match = SUPPORTED_LANGUAGES.find((language) => language.code === base)
    return match ? match.code : 'en'
}
