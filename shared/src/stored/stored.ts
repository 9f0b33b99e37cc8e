/**
 * Reading a configuration stored in the DHIS2 datastore, where an administrator may have put
 * anything. The validators (claims, FHIR, PHN) share this start; each section's rules stay with
 * the validator that owns it.
 */
import type { ConfigProblem } from './problem'

export function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * A plain object whose every own entry passes `check` (an empty object passes): the shape of a
 * stored table such as field → attribute UID or label → option code.
 */
export function isRecordOf(
    v: unknown,
    check: (value: unknown, key: string) => boolean
): v is Record<string, unknown> {
    return isRecord(v) && Object.entries(v).every(([key, value]) => check(value, key))
}

/** A list (maybe empty) of strings that each match `pattern`: tags, claim names, URLs. */
export function isListMatching(v: unknown, pattern: RegExp): v is string[] {
    return Array.isArray(v) && v.every((s) => typeof s === 'string' && pattern.test(s))
}

/** An integer from `min` to `max` inclusive: a stored count or length. */
export function isIntegerIn(v: unknown, min: number, max: number): v is number {
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
}

export interface StoredSections {
    stored: Record<string, unknown>
    /** Whether the stored object sets this section (own key: `__proto__` tricks do not count). */
    has(key: string): boolean
    /** Records that a section is invalid (its default is kept). */
    fail(path: string, reason: string): void
}

/**
 * `undefined` when there is nothing to merge: nothing stored (no problem: the defaults apply) or
 * not an object (one problem at the root path '').
 */
export function storedSections(
    stored: unknown,
    problems: ConfigProblem[]
): StoredSections | undefined {
    if (stored === undefined || stored === null) return undefined
    if (!isRecord(stored)) {
        problems.push({ path: '', reason: 'not an object' })
        return undefined
    }
    return {
        stored,
        has: (key) => Object.hasOwn(stored, key),
        fail: (path, reason) => {
            problems.push({ path, reason })
        },
    }
}
