import { useConfig, useDataEngine } from '@dhis2/app-runtime'
import i18n from '@dhis2/d2-i18n'
import { Button, InputField, NoticeBox } from '@dhis2/ui'
import React, { useState, type FormEvent } from 'react'
import { useNavigate } from '../common/navigation'
import { dhis2Url, oidcFailed, type OidcProvider } from './login-config'
import { outcomeOfLoginFailure, outcomeOfLoginStatus, type LoginOutcome } from './login-status'
import { redirectTarget } from './redirect'

interface FetchErrorLike {
    type?: string
    message?: string
    details?: { httpStatusCode?: unknown }
}

function httpStatusOf(error: unknown): number | undefined {
    const e = (error ?? {}) as FetchErrorLike
    if (typeof e.details?.httpStatusCode === 'number') return e.details.httpStatusCode
    const match = /\((\d{3})\)\s*$/.exec(e.message ?? '')
    if (match) return Number(match[1])
    if (e.type === 'access') return e.message === 'Forbidden' ? 403 : 401
    return undefined
}

/** DHIS2 staff sign-in: username and password (with two-factor code), and the OIDC buttons. */
export const StaffSignIn = ({ oidcProviders }: { oidcProviders: readonly OidcProvider[] }) => {
    const engine = useDataEngine()
    const { baseUrl } = useConfig()
    const navigate = useNavigate()
    const [username, setUsername] = useState('')
    const [password, setPassword] = useState('')
    const [code, setCode] = useState('')
    const [busy, setBusy] = useState(false)
    const [outcome, setOutcome] = useState<LoginOutcome | null>(null)
    const askingForCode = outcome?.kind === 'twoFactor'
    const pageUrl = window.location.href

    const submit = async (event: FormEvent) => {
        event.preventDefault()
        if (busy || !username || !password) return
        setBusy(true)
        const sendCode = askingForCode && code !== ''
        let next: LoginOutcome
        try {
            const response = (await engine.mutate({
                resource: 'auth/login',
                type: 'create',
                data: sendCode
                    ? { username, password, twoFactorCode: code }
                    : { username, password },
            })) as { loginStatus?: unknown; redirectUrl?: unknown }
            next = outcomeOfLoginStatus(
                String(response.loginStatus ?? ''),
                typeof response.redirectUrl === 'string' ? response.redirectUrl : null,
                sendCode
            )
        } catch (error) {
            next = outcomeOfLoginFailure(httpStatusOf(error))
        }
        if (next.kind === 'success') {
            // Stay busy: the page is leaving.
            setOutcome(next)
            navigate(redirectTarget({ pageUrl, baseUrl, redirectUrl: next.redirectUrl }))
            return
        }
        setBusy(false)
        setOutcome(next)
        if (next.kind === 'twoFactor') setCode('')
    }

    const cancelCode = () => {
        setOutcome(null)
        setCode('')
    }

    return (
        <section className="anc-card" aria-labelledby="staff-sign-in-title">
            <h2 id="staff-sign-in-title">{i18n.t('Staff sign-in')}</h2>
            {oidcFailed(pageUrl) ? (
                <div role="alert" className="anc-gap">
                    <NoticeBox error title={i18n.t('Sign-in with national ID did not work')}>
                        {i18n.t(
                            'Your national ID could not be matched to a DHIS2 account, or the sign-in was cancelled. Try again, sign in with your username and password, or ask your system administrator to link your national ID to your account.'
                        )}
                    </NoticeBox>
                </div>
            ) : null}
            <form onSubmit={submit} noValidate>
                <InputField
                    name="username"
                    label={i18n.t('Username')}
                    value={username}
                    onChange={({ value }: { value?: string }) => setUsername(value ?? '')}
                    autoComplete="username"
                    disabled={busy || askingForCode}
                    required
                />
                <InputField
                    name="password"
                    type="password"
                    label={i18n.t('Password')}
                    value={password}
                    onChange={({ value }: { value?: string }) => setPassword(value ?? '')}
                    autoComplete="current-password"
                    disabled={busy || askingForCode}
                    required
                />
                {askingForCode ? (
                    <InputField
                        name="twoFactorCode"
                        label={i18n.t('Authentication code')}
                        value={code}
                        onChange={({ value }: { value?: string }) =>
                            setCode((value ?? '').replace(/\s+/g, ''))
                        }
                        autoComplete="one-time-code"
                        initialFocus
                        disabled={busy}
                        required
                    />
                ) : null}
                {outcome && outcome.kind !== 'success' ? (
                    <div role="alert" className="anc-gap">
                        <NoticeBox
                            error={
                                outcome.kind === 'twoFactor'
                                    ? outcome.incorrect
                                    : outcome.kind !== 'passwordExpired'
                            }
                            warning={outcome.kind === 'passwordExpired'}
                            title={
                                outcome.kind === 'twoFactor'
                                    ? i18n.t('Two-factor authentication')
                                    : i18n.t('Could not sign in')
                            }
                        >
                            {outcome.message}
                        </NoticeBox>
                    </div>
                ) : null}
                <div className="anc-actions">
                    <Button
                        primary
                        type="submit"
                        large
                        loading={busy}
                        disabled={busy || !username || !password || (askingForCode && !code)}
                    >
                        {busy ? i18n.t('Signing in…') : i18n.t('Sign in')}
                    </Button>
                    {askingForCode ? (
                        <Button secondary large onClick={cancelCode} disabled={busy}>
                            {i18n.t('Cancel')}
                        </Button>
                    ) : null}
                </div>
            </form>
            {oidcProviders.length > 0 ? (
                <div className="anc-oidc">
                    <p className="anc-divider">{i18n.t('or')}</p>
                    {oidcProviders.map((provider) => (
                        <Button
                            key={provider.id}
                            large
                            secondary
                            disabled={busy}
                            onClick={() => navigate(dhis2Url(provider.url, baseUrl, pageUrl))}
                        >
                            {provider.loginText ||
                                i18n.t('Sign in with {{provider}}', { provider: provider.id })}
                        </Button>
                    ))}
                </div>
            ) : null}
        </section>
    )
}
