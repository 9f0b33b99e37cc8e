/**
 * Verified eSignet claims → the person's fields (full name, birth date, ...) → tracker attribute
 * values, per the mapping config. Pure: the relay has verified the signature; this decides what
 * each claim means and refuses what it cannot read. A field is read only when the mapping gives
 * it an attribute (`attributeOf`), the one table of which attribute holds which field.
 */
import { clinicToday } from '../anc/dates'
import { isRecord } from '../stored/stored'
import { DEFAULT_CLAIMS_MAPPING, type ClaimsMappingConfig, type MappedField } from './config'
import {
    normaliseBirthdate,
    normaliseEmail,
    normaliseGender,
    normaliseNic,
    normalisePhone,
    normaliseSub,
    normaliseText,
    type ClaimProblemReason,
    type Normalised,
} from './normalise'

export interface ClaimProblem {
    /** The claim as received, e.g. `birthdate`, `name#sin`, `address.locality#tam`. */
    claim: string
    reason: ClaimProblemReason
}

export interface ClaimsToFieldsResult {
    /** The verified value of each field that could be read. */
    fields: Partial<Record<MappedField, string>>
    problems: ClaimProblem[]
}

export interface ClaimsMappingResult {
    /** Attribute UID → value, ready for the tracker payload. */
    values: Record<string, string>
    /** Attribute UIDs whose value came from a verified claim (shown read-only, "verified"). */
    verifiedAttributes: string[]
    problems: ClaimProblem[]
}

export interface MapClaimsOptions {
    config?: ClaimsMappingConfig
    /** UI locale: 'en', 'si', 'ta', also 'si-LK' or 3-letter 'sin'. Chooses language-tagged claims. */
    locale?: string
    /** For rejecting future birthdates; defaults to today in the runtime's time zone. */
    today?: string
}

/** Language tags to try for a locale, most preferred first. */
export function languagePreference(
    locale: string | undefined,
    config: ClaimsMappingConfig
): string[] {
    const primary = (locale ?? '').toLowerCase().split(/[-_]/)[0] ?? ''
    let own: string[] = []
    if (Object.hasOwn(config.languages, primary)) own = config.languages[primary] ?? []
    else if (primary.length === 3) {
        const entry = Object.values(config.languages).find((tags) => tags.includes(primary))
        own = entry ?? [primary]
    }
    return [...own, '', ...config.fallbackLanguages]
}

interface Picked {
    key: string
    value: unknown
}

/**
 * Finds `<base>` or `<base>#<lang>` among the object's own keys, preferring the given tags
 * ('' = untagged), then any remaining tag in sorted order so the choice is stable.
 */
export function pickLanguageTagged(
    obj: Record<string, unknown>,
    base: string,
    prefs: readonly string[]
): Picked | undefined {
    const byTag = new Map<string, string>()
    for (const key of Object.keys(obj)) {
        if (key === base) byTag.set('', key)
        else if (key.startsWith(`${base}#`))
            byTag.set(key.slice(base.length + 1).toLowerCase(), key)
    }
    if (byTag.size === 0) return undefined
    for (const tag of prefs) {
        const key = byTag.get(tag)
        if (key !== undefined) return { key, value: obj[key] }
    }
    const key = byTag.get([...byTag.keys()].sort()[0]!)!
    return { key, value: obj[key] }
}

/** The attribute values of the fields (only fields the mapping gives an attribute). */
export function attributesOfFields(
    fields: Partial<Record<MappedField, string>>,
    config: Pick<ClaimsMappingConfig, 'attributeOf'> = DEFAULT_CLAIMS_MAPPING
): Record<string, string> {
    const values: Record<string, string> = {}
    for (const [field, value] of Object.entries(fields)) {
        const uid = config.attributeOf[field as MappedField]
        if (uid !== undefined && value !== undefined) values[uid] = value
    }
    return values
}

export function mapClaimsToAttributes(
    claims: unknown,
    options: MapClaimsOptions = {}
): ClaimsMappingResult {
    const { fields, problems } = mapClaimsToFields(claims, options)
    const values = attributesOfFields(fields, options.config ?? DEFAULT_CLAIMS_MAPPING)
    return { values, verifiedAttributes: Object.keys(values), problems }
}

