import { useLanguage } from '@anc/shared'
import i18n from '@dhis2/d2-i18n'
import React from 'react'
// Generated from i18n/*.po by scripts/i18n.mjs and by the build (git-ignored).
import './locales'

/** ANC Doctor: the clinician's record view and visit write-back (issue 8 builds the pages). */
const App = () => {
    useLanguage()
    return (
        <main>
            <h1>{i18n.t('ANC Doctor')}</h1>
            <p>{i18n.t('Open an antenatal record by its PHN.')}</p>
        </main>
    )
}

export default App
