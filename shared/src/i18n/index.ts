// @anc/shared/i18n: the language hook and catalogue loading (the gate is in @anc/shared/app).
export { registerTranslations } from './translations'
export { useLanguage } from './useLanguage'
