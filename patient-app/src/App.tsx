import { useLanguage } from '@anc/shared'
import i18n from '@dhis2/d2-i18n'
import React from 'react'
// Generated from i18n/*.po by scripts/i18n.mjs and by the build (git-ignored).
import './locales'

/** The DHIS2 login app: staff sign-in and the patient's own record (issue 9 builds the pages). */
const App = () => {
    useLanguage()
    return (
        <main>
            <h1>{i18n.t('Sign in')}</h1>
            <p>{i18n.t('My pregnancy record: sign in with National ID')}</p>
        </main>
    )
}

export default App
