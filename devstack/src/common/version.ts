/**
 * Which version of the real product a stand-in reproduces (DHIS2, eSignet, HAPI FHIR). Each
 * stand-in lists the release lines it models and refuses any other version with a message, so
 * a test never passes against behaviour the stand-in only pretends to have.
 */

/** A product version as the product numbers it, e.g. DHIS2 `2.41.9.1`. */
export interface ProductVersion {
    /** As given, e.g. `2.41.9.1`. */
    readonly text: string
    /** Its numbers, e.g. [2, 41, 9, 1]. */
    readonly parts: readonly number[]
}

/** A release line a stand-in models: every version of `line` from `from` on. */
export interface ModelledRelease {
    line: string
    from: string
}

/** How one stand-in's version is chosen: its setting, what it models, what it runs without one. */
export interface VersionSetting {
    /** The product's name in messages, e.g. `DHIS2`. */
    product: string
    /** The environment variable that chooses it, e.g. `DHIS2_VERSION`. */
    variable: string
    releases: readonly ModelledRelease[]
    /** The version when none is chosen: the newest the stand-in models. */
    defaultVersion: string
}

/** A version the stand-in does not model, or no version at all. */
export class UnsupportedVersionError extends Error {
    override readonly name = 'UnsupportedVersionError'
}

export function parseVersion(text: string): ProductVersion | undefined {
    const trimmed = text.trim()
    if (!/^\d+(\.\d+)*$/.test(trimmed)) {
        return undefined
    }
    return { text: trimmed, parts: trimmed.split('.').map(Number) }
}

/** Negative, zero or positive as `a` is older than, the same as or newer than `b`. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const difference = (a[i] ?? 0) - (b[i] ?? 0)
        if (difference !== 0) {
            return difference
        }
    }
    return 0
}

/** Whether `version` is `than` or newer, e.g. isAtLeast(v, '2.42'). */
export function isAtLeast(version: ProductVersion, than: string): boolean {
    return compareVersions(version.parts, versionParts(than)) >= 0
}

/**
 * The version to reproduce: `requested` (the setting's value; empty or undefined for the
 * default) when a modelled release line holds it. Anything else throws a message that names
 * the setting, what is modelled and the default.
 */
export function selectVersion(
    setting: VersionSetting,
    requested: string | undefined
): ProductVersion {
    const text = requested?.trim() || setting.defaultVersion
    const version = parseVersion(text)
    const modelled = setting.releases
        .map((release) => `${release.line} (from ${release.from})`)
        .join(', ')
    const advice = `The ${setting.product} stand-in models ${modelled}; unset ${setting.variable} for ${setting.defaultVersion}.`
    if (!version) {
        throw new UnsupportedVersionError(
            `${setting.variable}=${text} is not a version number. ${advice}`
        )
    }
    const inLine = setting.releases.some((release) => {
        const line = versionParts(release.line)
        return (
            line.every((part, i) => version.parts[i] === part) &&
            compareVersions(version.parts, versionParts(release.from)) >= 0
        )
    })
    if (!inLine) {
        throw new UnsupportedVersionError(
            `${setting.variable}=${text}: ${setting.product} ${text} is not modelled. ${advice}`
        )
    }
    return version
}

function versionParts(text: string): number[] {
    const version = parseVersion(text)
    if (!version) {
        throw new Error(`not a version: ${text}`)
    }
    return [...version.parts]
}
