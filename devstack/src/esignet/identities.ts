import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { IdentitySystem } from './profile'

/** ISO 639-3 codes, as the mock identity system tags its values. */
export type LanguageCode = string

export interface LanguageValue {
    language: LanguageCode
    value: string
}

/**
 * One person in the shape of MOSIP's mock identity system (`mock-identity-schema.json`), plus
 * `nic`, the national ID card number, which the rest of the stack uses as a FHIR identifier.
 */
export interface SeedIdentity {
    individualId: string
    nic?: string
    pin?: string
    fullName?: LanguageValue[]
    givenName?: LanguageValue[]
    familyName?: LanguageValue[]
    middleName?: LanguageValue[]
    gender?: LanguageValue[]
    dateOfBirth?: string
    phone?: string
    email?: string
    streetAddress?: LanguageValue[]
    locality?: LanguageValue[]
    region?: LanguageValue[]
    postalCode?: string
    country?: LanguageValue[]
    encodedPhoto?: string
    preferredLang?: string
}

const DEFAULT_SEED_FILE = path.resolve(__dirname, '../../seed/identities.json')

export class IdentityStore {
    private readonly byId: Map<string, SeedIdentity>

    constructor(identities: SeedIdentity[]) {
        this.byId = new Map(identities.map((identity) => [identity.individualId, identity]))
    }

    static fromFile(file: string = DEFAULT_SEED_FILE): IdentityStore {
        const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
        if (!Array.isArray(parsed)) {
            throw new Error(`${file} must hold a JSON array of identities`)
        }
        for (const entry of parsed) {
            const id = (entry as Partial<SeedIdentity>).individualId
            // Same rule as the mock identity schema.
            if (typeof id !== 'string' || !/^[0-9]{5,19}$/.test(id)) {
                throw new Error(
                    `${file}: individualId must be 5-19 digits, got ${JSON.stringify(id)}`
                )
            }
        }
        return new IdentityStore(parsed as SeedIdentity[])
    }

    find(individualId: string): SeedIdentity | undefined {
        return this.byId.get(individualId)
    }

    all(): SeedIdentity[] {
        return [...this.byId.values()]
    }
}

/** A claim value that exists in several languages; rendered per `claims_locales` at userinfo. */
export interface Localized {
    localized: LanguageValue[]
}

export type RawClaimValue = string | Localized | Record<string, string | Localized>

/**
 * The mock identity system's claim mapping (`mosip.mock.ida.identity-openid-claims-mapping`):
 * values are copied verbatim (birthdate `YYYY/MM/DD`, gender labels, tagged names). The mapping
 * has no `individual_id` (esignet-mock-services v0.11.2 and v0.13.0 application-default
 * .properties), so the mock never sends it; MOSIP ID authentication releases the ID the person
 * signed in with (her UIN or VID), which is not her NIC.
 */
export function identityClaims(
    identity: SeedIdentity,
    system: IdentitySystem
): Record<string, RawClaimValue> {
    const claims: Record<string, RawClaimValue> = {}
    const localized = (values: LanguageValue[] | undefined): Localized | undefined =>
        values && values.length > 0 ? { localized: values } : undefined
    const put = (name: string, value: RawClaimValue | undefined): void => {
        if (value !== undefined && value !== '') {
            claims[name] = value
        }
    }
    put('name', localized(identity.fullName))
    put('given_name', localized(identity.givenName))
    put('family_name', localized(identity.familyName))
    put('middle_name', localized(identity.middleName))
    put('gender', localized(identity.gender))
    put('birthdate', identity.dateOfBirth)
    put('phone_number', identity.phone)
    put('email', identity.email)
    put('picture', identity.encodedPhoto)
    if (system === 'ida') {
        put('individual_id', identity.individualId)
    }
    put('locale', identity.preferredLang)

    const address: Record<string, string | Localized> = {}
    const addressPart = (name: string, value: string | Localized | undefined): void => {
        if (value !== undefined && value !== '') {
            address[name] = value
        }
    }
    addressPart('street_address', localized(identity.streetAddress))
    addressPart('locality', localized(identity.locality))
    addressPart('region', localized(identity.region))
    addressPart('postal_code', identity.postalCode)
    addressPart('country', localized(identity.country))
    if (Object.keys(address).length > 0) {
        claims.address = address
    }
    return claims
}