export function mapClaimsToFields(
    claims: unknown,
    options: MapClaimsOptions = {}
): ClaimsToFieldsResult {
    const config = options.config ?? DEFAULT_CLAIMS_MAPPING
    const today = options.today ?? clinicToday()
    const prefs = languagePreference(options.locale, config)
    const fields: Partial<Record<MappedField, string>> = {}
    const problems: ClaimProblem[] = []
    if (!isRecord(claims)) return { fields, problems: [{ claim: '', reason: 'missing' }] }
    const essential = new Set(config.requestedClaims.filter((c) => c.essential).map((c) => c.claim))
    essential.add('sub')

    const set = (field: MappedField, value: string): void => {
        if (config.attributeOf[field] !== undefined) fields[field] = value
    }
    const apply = (
        field: MappedField,
        normalise: (raw: unknown) => Normalised,
        tagged: boolean
    ): void => {
        if (config.attributeOf[field] === undefined) return
        const base = config.claimOf[field]
        const picked = tagged
            ? pickLanguageTagged(claims, base, prefs)
            : Object.hasOwn(claims, base)
              ? { key: base, value: claims[base] }
              : undefined
        if (picked === undefined || picked.value === null) {
            // A voluntary claim that is absent was declined (or not held): nothing to report.
            if (essential.has(base)) problems.push({ claim: base, reason: 'missing' })
            return
        }
        const result = normalise(picked.value)
        if (result.ok) set(field, result.value)
        else problems.push({ claim: picked.key, reason: result.reason })
    }

    const text = (raw: unknown): Normalised => normaliseText(raw, config.maxLength)
    apply('fullName', text, true)
    apply('givenName', text, true)
    apply('familyName', text, true)
    apply('birthDate', (raw) => normaliseBirthdate(raw, today), false)
    apply('sex', (raw) => normaliseGender(raw, config.genderOptions, config.maxLength), true)
    apply(
        'phone',
        (raw) =>
            normalisePhone(
                raw,
                config.phone.defaultCountryCode,
                config.phone.nationalNumberLengths
            ),
        false
    )
    apply('email', normaliseEmail, false)
    apply('sub', normaliseSub, false)
    // Only a claim the person chose to share reaches userinfo: its presence is the consent. The
    // claim is the ID she signed in with: with MOSIP's ID authentication that is her UIN or a
    // VID, not an NIC (the mock identity system never sends it at all), so it fills the NIC only
    // when it is an NIC by format; anything else is not an NIC, and not a problem either.
    mapNationalId(claims, config, set)
    mapAddress(claims, config, prefs, set, problems, essential)

    return { fields, problems }
}

function mapNationalId(
    claims: Record<string, unknown>,
    config: ClaimsMappingConfig,
    set: (field: MappedField, value: string) => void
): void {
    if (config.attributeOf.nic === undefined) return
    const base = config.claimOf.nic
    if (!Object.hasOwn(claims, base)) return
    const nic = normaliseNic(claims[base])
    if (nic.ok) set('nic', nic.value)
}

function mapAddress(
    claims: Record<string, unknown>,
    config: ClaimsMappingConfig,
    prefs: readonly string[],
    set: (field: MappedField, value: string) => void,
    problems: ClaimProblem[],
    essential: ReadonlySet<string>
): void {
    if (config.attributeOf.address === undefined) return
    const base = config.claimOf.address
    const picked = pickLanguageTagged(claims, base, prefs)
    if (picked === undefined || picked.value === null) {
        if (essential.has(base)) problems.push({ claim: base, reason: 'missing' })
        return
    }
    if (!isRecord(picked.value)) {
        problems.push({ claim: picked.key, reason: 'badAddress' })
        return
    }
    const address = picked.value
    const parts: string[] = []
    let bad = false
    for (const part of config.addressParts) {
        const sub = pickLanguageTagged(address, part, prefs)
        if (sub === undefined || sub.value === null || sub.value === '') continue
        const r = normaliseText(sub.value, config.maxLength)
        if (r.ok) parts.push(r.value)
        else {
            problems.push({ claim: `${picked.key}.${sub.key}`, reason: r.reason })
            bad = true
        }
    }
    if (parts.length === 0 && !bad) {
        const formatted = pickLanguageTagged(address, 'formatted', prefs)
        if (formatted !== undefined) {
            const r = normaliseText(formatted.value, config.maxLength)
            if (r.ok) parts.push(r.value)
            else {
                problems.push({ claim: `${picked.key}.${formatted.key}`, reason: r.reason })
                bad = true
            }
        }
    }
    // A partly unreadable address is not stored at all: half an address sends people astray.
    if (bad) return
    if (parts.length === 0) {
        problems.push({ claim: picked.key, reason: 'empty' })
        return
    }
    const joined = parts.join(config.addressSeparator)
    if (joined.length > config.maxLength) problems.push({ claim: picked.key, reason: 'tooLong' })
    else set('address', joined)
}
