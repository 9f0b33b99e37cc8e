import { QueryClient, QueryClientProvider, type QueryObserverOptions } from '@tanstack/react-query'
import React, { useState, type ReactNode } from 'react'
import { TranslationsGate } from '../i18n/TranslationsGate'

export interface AppRootProps {
    /** The app's default options for every query (retries, refetch on focus). */
    queries?: Pick<QueryObserverOptions, 'retry' | 'refetchOnWindowFocus'>
    /** Tests pass their own client, to look into or reset its cache. */
    queryClient?: QueryClient
    children: ReactNode
}

/**
 * What the root of every ANC app does, the same way in each: wait for the user's language's
 * texts rather than show English (TranslationsGate), and give the pages one react-query client.
 * The top page component calls `useLanguage()`, so that it re-renders when the language changes.
 */
export const AppRoot = ({ queries, queryClient, children }: AppRootProps) => {
    const [client] = useState(
        () => queryClient ?? new QueryClient({ defaultOptions: { queries: { ...queries } } })
    )
    return (
        <TranslationsGate>
            <QueryClientProvider client={client}>{children}</QueryClientProvider>
        </TranslationsGate>
    )
}
