import { TranslationsGate, useLanguage } from '@anc/shared/i18n'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import React, { useState } from 'react'
import { LoginPage } from './login/LoginPage'
// English bundled; Sinhala and Tamil load when the user's language needs them.
import './translations'

/**
 * The DHIS2 login app (name `login`, no DHIS2 session): staff sign-in as on any DHIS2, and the
 * patient's own pregnancy record through the relay's patient gateway.
 */
const App = () => {
    useLanguage()
    const [queryClient] = useState(
        () => new QueryClient({ defaultOptions: { queries: { retry: false } } })
    )
    return (
        <TranslationsGate>
            <QueryClientProvider client={queryClient}>
                <LoginPage />
            </QueryClientProvider>
        </TranslationsGate>
    )
}

export default App
