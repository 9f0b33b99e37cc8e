import i18n from '@dhis2/d2-i18n'
import { act, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import React from 'react'
// The login app's catalogue registration, as its build bundles it: English now, the rest lazily.
import '../../../patient-app/src/translations'
import { translationsLoaded } from './translations'
import { useLanguage } from './useLanguage'

const Heading = () => {
    const [language, setLanguage] = useLanguage()
    return (
        <>
            <h1>{i18n.t('Sign in')}</h1>
            <p data-testid="language">{language}</p>
            <button onClick={() => setLanguage('ta')}>ta</button>
        </>
    )
}

beforeAll(async () => {
    // d2-i18n finishes its own initialisation on a timer that resets the language to English:
    // let it run before switching, as it has long run in a browser by the time a user switches.
    await new Promise((resolve) => setTimeout(resolve, 0))
})

afterEach(async () => {
    await act(async () => {
        await i18n.changeLanguage('en')
    })
})

// Headings are matched by text content: Sinhala conjuncts contain a zero-width joiner that
// accessible-name computation does not keep.
describe('language switch', () => {
    it('loads Sinhala only when it is chosen, then re-renders in it', async () => {
        expect(translationsLoaded('si')).toBe(false)
        render(<Heading />)
        expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Sign in')

        await act(async () => {
            await i18n.changeLanguage('si')
        })
        await waitFor(() =>
            expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('පිවිසෙන්න')
        )
        expect(translationsLoaded('si')).toBe(true)
    })

    it('a switch made in the app waits for the texts, then changes language', async () => {
        render(<Heading />)
        await userEvent.setup().click(screen.getByRole('button', { name: 'ta' }))
        await waitFor(() =>
            expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('உள்நுழைக')
        )
        expect(screen.getByTestId('language')).toHaveTextContent('ta')
    })

    it('falls back to English for a language we do not ship', async () => {
        render(<Heading />)
        await act(async () => {
            await i18n.changeLanguage('fr')
        })
        expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Sign in')
    })
})
