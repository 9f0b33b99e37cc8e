import i18n from '@dhis2/d2-i18n'
import React from 'react'

/** The DHIS2 login app: staff sign-in and the patient's own record (issue 9 builds the pages). */
const App = () => (
    <main>
        <h1>{i18n.t('Sign in')}</h1>
        <p>{i18n.t('My pregnancy record: sign in with National ID')}</p>
    </main>
)

export default App
