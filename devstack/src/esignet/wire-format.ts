import type { KoaContextWithOIDC } from 'oidc-provider'
import { PATHS } from './config'
import { authorizeError, oauthTokenError, tokenError } from './esignet-errors'
import { isOauthHardened, type EsignetProfile } from './profile'
import type { UserinfoRenderer } from './userinfo'
import { errorPage } from './views'

function stripCors(ctx: KoaContextWithOIDC): void {
    for (const header of Object.keys(ctx.response.headers)) {
        if (header.toLowerCase().startsWith('access-control-')) {
            ctx.remove(header)
        }
    }
    ctx.remove('Vary')
}

/**
 * Reshapes oidc-provider's responses into eSignet's wire format, per version: token errors with
 * eSignet's codes and statuses (1.7+: OAuth codes, the message as description, always 400 and
 * no-store), no `scope` in the token response, userinfo as the identity system made it, userinfo
 * errors as an empty 401, no CORS on token or userinfo, authorize errors on a page, and the
 * success redirect (1.6 concatenation; 1.7+ encoded, with `iss`).
 */
export function esignetWireFormat(options: {
    profile: EsignetProfile
    baseUrl: string
    userinfo: UserinfoRenderer
}) {
    const { profile } = options
    return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
        await next()
        if (ctx.path === PATHS.token) {
            stripCors(ctx)
            if (ctx.status >= 400) {
                const body = (ctx.oidc?.body ?? {}) as Record<string, unknown>
                const mapped = tokenError(body, ctx.state.providerError as never)
                if (isOauthHardened(profile)) {
                    const oauth = oauthTokenError(mapped)
                    ctx.body = { error: oauth.error, error_description: oauth.description }
                    ctx.status = 400
                    ctx.set('Cache-Control', 'no-store')
                    ctx.set('Pragma', 'no-cache')
                } else {
                    ctx.body = { error: mapped.error, error_description: mapped.error }
                    ctx.status = mapped.status
                }
                ctx.remove('WWW-Authenticate')
            } else if (ctx.body && typeof ctx.body === 'object' && 'access_token' in ctx.body) {
                const { scope: _scope, ...rest } = ctx.body as Record<string, unknown>
                ctx.body = rest
            }
            return
        }
        if (ctx.path === PATHS.userinfo) {
            stripCors(ctx)
            if (ctx.status >= 400) {
                ctx.body = ''
                ctx.status = 401
                ctx.remove('Content-Type')
                ctx.set('WWW-Authenticate', 'error="invalid_token"')
            } else if (typeof ctx.body === 'string') {
                ctx.body = await options.userinfo.render(ctx.body)
                ctx.type = 'application/jwt; charset=utf-8'
            }
            return
        }
        if (ctx.path === PATHS.authorize || ctx.path.startsWith(`${PATHS.authorize}/`)) {
            rewriteAuthorizeRedirect(ctx, profile, options.baseUrl)
        }
    }
}

function rewriteAuthorizeRedirect(
    ctx: KoaContextWithOIDC,
    profile: EsignetProfile,
    baseUrl: string
): void {
    const location = ctx.response.get('Location')
    if (ctx.status !== 303 || !location || location.startsWith('/')) {
        return
    }
    const target = new URL(location)
    const params = target.searchParams
    const base = location.split('?')[0] ?? location
    const error = params.get('error')
    const state = params.get('state')
    if (error && ctx.path === PATHS.authorize) {
        // Errors before a transaction exists stay on eSignet's own error page.
        ctx.status = 400
        ctx.type = 'html'
        ctx.remove('Location')
        ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
        ctx.body = errorPage(
            authorizeError({
                error,
                error_description: params.get('error_description') ?? undefined,
            }),
            params.get('error_description') ?? undefined
        )
        return
    }
    if (error) {
        const query = new URLSearchParams()
        query.set('error_description', params.get('error_description') ?? error)
        if (state !== null) {
            query.set('state', state)
        }
        query.set('error', error)
        ctx.redirect(`${base}?${query.toString()}`)
        ctx.status = 303
        return
    }
    const code = params.get('code')
    if (code) {
        if (isOauthHardened(profile)) {
            // 1.7+ (oidc-ui Consent.js): URLSearchParams, with the discovery issuer (RFC 9207).
            const query = new URLSearchParams({
                ...(state !== null ? { state } : {}),
                code,
                iss: baseUrl,
            })
            ctx.redirect(`${base}?${query.toString()}`)
        } else {
            // eSignet <= 1.6 concatenates: redirect_uri + "?state=" + state + "&code=" + code,
            // state not URL-encoded and no `iss`.
            ctx.redirect(`${base}?state=${state ?? ''}&code=${code}`)
        }
        ctx.status = 303
    }
}
