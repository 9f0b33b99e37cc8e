import { RELAY_CONFIG_BODY } from '@anc/shared/test-support'
import { CustomDataProvider } from '@dhis2/app-runtime'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import React from 'react'
import { LoginPage } from '../src/login/LoginPage'
import { NavigationContext } from '../src/common/navigation'
import type { LoginConfig } from '../src/staff/login-config'

export const LOGIN_CONFIG: LoginConfig = {
    applicationTitle: 'ANC Sri Lanka',
    applicationDescription: 'Antenatal care',
    uiLocale: 'en',
    oidcProviders: [
        {
            id: 'esignet',
            loginText: 'Sign in with National ID',
            url: '/oauth2/authorization/esignet',
        },
    ],
}

type Answer = { status: number; body?: unknown }

/** A fetch standing in for the relay behind /anc-relay/ (the patient gateway). */
export function relayFetch(answers: Record<string, Answer | (() => Answer)>) {
    const calls: { url: string; method: string }[] = []
    const impl = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = String(input)
        const method = init?.method ?? 'GET'
        calls.push({ url, method })
        const path = url.replace(/^\/anc-relay/, '')
        const found =
            answers[path] ??
            (path === '/config' ? { status: 200, body: RELAY_CONFIG_BODY } : undefined)
        const answer = typeof found === 'function' ? found() : found
        if (!answer) return new Response('{"error":"not_found"}', { status: 404 })
        return new Response(answer.body === undefined ? '' : JSON.stringify(answer.body), {
            status: answer.status,
            headers: { 'Content-Type': 'application/json' },
        })
    })
    global.fetch = impl as unknown as typeof fetch
    return { calls }
}

export type LoginHandler = (type: string, query: { data?: unknown }) => unknown

export function renderLoginPage(options: {
    login?: LoginHandler
    loginConfig?: LoginConfig
    today?: string
    download?: (text: string, fileName: string) => void
}) {
    const navigate = jest.fn()
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    const data = {
        loginConfig: options.loginConfig ?? LOGIN_CONFIG,
        'auth/login': (type: string, query: { data?: unknown }) =>
            options.login
                ? options.login(type, query)
                : { loginStatus: 'SUCCESS', redirectUrl: '/' },
    }
    const utils = render(
        <CustomDataProvider data={data as never}>
            <NavigationContext.Provider value={navigate}>
                <QueryClientProvider client={queryClient}>
                    <LoginPage
                        {...(options.today ? { today: options.today } : {})}
                        {...(options.download ? { download: options.download } : {})}
                    />
                </QueryClientProvider>
            </NavigationContext.Provider>
        </CustomDataProvider>
    )
    return { ...utils, navigate, queryClient }
}
