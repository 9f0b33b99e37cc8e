import i18n from '@dhis2/d2-i18n'
import { useCallback, useSyncExternalStore } from 'react'
import { supportedLanguage, type LanguageCode } from './languages'

function subscribe(onChange: () => void): () => void {
    i18n.on('languageChanged', onChange)
    return () => i18n.off('languageChanged', onChange)
}

/**
 * The current UI language, re-rendering the caller when it changes. The app adapter may switch
 * the language after the first render (a login app learns it from loginConfig), and a language
 * switch changes it at any time: components that read i18n.t() must re-render then.
 */
export function useLanguage(): [LanguageCode, (language: LanguageCode) => void] {
    const language = useSyncExternalStore(subscribe, () => supportedLanguage(i18n.language))
    const setLanguage = useCallback((next: LanguageCode) => {
        void i18n.changeLanguage(next)
    }, [])
    return [language, setLanguage]
}
