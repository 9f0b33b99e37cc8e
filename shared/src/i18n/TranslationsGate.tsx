import { CircularLoader } from '@dhis2/ui'
import React, { type ReactNode } from 'react'
import { useTranslationsReady } from './useLanguage'

/**
 * The app root's first wait: a Sinhala or Tamil user sees a loader for the moment her language's
 * texts load, not the app in English. (No words here: they are what is loading.)
 */
export const TranslationsGate = ({ children }: { children: ReactNode }) =>
    useTranslationsReady() ? (
        <>{children}</>
    ) : (
        <div role="status" aria-busy="true" style={{ padding: 16 }}>
            <CircularLoader small />
        </div>
    )
