import i18n from '@dhis2/d2-i18n'
import { useCallback, useEffect, useSyncExternalStore } from 'react'
import { supportedLanguage, type LanguageCode } from './languages'
import { loadTranslations, onTranslationsLoaded, translationsLoaded } from './translations'

function subscribe(onChange: () => void): () => void {
    i18n.on('languageChanged', onChange)
    const stopListening = onTranslationsLoaded(onChange)
    return () => {
        i18n.off('languageChanged', onChange)
        stopListening()
    }
}

/**
 * The current UI language, re-rendering the caller when it changes or its texts arrive. The app
 * adapter may switch the language after the first render (a login app learns it from
 * loginConfig), and a language switch changes it at any time: components that read i18n.t() must
 * re-render then. A switch made here waits for the new language's texts before it happens, so
 * the page never flashes English in between.
 */
export function useLanguage(): [LanguageCode, (language: LanguageCode) => void] {
    const language = useSyncExternalStore(subscribe, () => supportedLanguage(i18n.language))
    // Re-render once this language's catalogue is in, too.
    useSyncExternalStore(subscribe, () => translationsLoaded(i18n.language))
    const setLanguage = useCallback((next: LanguageCode) => {
        void loadTranslations(next)
            .catch(() => undefined) // offline: switch anyway, untranslated texts stay English
            .then(() => i18n.changeLanguage(next))
    }, [])
    return [language, setLanguage]
}

/**
 * False while the texts of the current language are still loading (the first screen of a user
 * whose language is Sinhala or Tamil): the app root shows a loader rather than English.
 */
export function useTranslationsReady(): boolean {
    const ready = useSyncExternalStore(subscribe, () => translationsLoaded(i18n.language))
    useEffect(() => {
        if (!ready) loadTranslations(i18n.language).catch(() => undefined)
    }, [ready])
    return ready
}
