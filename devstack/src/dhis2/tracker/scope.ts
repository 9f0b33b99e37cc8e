import type { User } from '../auth'
import type { MetadataCache } from '../metadata'

/**
 * Who may write and read tracker data where (DHIS2's ownership rules as the stand-in models
 * them): writes need the org unit in the user's capture scope; reads of a PROTECTED or CLOSED
 * program follow the capture scope, any other program (or none) the search scope. A superuser
 * (authority `ALL`) may do anything anywhere.
 */
export interface TrackerScopes {
    /** The org units at or below the user's capture org units. */
    capture(user: User): Set<string>
    /** At or below the search org units, or the capture ones when the user has none. */
    search(user: User): Set<string>
    /** Where the user may read data of the program. */
    read(user: User, programId: string | undefined): Set<string>
    /** Whether the user may read an object of the program in this org unit. */
    canRead(user: User, orgUnit: string, programId?: string): boolean
}

export const isSuperuser = (user: User): boolean => user.authorities.includes('ALL')

export function trackerScopes(cache: MetadataCache): TrackerScopes {
    const capture = (user: User) => cache.descendants(user.organisationUnits)
    const search = (user: User) =>
        cache.descendants(
            user.teiSearchOrganisationUnits.length > 0
                ? user.teiSearchOrganisationUnits
                : user.organisationUnits
        )
    const read = (user: User, programId: string | undefined) => {
        const program = programId ? cache.get('programs', programId) : undefined
        return program && ['PROTECTED', 'CLOSED'].includes(String(program.accessLevel))
            ? capture(user)
            : search(user)
    }
    return {
        capture,
        search,
        read,
        canRead: (user, orgUnit, programId) =>
            isSuperuser(user) || read(user, programId).has(orgUnit),
    }
}
