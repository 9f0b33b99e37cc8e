/** Re-creates plain objects and arrays in this realm; other values are kept as they are. */
function inThisRealm(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(inThisRealm)
    }
    if (
        value !== null &&
        typeof value === 'object' &&
        Object.getPrototypeOf(value)?.constructor?.name === 'Object'
    ) {
        return Object.fromEntries(
            Object.entries(value).map(([key, item]) => [key, inThisRealm(item)])
        )
    }
    return value
}

/**
 * Jest runs modules in a vm context but gives them Node's own structuredClone, whose results
 * belong to the outer realm; oidc-provider clones client metadata with it and then rejects the
 * keys (`constructor === Object`). Only in such a sandbox, rebuild plain data in this realm, so
 * every team's tests can start the stand-in in-process. oidc-provider clones only JSON data.
 */
export function ensureSameRealmStructuredClone(): void {
    if (structuredClone({}).constructor === Object) {
        return
    }
    const native = globalThis.structuredClone
    globalThis.structuredClone = ((value: unknown, options?: StructuredSerializeOptions) =>
        inThisRealm(native(value, options))) as typeof structuredClone
}
