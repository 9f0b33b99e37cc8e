import {
    isAtLeast,
    type ProductVersion,
    selectVersion,
    type VersionSetting,
} from '../common/version'

/** Which identity system answers eSignet's KYC exchange (and so signs userinfo). */
export type IdentitySystem = 'mock' | 'ida'

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
     * `<base>`; 1.8 fixed it (mosip/esignet PR #1624). Default by version;
     * `ESIGNET_LEGACY_ISSUER` overrides.
     */
    legacyIssuer: boolean
    /**
     * `ESIGNET_IDENTITY_SYSTEM`, default `mock`: the MOSIP mock identity system (every sandbox
     * and docker-compose install) signs userinfo with its own key, which eSignet's JWKS never
     * lists (esignet-mock-services v0.11.2 AuthenticationServiceImpl.signKyc; mosip/esignet#2417),
     * sends no `individual_id` (its claims mapping has none), tags languages with 3 letters
     * (`name#eng`, plugin >= 1.3.1) and puts `iss` `<base>/v1/esignet` and `aud` in userinfo.
     * `ida` (MOSIP ID authentication): its KYC-signing keys are in eSignet's JWKS
     * (OAuthServiceImpl.getJwks adds getAllKycSigningCertificates), `individual_id` is the UIN
     * or VID the person used, tags have 2 letters (`name#en`).
     */
    identitySystem: IdentitySystem
    /**
     * eSignet 1.8's `fapi2.0` server profile (`ESIGNET_SERVER_PROFILE=fapi2.0`,
     * esignet-server_profile.sql): PAR required for every client, DPoP-bound tokens.
     */
    fapi2: boolean
}

const ESIGNET_VERSION_SETTING: VersionSetting = {
    product: 'eSignet',
    variable: 'ESIGNET_VERSION',
    releases: [
        { line: '1.5', from: '1.5.1' },
        { line: '1.6', from: '1.6.0' },
        { line: '1.7', from: '1.7.0' },
        { line: '1.8', from: '1.8.0' },
    ],
    defaultVersion: '1.6.2',
}

export interface ProfileOptions {
    version?: string
    legacyIssuer?: boolean
    identitySystem?: IdentitySystem
    serverProfile?: string
}

/** The profile from the stand-in's options; throws on a version or switch it does not model. */
export function esignetProfile(options: ProfileOptions): EsignetProfile {
    const version = selectVersion(ESIGNET_VERSION_SETTING, options.version)
    const identitySystem = options.identitySystem ?? 'mock'
    if (identitySystem !== 'mock' && identitySystem !== 'ida') {
        throw new Error(
            `ESIGNET_IDENTITY_SYSTEM=${String(identitySystem)}: the eSignet stand-in models mock (the MOSIP mock identity system) and ida (MOSIP ID authentication).`
        )
    }
    const serverProfile = options.serverProfile ?? 'default'
    if (serverProfile !== 'default' && serverProfile !== 'fapi2.0') {
        throw new Error(
            `ESIGNET_SERVER_PROFILE=${serverProfile}: the eSignet stand-in models default and fapi2.0 (eSignet 1.8).`
        )
    }
    if (serverProfile === 'fapi2.0' && !isAtLeast(version, '1.8')) {
        throw new Error(
            `ESIGNET_SERVER_PROFILE=fapi2.0 needs eSignet 1.8 or later (ESIGNET_VERSION=${version.text}).`
        )
    }
    return {
        version,
        legacyIssuer: options.legacyIssuer ?? !isAtLeast(version, '1.8'),
        identitySystem,
        fapi2: serverProfile === 'fapi2.0',
    }
}

/** eSignet 1.7+: PAR, RFC 9207 `iss` in the callback, OAuth token error codes, PS256/ES256 assertions. */
export function isOauthHardened(profile: EsignetProfile): boolean {
    return isAtLeast(profile.version, '1.7')
}
