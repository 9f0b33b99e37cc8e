import i18n from '@dhis2/d2-i18n'
import { act, render, screen } from '@testing-library/react'
import React from 'react'
// The login app's generated locales (scripts/i18n.mjs), as its build bundles them.
import '../../../patient-app/src/locales'
import { useLanguage } from './useLanguage'

const Heading = () => {
    useLanguage()
    return <h1>{i18n.t('Sign in')}</h1>
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
    it('re-renders in Sinhala and Tamil from the committed catalogue', async () => {
        render(<Heading />)
        expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Sign in')

        await act(async () => {
            await i18n.changeLanguage('si')
        })
        expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('පිවිසෙන්න')

        await act(async () => {
            await i18n.changeLanguage('ta')
        })
        expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('உள்நுழைக')
    })

    it('falls back to English for a language we do not ship', async () => {
        render(<Heading />)
        await act(async () => {
            await i18n.changeLanguage('fr')
        })
        expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Sign in')
    })
})
