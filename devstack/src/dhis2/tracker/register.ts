import type { FastifyInstance } from 'fastify'
import type { Dhis2Context } from '../context'
import { registerTrackerImport } from './import'
import { trackerReader } from './read-model'
import { registerTrackerReads } from './reads'
import { trackerScopes } from './scope'
import { registerTrackedEntitySearch } from './search'

/** DHIS2's tracker API (`/api/tracker/...`): the import, the search and the reads. */
export function registerTracker(app: FastifyInstance, { db, cache }: Dhis2Context): void {
    const scopes = trackerScopes(cache)
    const reader = trackerReader(db, cache)
    registerTrackerImport(app, db, cache, scopes)
    registerTrackedEntitySearch(app, db, cache, scopes, reader)
    registerTrackerReads(app, db, scopes, reader)
}
