import { CustomDataProvider } from '@dhis2/app-runtime'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import React from 'react'
import { formatPhnForDisplay } from '../phn/phn'
import { httpError } from '../../test-support/data-engine'
import { AncConfigProvider } from './AncConfigProvider'
import { useLoadedAncConfig } from './useAncConfig'

/** Stands for an app page: shows what it would use from the configuration. */
const Page = () => {
    const config = useLoadedAncConfig()
    return <p>PHN shown as {formatPhnForDisplay('0000000016', config.phn)}</p>
}

/** The three keys as CustomDataProvider serves them; `answer` may throw like DHIS2. */
function renderWith(answer: (key: string) => unknown) {
    const key = (name: string) => () => answer(name)
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    return render(
        <CustomDataProvider
            data={
                {
                    'dataStore/anc/claims-mapping': key('claims-mapping'),
                    'dataStore/anc/fhir-config': key('fhir-config'),
                    'dataStore/anc/phn-config': key('phn-config'),
                } as never
            }
        >
            <QueryClientProvider client={client}>
                <AncConfigProvider>
                    <Page />
                </AncConfigProvider>
            </QueryClientProvider>
        </CustomDataProvider>
    )
}

const absent = () => {
    throw httpError(404)
}

describe('AncConfigProvider', () => {
    it('shows a loader, then the page with the stored configuration and no warning', async () => {
        renderWith((key) => (key === 'phn-config' ? { displayGroups: [2, 8] } : absent()))
        expect(screen.getByRole('status')).toHaveTextContent('Loading the settings')
        expect(await screen.findByText('PHN shown as 00 00000016')).toBeInTheDocument()
        expect(screen.queryByText(/were ignored/)).not.toBeInTheDocument()
    })

    it('a refused setting: the page works on the default and the user is told which one', async () => {
        renderWith((key) =>
            key === 'phn-config' ? { displayGroups: 'three-three-four' } : absent()
        )
        expect(await screen.findByText('PHN shown as 000 000 0016')).toBeInTheDocument()
        expect(
            screen.getByText('Some settings from your administrator were ignored')
        ).toBeInTheDocument()
        expect(
            screen.getByText(
                "The administrator's setting phn-config.displayGroups was ignored and the default used."
            )
        ).toBeInTheDocument()
    })

    it('the datastore failing stops the app with a retry, which then starts it', async () => {
        let failing = true
        renderWith(() => {
            if (failing) throw httpError(500)
            return absent()
        })
        expect(await screen.findByText('The settings could not be loaded')).toBeInTheDocument()
        expect(screen.queryByText(/PHN shown as/)).not.toBeInTheDocument()
        failing = false
        await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }))
        expect(await screen.findByText('PHN shown as 000 000 0016')).toBeInTheDocument()
    })
})
