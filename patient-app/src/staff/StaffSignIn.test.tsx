import { FetchError } from '@dhis2/app-runtime'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { relayFetch, renderLoginPage, type LoginHandler } from '../../test-support'

async function signIn(login: LoginHandler, username = 'midwife', password = 'Anc#2026dev') {
    const page = renderLoginPage({ login })
    const user = userEvent.setup()
    await user.type(await screen.findByLabelText(/^Username/), username)
    await user.type(screen.getByLabelText(/^Password/), password)
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    return { ...page, user }
}

beforeEach(() => {
    relayFetch({})
    window.history.replaceState({}, '', '/dhis-web-login/')
})

describe('staff sign-in with username and password', () => {
    it('posts the credentials to auth/login and goes to the redirectUrl DHIS2 kept', async () => {
        const bodies: unknown[] = []
        const { navigate } = await signIn((type, query) => {
            bodies.push({ type, data: query.data })
            return { loginStatus: 'SUCCESS', redirectUrl: '/api/apps/anc-registration/' }
        })
        await waitFor(() =>
            expect(navigate).toHaveBeenCalledWith('http://localhost/api/apps/anc-registration/')
        )
        expect(bodies).toEqual([
            { type: 'create', data: { username: 'midwife', password: 'Anc#2026dev' } },
        ])
    })

    it('follows a same-origin ?redirect=, but never a foreign one', async () => {
        window.history.replaceState({}, '', '/dhis-web-login/?redirect=/api/apps/anc-doctor/')
        const first = await signIn(() => ({ loginStatus: 'SUCCESS', redirectUrl: '/' }))
        await waitFor(() =>
            expect(first.navigate).toHaveBeenCalledWith('http://localhost/api/apps/anc-doctor/')
        )
        first.unmount()

        window.history.replaceState({}, '', '/dhis-web-login/?redirect=https://evil.example/x')
        const second = await signIn(() => ({ loginStatus: 'SUCCESS', redirectUrl: '/' }))
        await waitFor(() => expect(second.navigate).toHaveBeenCalledWith('http://localhost/'))
    })

    it('says so when the username or password is wrong (401)', async () => {
        const { navigate } = await signIn(() => {
            throw new FetchError({
                type: 'access',
                message: 'Bad credentials',
                details: { httpStatusCode: 401, httpStatus: 'Unauthorized' } as never,
            })
        })
        expect(await screen.findByText(/Incorrect username or password/)).toBeInTheDocument()
        expect(navigate).not.toHaveBeenCalled()
        // The form keeps what was typed.
        expect(screen.getByLabelText(/^Username/)).toHaveValue('midwife')
    })

    it.each([
        ['PASSWORD_EXPIRED', /Your password has expired/],
        ['ACCOUNT_DISABLED', /This account is disabled/],
        ['ACCOUNT_LOCKED', /This account is locked/],
        ['ACCOUNT_EXPIRED', /This account has expired/],
        ['INVALID', /Two-factor authentication is not set up correctly/],
        ['SOMETHING_NEW', /Sign-in did not succeed \(SOMETHING_NEW\)/],
    ])('explains loginStatus %s and stays on the page', async (status, message) => {
        const { navigate } = await signIn(() => ({ loginStatus: status, redirectUrl: null }))
        expect(await screen.findByRole('alert')).toHaveTextContent(message)
        expect(navigate).not.toHaveBeenCalled()
    })

    it('reports a server it cannot reach', async () => {
        await signIn(() => {
            throw new FetchError({ type: 'network', message: 'An unknown network error occurred' })
        })
        expect(await screen.findByText(/server could not be reached/)).toBeInTheDocument()
    })

    it.each([
        ['INCORRECT_TWO_FACTOR_CODE_TOTP', /authenticator app/],
        ['EMAIL_TWO_FACTOR_CODE_SENT', /sent a sign-in code to your email/],
        ['INCORRECT_TWO_FACTOR_CODE', /two-factor authentication code/],
    ])(
        'asks for the two-factor code on %s, rejects a wrong one, then signs in',
        async (status, prompt) => {
            const sent: unknown[] = []
            let attempt = 0
            const { navigate, user } = await signIn((_type, query) => {
                sent.push(query.data)
                attempt += 1
                if (attempt < 3) return { loginStatus: status, redirectUrl: null }
                return { loginStatus: 'SUCCESS', redirectUrl: '/dhis-web-dashboard/' }
            })
            expect(await screen.findByText(prompt)).toBeInTheDocument()
            const codeField = screen.getByLabelText(/^Authentication code/)
            await waitFor(() => expect(codeField).toHaveFocus())
            await user.type(codeField, '123 456')
            await user.click(screen.getByRole('button', { name: 'Sign in' }))
            if (status !== 'EMAIL_TWO_FACTOR_CODE_SENT') {
                expect(await screen.findByText(/That code was not accepted/)).toBeInTheDocument()
            }
            await user.type(screen.getByLabelText(/^Authentication code/), '654321')
            await user.click(screen.getByRole('button', { name: 'Sign in' }))
            await waitFor(() =>
                expect(navigate).toHaveBeenCalledWith('http://localhost/dhis-web-dashboard/')
            )
            expect(sent).toEqual([
                { username: 'midwife', password: 'Anc#2026dev' },
                { username: 'midwife', password: 'Anc#2026dev', twoFactorCode: '123456' },
                { username: 'midwife', password: 'Anc#2026dev', twoFactorCode: '654321' },
            ])
        }
    )

    it('lets the user back out of the two-factor step', async () => {
        const { user } = await signIn(() => ({
            loginStatus: 'INCORRECT_TWO_FACTOR_CODE_TOTP',
            redirectUrl: null,
        }))
        await screen.findByLabelText(/^Authentication code/)
        await user.click(screen.getByRole('button', { name: 'Cancel' }))
        expect(screen.queryByLabelText(/^Authentication code/)).not.toBeInTheDocument()
        expect(screen.getByLabelText(/^Username/)).toBeEnabled()
    })
})

