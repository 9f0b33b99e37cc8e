import { AppRoot } from '@anc/shared/app'
import React from 'react'
import { LoginPage } from './login/LoginPage'
// English bundled; Sinhala and Tamil load when the user's language needs them.
import './translations'

/**
 * The DHIS2 login app (name `login`, no DHIS2 session): staff sign-in as on any DHIS2, and the
 * patient's own pregnancy record through the relay's patient gateway.
 */
const App = () => (
    <AppRoot queries={{ retry: false }}>
        <LoginPage />
    </AppRoot>
)

export default App
