import i18n from '@dhis2/d2-i18n'
import { act, render, screen } from '@testing-library/react'
import React from 'react'
import RegistrationApp from '../../../registration-app/src/App'
import PatientApp from '../../../patient-app/src/App'

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
    it('re-renders an app in Sinhala and Tamil from the committed catalogue', async () => {
        render(<RegistrationApp />)
        expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('ANC Registration')

        await act(async () => {
            await i18n.changeLanguage('si')
        })
        expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('ප්‍රසව පූර්ව සත්කාර ලියාපදිංචිය')

        await act(async () => {
            await i18n.changeLanguage('ta')
        })
        expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('மகப்பேறுக்கு முந்தைய பராமரிப்பு பதிவு')
    })

    it('falls back to English for a language we do not ship', async () => {
        render(<PatientApp />)
        await act(async () => {
            await i18n.changeLanguage('fr')
        })
        expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Sign in')
    })
})
