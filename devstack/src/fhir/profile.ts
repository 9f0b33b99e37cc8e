import { type ProductVersion, selectVersion, type VersionSetting } from '../common/version'

/**
 * `hapi`: the stand-in answers as HAPI FHIR's JPA server with the jpaserver-starter defaults
 * (409 on a stale If-Match, `_getpages` paging with cached searches, at most 1,000 includes per
 * page, referential integrity on write, exact tokens, no new version for an unchanged update).
 * `lenient`: the stand-in of before, kept only for a test that needs the old answers explicitly.
 */
export type FhirMode = 'hapi' | 'lenient'

/** The one line that chooses what the stand-in does without `FHIR_MODE`. */
export const DEFAULT_FHIR_MODE: FhirMode = 'hapi'

/**
 * The Sri Lanka NEHR IPS profiles (`lk-gov-health-hiu/lk-nehr-fhir-ips`) enforced as HAPI would
 * with the IG installed: `repository` as the RepositoryValidatingInterceptor (412), `request` as
 * the RequestValidatingInterceptor (422), `off` (the starter's default) not at all.
 */
export type NehrValidation = 'off' | 'repository' | 'request'

/**
 * The FHIR server the stand-in reproduces: HAPI FHIR (the JPA server the national record runs
 * on) at a version, in a mode, with or without the NEHR profiles. Modules read it from what they
 * are given (`HandlerDeps.profile`, `RouteSettings.profile`), never from the environment.
 */
export interface FhirProfile {
    /** `FHIR_HAPI_VERSION` (option `hapiVersion`). */
    version: ProductVersion
    /** `FHIR_MODE` (option `mode`). */
    mode: FhirMode
    /** `FHIR_NEHR_VALIDATION` (option `nehrValidation`). */
    nehrValidation: NehrValidation
}

const HAPI_VERSION_SETTING: VersionSetting = {
    product: 'HAPI FHIR',
    variable: 'FHIR_HAPI_VERSION',
    releases: [{ line: '8', from: '8.0' }],
    defaultVersion: '8.2',
}

const MODES: readonly FhirMode[] = ['hapi', 'lenient']
const NEHR_VALIDATIONS: readonly NehrValidation[] = ['off', 'repository', 'request']

/** One of `allowed`, or the default when unset; anything else throws a message naming `variable`. */
function choice<T extends string>(
    variable: string,
    allowed: readonly T[],
    value: string | undefined,
    fallback: T
): T {
    const text = value?.trim()
    if (!text) {
        return fallback
    }
    if (!(allowed as readonly string[]).includes(text)) {
        throw new Error(
            `${variable}=${text} is not one of ${allowed.join(', ')}; unset it for ${fallback}.`
        )
    }
    return text as T
}

/** The profile for these settings (undefined: the defaults); throws on one not modelled. */
export function fhirProfile(
    settings: { hapiVersion?: string; mode?: string; nehrValidation?: string } = {}
): FhirProfile {
    return {
        version: selectVersion(HAPI_VERSION_SETTING, settings.hapiVersion),
        mode: choice('FHIR_MODE', MODES, settings.mode, DEFAULT_FHIR_MODE),
        nehrValidation: choice(
            'FHIR_NEHR_VALIDATION',
            NEHR_VALIDATIONS,
            settings.nehrValidation,
            'off'
        ),
    }
}

/** Whether the stand-in answers as HAPI does (the default) rather than as it did before. */
export function isHapi(profile: FhirProfile): boolean {
    return profile.mode === 'hapi'
}
