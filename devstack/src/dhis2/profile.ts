import { type ProductVersion, selectVersion, type VersionSetting } from '../common/version'

/**
 * The DHIS2 the stand-in reproduces: its version, and the switches in which real servers of the
 * modelled versions differ. Every module that answers differently by version reads it from the
 * stand-in's context (`Dhis2Context.profile`), never from the environment itself.
 */
export interface Dhis2Profile {
    /** `DHIS2_VERSION`; answered in `/api/system/info` and `loginConfig`. */
    version: ProductVersion
    /**
     * DHIS2-20311 (2.41.7+, 2.42.4+, 2.43): a route run URL-decodes the query string again, so a
     * `|` in it gives 500 as `URI.create` does. Default on; `DHIS2_ROUTE_QUERY_REDECODING=off`
     * models the servers before the change.
     */
    routeQueryRedecoding: boolean
}

const DHIS2_VERSION_SETTING: VersionSetting = {
    product: 'DHIS2',
    variable: 'DHIS2_VERSION',
    releases: [{ line: '2.41', from: '2.41.4' }],
    defaultVersion: '2.41.4',
}

/** The profile the environment chooses; throws on a version the stand-in does not model. */
export function dhis2Profile(env: NodeJS.ProcessEnv = process.env): Dhis2Profile {
    return {
        version: selectVersion(DHIS2_VERSION_SETTING, env.DHIS2_VERSION),
        routeQueryRedecoding: env.DHIS2_ROUTE_QUERY_REDECODING !== 'off',
    }
}
