import { useLanguage } from '@anc/shared/src/i18n/useLanguage'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import React, { useState } from 'react'
import { LoginPage } from './LoginPage'
// Generated from i18n/*.po by scripts/i18n.mjs and by the build (git-ignored).
import './locales'

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
        <QueryClientProvider client={queryClient}>
            <LoginPage />
        </QueryClientProvider>
    )
}

export default App
