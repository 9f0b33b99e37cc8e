// The texts in English, Sinhala and Tamil. The App Platform generates src/locales/ from i18n/*.po
// (git-ignored; scripts/i18n.mjs and every build regenerate it). Its index.js would bundle all
// three languages into the first screen; this registers English and loads the others on demand.
import { registerTranslations } from '@anc/shared/src/i18n/translations'
import en from './locales/en/translations.json'

registerTranslations(en, {
    si: () => import('./locales/si/translations.json'),
    ta: () => import('./locales/ta/translations.json'),
})
