import { useLanguage } from '@anc/shared'
import i18n from '@dhis2/d2-i18n'
import React from 'react'
// Generated from i18n/*.po by scripts/i18n.mjs and by the build (git-ignored).
import './locales'

/** ANC Registration: the midwife's registration journey (issue 7 builds the pages). */
const App = () => {
    useLanguage()
    return (
        <main>
            <h1>{i18n.t('ANC Registration')}</h1>
            <p>{i18n.t('Register a pregnant woman, verified with her national ID.')}</p>
        </main>
    )
}

export default App
