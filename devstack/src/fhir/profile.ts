import { type ProductVersion, selectVersion, type VersionSetting } from '../common/version'

/**
 * The FHIR server the stand-in reproduces: HAPI FHIR (the JPA server the national record runs
 * on) at a version. Modules read it from what they are given (`HandlerDeps.profile`,
 * `RouterOptions.profile`), never from the environment.
 */
export interface FhirProfile {
    /** `FHIR_HAPI_VERSION` (option `hapiVersion`). */
    version: ProductVersion
}

const HAPI_VERSION_SETTING: VersionSetting = {
    product: 'HAPI FHIR',
    variable: 'FHIR_HAPI_VERSION',
    releases: [{ line: '8', from: '8.0' }],
    defaultVersion: '8.2',
}

/** The profile for this HAPI FHIR version (undefined: the default); throws on one not modelled. */
export function fhirProfile(hapiVersion: string | undefined): FhirProfile {
    return { version: selectVersion(HAPI_VERSION_SETTING, hapiVersion) }
}
