import { type ProductVersion, selectVersion, type VersionSetting } from '../common/version'

/**
 * The eSignet the stand-in reproduces: its version, and the switches in which real servers of
 * the modelled versions differ. Modules read it from the settings they are given
 * (`ProviderSettings.profile`, `InteractionDeps.profile`), never from the environment.
 */
export interface EsignetProfile {
    /** `ESIGNET_VERSION` (option `version`). */
    version: ProductVersion
    /**
     * eSignet <= 1.7 puts `<base>/v1/esignet` in the id_token `iss` while discovery says
     * `<base>`. Default true; false (`ESIGNET_LEGACY_ISSUER=false`) gives 1.8's fixed issuer.
     */
    legacyIssuer: boolean
}

const ESIGNET_VERSION_SETTING: VersionSetting = {
    product: 'eSignet',
    variable: 'ESIGNET_VERSION',
    releases: [{ line: '1.6', from: '1.6.0' }],
    defaultVersion: '1.6.2',
}

/** The profile from the stand-in's options; throws on a version it does not model. */
export function esignetProfile(options: {
    version?: string
    legacyIssuer?: boolean
}): EsignetProfile {
    return {
        version: selectVersion(ESIGNET_VERSION_SETTING, options.version),
        legacyIssuer: options.legacyIssuer !== false,
    }
}
