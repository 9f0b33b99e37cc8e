/**
 * Where a successful staff sign-in goes. DHIS2 remembers the page the user asked for before it
 * showed the login page and returns it as `redirectUrl`; a `?redirect=` on the login page (what
 * links into the login page use) wins over it. A hash cannot reach the server, so the login page's
 * own hash is carried over, as DHIS2's login app does. Only same-origin targets are followed:
 * anything else would make the login page an open redirect.
 */
export interface RedirectInput {
    /** The login page's address (window.location.href). */
    pageUrl: string
    /** app-runtime's baseUrl: the DHIS2 root, absolute or relative to the page. */
    baseUrl: string
    redirectUrl: string | null | undefined
}

function sameOrigin(candidate: string | null | undefined, against: URL): URL | null {
    if (!candidate) return null
    // "//evil.example" and "\\evil" are scheme-relative in browsers.
    if (/^\s*[\\/]{2}/.test(candidate)) return null
    let url: URL
    try {
        url = new URL(candidate, against)
    } catch {
        return null
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
    return url.origin === against.origin ? url : null
}

export function redirectTarget({ pageUrl, baseUrl, redirectUrl }: RedirectInput): string {
    const page = new URL(pageUrl)
    const root = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, page)
    const requested = sameOrigin(page.searchParams.get('redirect'), root)
    const target = requested ?? sameOrigin(redirectUrl, root) ?? root
    if (!target.hash && page.hash && !requested) target.hash = page.hash
    return target.href
}
