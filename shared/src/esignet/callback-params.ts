/**
 * What eSignet put on the callback page's URL. Kept free of dependencies: the callback page
 * bundles only this and `callback.ts`.
 */
export interface CallbackParams {
    state: string | null
    code: string | null
    error: string | null
    error_description: string | null
    /** eSignet 1.7+ adds its issuer (RFC 9207); absent up to 1.6. */
    iss: string | null
    /** true when a parameter that matters came twice with different values (parameter pollution). */
    ambiguous: boolean
}

const KEYS = ['state', 'code', 'error', 'error_description', 'iss'] as const
type Key = (typeof KEYS)[number]

function decode(value: string): string {
    try {
        return decodeURIComponent(value.replace(/\+/g, '%20'))
    } catch {
        // Malformed percent-encoding: keep the raw text rather than lose the parameter.
        return value
    }
}

function parsePart(part: string): Map<Key, string[]> {
    const found = new Map<Key, string[]>()
    // eSignet <= 1.6 appends `?state=..&code=..` by string concatenation, so a second `?` can
    // appear; split on both separators instead of trusting URLSearchParams.
    for (const pair of part.split(/[?&]/)) {
        if (!pair) continue
        const eq = pair.indexOf('=')
        const name = decode(eq === -1 ? pair : pair.slice(0, eq))
        const value = eq === -1 ? '' : decode(pair.slice(eq + 1))
        if ((KEYS as readonly string[]).includes(name)) {
            const list = found.get(name as Key) ?? []
            list.push(value)
            found.set(name as Key, list)
        }
    }
    return found
}

export function parseCallbackUrl(href: string): CallbackParams {
    const url = new URL(href, 'http://callback.invalid')
    let found = parsePart(url.search.slice(1))
    if (!found.has('state') && !found.has('code') && !found.has('error')) {
        // Some proxies move the query into the fragment; accept it there too.
        found = parsePart(url.hash.slice(1))
    }
    let ambiguous = false
    const first = (key: Key): string | null => {
        const values = found.get(key)
        if (!values || values.length === 0) return null
        if (new Set(values).size > 1 && key !== 'error_description') ambiguous = true
        return values[0] ?? null
    }
    return {
        state: first('state'),
        code: first('code'),
        error: first('error'),
        error_description: first('error_description'),
        iss: first('iss'),
        ambiguous,
    }
}
