/**
 * The links a FHIR server writes in `Bundle.link`, as a client may follow them. HAPI FHIR writes
 * them on its configured `server_address` (`<address>?_getpages=<id>&_getpagesoffset=N&...`),
 * which may name another host than the one the client called (a proxy, a DHIS2 route, an
 * internal name); a client keeps only the part below the FHIR base and puts it on its own base,
 * so a link can never send a request, or the credentials on it, to another host.
 */

/**
 * Maps an upstream link (`http://fhir:8090/fhir/Observation?_page=2`) to the path below the FHIR
 * base (`Observation?_page=2`): the base ends before the first segment that is a resource type
 * (capitalised) or an operation (`$...`). HAPI-style `base?_getpages=` links map to `?_getpages=`.
 */
export function relativeToFhirBase(link: string): string {
    const url = new URL(link, 'http://relative.invalid')
    const segments = url.pathname.split('/').filter((s) => s !== '')
    const at = segments.findIndex((s) => /^[A-Z$]/.test(s))
    const rest = at < 0 ? '' : segments.slice(at).join('/')
    return rest + url.search
}

/** The link rebuilt on `base` (the FHIR base this client was configured with). */
export function onConfiguredBase(link: string, base: string): string {
    const relative = relativeToFhirBase(link)
    const trimmed = base.replace(/\/+$/, '')
    return relative === '' || relative.startsWith('?')
        ? `${trimmed}${relative}`
        : `${trimmed}/${relative}`
}
