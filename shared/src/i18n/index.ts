// @anc/shared/i18n: the language hook, the translations gate, and catalogue loading.
export { TranslationsGate } from './TranslationsGate'
export { registerTranslations } from './translations'
export { useLanguage } from './useLanguage'
