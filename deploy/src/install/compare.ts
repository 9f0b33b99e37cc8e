/**
 * Whether what a DHIS2 server returns already holds everything we would import. A subset test:
 * servers add fields (created, href, owner, defaults), and we only care about the ones we set.
 */
export function covers(existing: unknown, desired: unknown): boolean {
    if (desired === undefined) return true
    if (desired === null || typeof desired !== 'object') {
        // 20 and "20" are different in JSON; DHIS2 keeps types, so compare strictly.
        return existing === desired
    }
    if (Array.isArray(desired)) {
        if (!Array.isArray(existing) || existing.length !== desired.length) return false
        if (desired.every((d) => d === null || typeof d !== 'object')) {
            // Collections of primitives (authorities): order is not meaningful.
            const sort = (a: unknown[]) => a.map((v) => JSON.stringify(v)).sort()
            return JSON.stringify(sort(existing)) === JSON.stringify(sort(desired))
        }
        // Collections of objects: each desired element matched by a distinct existing one.
        const unused = [...existing]
        for (const d of desired) {
            const index = unused.findIndex((e) => covers(e, d))
            if (index < 0) return false
            unused.splice(index, 1)
        }
        return true
    }
    if (existing === null || typeof existing !== 'object' || Array.isArray(existing)) return false
    const e = existing as Record<string, unknown>
    return Object.entries(desired as Record<string, unknown>).every(([key, value]) =>
        covers(e[key], value)
    )
}

/** The top-level properties of `desired` that `existing` does not cover (for the report). */
export function differingKeys(
    existing: Record<string, unknown>,
    desired: Record<string, unknown>
): string[] {
    return Object.keys(desired).filter((key) => !covers(existing[key], desired[key]))
}

/** JSON with sorted keys: equal values give equal strings. */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) =>
        v && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(
                  Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
                      a < b ? -1 : a > b ? 1 : 0
                  )
              )
            : v
    )
}
