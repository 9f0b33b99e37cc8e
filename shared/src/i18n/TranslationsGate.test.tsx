import i18n from '@dhis2/d2-i18n'
import { act, render, screen, waitFor } from '@testing-library/react'
import React from 'react'
import { registerTranslations } from './translations'
import { TranslationsGate } from './TranslationsGate'
import { useLanguage } from './useLanguage'

/** As in the apps: what reads i18n.t() re-renders through useLanguage. */
const Title = () => {
    useLanguage()
    return <h1>{i18n.t('Sign in')}</h1>
}

// Its own file: the catalogue registry is per module, and here no language has loaded yet.
test('a first screen in Tamil waits for its texts; offline it shows English, and retries', async () => {
    await new Promise((resolve) => setTimeout(resolve, 0)) // d2-i18n's own initialisation
    const attempts: { resolve: (c: Record<string, string>) => void; reject: (e: Error) => void }[] =
        []
    registerTranslations({
        ta: () => new Promise((resolve, reject) => attempts.push({ resolve, reject })),
    })
    await act(async () => {
        await i18n.changeLanguage('ta')
    })
    render(
        <TranslationsGate>
            <Title />
        </TranslationsGate>
    )
    expect(screen.getByRole('status')).toHaveAttribute('aria-busy', 'true')
    expect(screen.queryByRole('heading')).toBeNull()

    // The chunk fails (offline): the app shows, in English, rather than a loader forever.
    await act(async () => attempts[0]?.reject(new Error('chunk failed')))
    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent('Sign in')

    // Choosing the language again retries; the page re-renders when the texts arrive.
    await act(async () => {
        await i18n.changeLanguage('ta')
    })
    expect(attempts).toHaveLength(2)
    await act(async () => attempts[1]?.resolve({ 'Sign in': 'உள்நுழைக' }))
    await waitFor(() =>
        expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('உள்நுழைக')
    )
})
