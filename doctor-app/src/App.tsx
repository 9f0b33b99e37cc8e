import i18n from '@dhis2/d2-i18n'
import React from 'react'

/** ANC Doctor: the clinician's record view and visit write-back (issue 8 builds the pages). */
const App = () => (
    <main>
        <h1>{i18n.t('ANC Doctor')}</h1>
        <p>{i18n.t('Open an antenatal record by its PHN.')}</p>
    </main>
)

export default App
