import type { Db } from './db'
import type { MetadataCache } from './metadata'
import type { Dhis2Profile } from './profile'

/** What every part of the DHIS2 stand-in is given: its storage, metadata and profile. */
export interface Dhis2Context {
    db: Db
    /** The metadata, in memory, refreshed on every metadata import. */
    cache: MetadataCache
    /** The DHIS2 version reproduced and its switches: branch on this, not on the environment. */
    profile: Dhis2Profile
    /** The public base URL (scheme, host, port) DHIS2 believes it has; known once listening. */
    baseUrl: () => string
}