const TWO_TO_THREE: Record<string, string> = {
    en: 'eng',
    si: 'sin',
    ta: 'tam',
    fr: 'fra',
    ar: 'ara',
    hi: 'hin',
}

/**
 * Maps BCP-47 `claims_locales` (e.g. `en si`, `ta-LK`) to the identity system's ISO 639-3 codes,
 * as eSignet's plugins do; 3-letter tags pass through. No locales means English.
 */
export function claimsLocalesToLanguages(claimsLocales: string | undefined): LanguageCode[] {
    const tags = (claimsLocales ?? '').split(' ').filter((tag) => tag !== '')
    const languages: LanguageCode[] = []
    for (const tag of tags) {
        const primary = tag.split('-')[0]?.toLowerCase() ?? ''
        const code = primary.length === 3 ? primary : TWO_TO_THREE[primary]
        if (code && !languages.includes(code)) {
            languages.push(code)
        }
    }
    return languages.length > 0 ? languages : ['eng']
}

/**
 * The language tag in a claim key: the mock identity system behind plugin >= 1.3.1 uses the
 * 3-letter code (`name#eng`); MOSIP ID authentication and plugin 1.3.0 the 2-letter one
 * (`name#en`, as in eSignet's OpenAPI document).
 */
function languageTag(language: LanguageCode, system: IdentitySystem): string {
    if (system === 'mock') {
        return language
    }
    const two = Object.entries(TWO_TO_THREE).find(([, three]) => three === language)?.[0]
    return two ?? language
}

/**
 * Renders language-tagged values as mock identity system 0.12+ does
 * (AuthenticationServiceImpl.getKycValues): with one requested language the plain key (`name`);
 * with several, `name#eng`, `name#sin`, ... for those it holds; none of them held, no claim.
 */
function renderLocalized(
    name: string,
    value: string | Localized,
    languages: LanguageCode[],
    system: IdentitySystem,
    into: Record<string, unknown>
): void {
    if (typeof value === 'string') {
        into[name] = value
        return
    }
    const matches = languages
        .map((language) => value.localized.find((entry) => entry.language === language))
        .filter((entry): entry is LanguageValue => entry !== undefined)
    if (languages.length === 1 && matches.length === 1) {
        into[name] = matches[0]?.value
    } else {
        // Held in none of the requested languages: the claim is simply absent.
        for (const match of matches) {
            into[`${name}#${languageTag(match.language, system)}`] = match.value
        }
    }
}

/** The claim as it appears in the userinfo JWT. */
export function renderClaim(
    name: string,
    value: RawClaimValue,
    languages: LanguageCode[],
    system: IdentitySystem
): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    if (typeof value === 'string' || 'localized' in value) {
        renderLocalized(name, value as string | Localized, languages, system, out)
        return out
    }
    const nested: Record<string, unknown> = {}
    for (const [part, partValue] of Object.entries(value)) {
        renderLocalized(part, partValue, languages, system, nested)
    }
    out[name] = nested
    return out
}

/** Masks a phone number or e-mail for the OTP page, like eSignet's `maskedMobile`/`maskedEmail`. */
export function maskContact(value: string): string {
    const at = value.indexOf('@')
    if (at > 0) {
        return `${value.slice(0, 2)}${'*'.repeat(Math.max(at - 2, 1))}${value.slice(at)}`
    }
    return `${'*'.repeat(Math.max(value.length - 4, 0))}${value.slice(-4)}`
}
