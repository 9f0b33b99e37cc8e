import { useDataQuery } from '@dhis2/app-runtime'

/** The public `GET /api/loginConfig` fields this page uses (DHIS2 2.41+). */
export interface OidcProvider {
    id: string
    loginText?: string
    /** e.g. `/oauth2/authorization/esignet`, relative to the DHIS2 root. */
    url: string
    icon?: string
    iconPadding?: string
}

export interface LoginConfig {
    applicationTitle?: string
    applicationDescription?: string
    applicationNotification?: string
    applicationLeftSideFooter?: string
    applicationRightSideFooter?: string
    loginPageLogo?: string
    useCustomLogoFront?: boolean
    uiLocale?: string
    allowAccountRecovery?: boolean
    oidcProviders?: OidcProvider[]
}

const loginConfigQuery = { loginConfig: { resource: 'loginConfig' } }

export function useLoginConfig(): { loading: boolean; config: LoginConfig } {
    const { loading, data } = useDataQuery<{ loginConfig: LoginConfig }>(loginConfigQuery)
    return { loading, config: data?.loginConfig ?? {} }
}

/** A DHIS2-root-relative path (`/oauth2/...`, `/api/staticContent/...`) as a URL on this server. */
export function dhis2Url(path: string, baseUrl: string, pageUrl: string): string {
    const root = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, pageUrl)
    if (/^https?:\/\//i.test(path)) return path
    return new URL(path.replace(/^\/+/, ''), root).href
}

/** Staff OIDC sign-in failed (DHIS2 sends the browser back with `?oidcFailure=true`). */
export function oidcFailed(pageUrl: string): boolean {
    return new URL(pageUrl).searchParams.get('oidcFailure') === 'true'
}
