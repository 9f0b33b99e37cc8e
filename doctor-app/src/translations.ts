// The texts in Sinhala and Tamil. The App Platform generates src/locales/ from i18n/*.po
// (git-ignored; scripts/i18n.mjs and every build regenerate it). Its index.js would bundle every
// language into the first screen; this loads a language when the user's needs it. English needs
// nothing: the English texts are the keys themselves.
import { registerTranslations } from '@anc/shared/i18n'

registerTranslations({
    si: () => import('./locales/si/translations.json'),
    ta: () => import('./locales/ta/translations.json'),
})
