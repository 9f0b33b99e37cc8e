import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { PORTAL_FLAG } from '../login/LoginPage'
import { relayFetch, renderLoginPage } from '../../test-support'
import { recordBundle, TODAY } from '../../test-support/record'

/** She has signed in in this tab: the page opens her record. */
function signedIn() {
    sessionStorage.setItem(PORTAL_FLAG, '1')
}

beforeEach(() => {
    sessionStorage.clear()
    window.history.replaceState({}, '', '/dhis-web-login/')
})

describe('patient portal', () => {
    it('shows progress, then her record from one request: next visit first, history in plain words, results', async () => {
        signedIn()
        const { calls } = relayFetch({ '/patient/record': { status: 200, body: recordBundle() } })
        renderLoginPage({ today: TODAY })
        expect(await screen.findByText('Opening your pregnancy record…')).toBeInTheDocument()

        expect(
            await screen.findByRole('heading', { name: 'My pregnancy record' })
        ).toBeInTheDocument()
        expect(calls.filter((c) => c.url.includes('/patient/'))).toEqual([
            { url: '/anc-relay/patient/record', method: 'GET' },
        ])

        const sections = screen.getAllByRole('region')
        expect(sections[0]).toHaveAccessibleName('Your next visit')
        expect(
            within(sections[0]!).getByText('Between May 25, 2026 and May 31, 2026')
        ).toBeInTheDocument()
        expect(within(sections[0]!).getByText('Antenatal contact 2')).toBeInTheDocument()

        const pregnancy = screen.getByRole('region', { name: 'My pregnancy' })
        expect(pregnancy).toHaveTextContent('17 weeks 0 days')
        expect(pregnancy).toHaveTextContent('October 12, 2026')

        const history = screen.getByRole('region', { name: 'My visits so far' })
        expect(history).toHaveTextContent('March 30, 2026')
        expect(history).toHaveTextContent('12 weeks pregnant')
        expect(history).toHaveTextContent('Blood pressure118/76 mmHg')
        expect(history).toHaveTextContent('Your weight58.5 kg')
        expect(history).toHaveTextContent('Protein in your urinenone found')

        const results = screen.getByRole('region', { name: 'My test results' })
        expect(results).toHaveTextContent('Haemoglobin (iron in your blood), March 30, 2026')
        expect(results).toHaveTextContent('10.4 g/dL')

        const details = screen.getByRole('region', { name: 'My details' })
        expect(details).toHaveTextContent('Nadeesha Perera')
        expect(details).toHaveTextContent('1000000018')
        expect(details).toHaveTextContent('Verified with national ID')

        const upcoming = screen.getByRole('region', { name: 'Upcoming visits' })
        expect(within(upcoming).getAllByRole('listitem')).toHaveLength(2)
    })

    it('downloads the upcoming visits as an .ics calendar', async () => {
        signedIn()
        relayFetch({ '/patient/record': { status: 200, body: recordBundle() } })
        const download = jest.fn()
        renderLoginPage({ today: TODAY, download })
        await userEvent.click(
            await screen.findByRole('button', { name: 'Add all visits to my calendar' })
        )
        expect(download).toHaveBeenCalledTimes(1)
        const [text, fileName] = download.mock.calls[0] as [string, string]
        expect(fileName).toBe('anc-visits.ics')
        expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(2)
        expect(text).toContain('DTSTART;VALUE=DATE:20260525')
        expect(text).toContain('SUMMARY:Antenatal contact 2')
        expect(text).toContain('DTSTART;VALUE=DATE:20260706')

        await userEvent.click(screen.getByRole('button', { name: 'Add to my calendar' }))
        const [single, singleName] = download.mock.calls[1] as [string, string]
        expect(singleName).toBe('next-anc-visit.ics')
        expect(single.match(/BEGIN:VEVENT/g)).toHaveLength(1)
    })

    it('says what to do when no record is linked to her national ID (404 no_linked_record)', async () => {
        signedIn()
        relayFetch({
            '/patient/record': {
                status: 404,
                body: { error: 'no_linked_record', message: 'Your record is no longer available' },
            },
        })
        renderLoginPage({ today: TODAY })
        expect(
            await screen.findByText('No pregnancy record is linked to your national ID yet')
        ).toBeInTheDocument()
        expect(screen.getByText(/Ask your midwife \(PHM\) to register you/)).toBeInTheDocument()
        expect(screen.queryByRole('heading', { name: 'My pregnancy record' })).toBeNull()
    })

    it('on an ended session (401) shows nothing of the record and offers to sign in again', async () => {
        signedIn()
        relayFetch({
            '/patient/record': {
                status: 401,
                body: {
                    error: 'unauthenticated',
                    message: 'Your session has ended; sign in again',
                },
            },
        })
        renderLoginPage({ today: TODAY })
        expect(await screen.findByText('You have been signed out')).toBeInTheDocument()
        expect(
            await screen.findByRole('button', { name: 'Sign in again with National ID' })
        ).toBeEnabled()
        expect(screen.queryByText('Nadeesha Perera')).toBeNull()
        await userEvent.click(screen.getByRole('button', { name: 'Back to the sign-in page' }))
        expect(screen.getByRole('heading', { name: 'Staff sign-in' })).toBeInTheDocument()
        expect(sessionStorage.getItem(PORTAL_FLAG)).toBeNull()
    })

    it('offers a retry when the relay cannot be reached', async () => {
        signedIn()
        let answer = { status: 502, body: { message: 'Bad gateway' } as unknown }
        relayFetch({ '/patient/record': () => answer })
        renderLoginPage({ today: TODAY })
        expect(await screen.findByText('Your record could not be opened')).toBeInTheDocument()
        answer = { status: 200, body: recordBundle() }
        await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
        expect(
            await screen.findByRole('heading', { name: 'My pregnancy record' })
        ).toBeInTheDocument()
    })

    it('signs out: tells the relay, forgets the record, and says so', async () => {
        signedIn()
        const { calls } = relayFetch({
            '/patient/record': { status: 200, body: recordBundle() },
            '/patient/logout': { status: 200, body: { loggedOut: true } },
        })
        const { queryClient } = renderLoginPage({ today: TODAY })
        await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }))
        expect(await screen.findByText('You are signed out.')).toBeInTheDocument()
        expect(calls).toContainEqual({ url: '/anc-relay/patient/logout', method: 'POST' })
        expect(screen.queryByText('Nadeesha Perera')).toBeNull()
        expect(queryClient.getQueryData(['patient-record'])).toBeUndefined()
        expect(sessionStorage.getItem(PORTAL_FLAG)).toBeNull()
    })

    it('warns when sign-out could not reach the server', async () => {
        signedIn()
        relayFetch({ '/patient/record': { status: 200, body: recordBundle() } })
        renderLoginPage({ today: TODAY })
        await screen.findByRole('heading', { name: 'My pregnancy record' })
        global.fetch = jest.fn(async () => {
            throw new TypeError('Failed to fetch')
        }) as unknown as typeof fetch
        await userEvent.click(screen.getByRole('button', { name: 'Sign out' }))
        expect(await screen.findByText(/Close this browser window to be safe/)).toBeInTheDocument()
    })
})

describe('patient sign-in entry', () => {
    it('waits for the relay config, then offers the national ID sign-in', async () => {
        relayFetch({})
        renderLoginPage({})
        const button = await screen.findByRole('button', {
            name: 'My pregnancy record: sign in with National ID',
        })
        await waitFor(() => expect(button).toBeEnabled())
    })

    it('says national ID sign-in is unavailable when the relay config cannot be loaded', async () => {
        relayFetch({ '/config': { status: 503, body: {} } })
        renderLoginPage({})
        expect(
            await screen.findByText('National ID sign-in is not available', {}, { timeout: 3000 })
        ).toBeInTheDocument()
        expect(
            screen.getByRole('button', { name: 'My pregnancy record: sign in with National ID' })
        ).toBeDisabled()
    })
})
