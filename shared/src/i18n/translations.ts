/**
 * The apps' translations, loaded by language. English needs no catalogue (its texts are the
 * keys); Sinhala and Tamil (about 13 kB gzip each) load when a user's language needs them, so
 * nobody downloads the languages she does not read on every first screen.
 *
 * Each app registers its own catalogue once (`src/translations.ts`): the files are the ones the
 * App Platform generates from i18n/*.po into src/locales/, and the dynamic imports must name them
 * statically for the bundler to split them out.
 */
import i18n from '@dhis2/d2-i18n'
import { supportedLanguage, type LanguageCode } from './languages'

type Catalogue = Record<string, string>
type CatalogueLoader = () => Promise<{ default: Catalogue } | Catalogue>

/** The namespace the platform's generated locales use (d2-i18n's default). */
const NAMESPACE = 'default'

const loaders = new Map<LanguageCode, CatalogueLoader>()
const loaded = new Set<LanguageCode>(['en'])
const pending = new Map<LanguageCode, Promise<void>>()
/** Catalogues that failed to load (offline): shown in English rather than a loader forever. */
const failed = new Set<LanguageCode>()
const listeners = new Set<() => void>()

/**
 * The loaders of the languages other than English (whose texts are the keys themselves, so it
 * needs no catalogue).
 */
export function registerTranslations(
    others: Partial<Record<Exclude<LanguageCode, 'en'>, CatalogueLoader>>
): void {
    for (const [language, load] of Object.entries(others)) {
        if (load) loaders.set(language as LanguageCode, load)
    }
    // Whatever language the adapter set before this ran, or sets later.
    void loadTranslations(i18n.language).catch(() => undefined)
}

/** Whether the texts of this locale's language are in place (languages we do not ship: English). */
export function translationsLoaded(locale: string | undefined | null): boolean {
    const language = supportedLanguage(locale)
    return loaded.has(language) || failed.has(language) || !loaders.has(language)
}

/** Loads a language's catalogue once; resolves at once when it is there or not shipped. */
export function loadTranslations(locale: string | undefined | null): Promise<void> {
    const language = supportedLanguage(locale)
    const load = loaders.get(language)
    if (loaded.has(language) || !load) return Promise.resolve()
    let loading = pending.get(language)
    if (!loading) {
        failed.delete(language)
        loading = load().then(
            (module) => {
                const catalogue = ('default' in module ? module.default : module) as Catalogue
                i18n.addResourceBundle(language, NAMESPACE, catalogue, true, false)
                loaded.add(language)
                pending.delete(language)
                notify()
            },
            (error: unknown) => {
                // A failed chunk (offline) is retried by the next switch to this language.
                failed.add(language)
                pending.delete(language)
                notify()
                throw error
            }
        )
        pending.set(language, loading)
    }
    return loading
}

function notify(): void {
    for (const listener of [...listeners]) listener()
}

/** Called when a language's catalogue arrives or fails (for hooks that must re-render). */
export function onTranslationsLoaded(listener: () => void): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
}

// A language set by anyone (the app adapter from user settings, the login app from loginConfig)
// starts its catalogue's download at once.
i18n.on('languageChanged', (language: string) => {
    loadTranslations(language).catch(() => undefined)
})