describe('the rest of the login page from loginConfig', () => {
    it('shows the title and one button per OIDC provider, which goes to its URL', async () => {
        const { navigate } = renderLoginPage({
            loginConfig: {
                applicationTitle: 'Ministry of Health ANC',
                oidcProviders: [
                    {
                        id: 'esignet',
                        loginText: 'Sign in with National ID',
                        url: '/oauth2/authorization/esignet',
                    },
                    { id: 'other', url: '/oauth2/authorization/other' },
                ],
            },
        })
        expect(
            await screen.findByRole('heading', { level: 1, name: 'Ministry of Health ANC' })
        ).toBeInTheDocument()
        await userEvent.click(screen.getByRole('button', { name: 'Sign in with National ID' }))
        expect(navigate).toHaveBeenCalledWith('http://localhost/oauth2/authorization/esignet')
        await userEvent.click(screen.getByRole('button', { name: 'Sign in with other' }))
        expect(navigate).toHaveBeenLastCalledWith('http://localhost/oauth2/authorization/other')
    })

    it('shows no OIDC section when loginConfig lists no provider', async () => {
        renderLoginPage({ loginConfig: { applicationTitle: 'Plain DHIS2', oidcProviders: [] } })
        await screen.findByRole('heading', { level: 1, name: 'Plain DHIS2' })
        expect(screen.queryByRole('button', { name: /Sign in with National ID$/ })).toBeNull()
        expect(screen.queryByText('or')).toBeNull()
    })

    it('explains a failed national ID sign-in (?oidcFailure=true)', async () => {
        window.history.replaceState({}, '', '/dhis-web-login/?oidcFailure=true')
        renderLoginPage({})
        expect(await screen.findByText('Sign-in with national ID did not work')).toBeInTheDocument()
        expect(screen.getByText(/could not be matched to a DHIS2 account/)).toBeInTheDocument()
    })

    it('shows the custom logo from loginConfig', async () => {
        const { container } = renderLoginPage({
            loginConfig: {
                applicationTitle: 'ANC',
                useCustomLogoFront: true,
                loginPageLogo: '/api/staticContent/logo_front',
            },
        })
        await screen.findByRole('heading', { level: 1, name: 'ANC' })
        expect(container.querySelector('img')).toHaveAttribute(
            'src',
            'http://localhost/api/staticContent/logo_front'
        )
    })
})
