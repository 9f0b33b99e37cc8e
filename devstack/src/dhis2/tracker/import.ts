import type { FastifyInstance } from 'fastify'
import type { User } from '../auth'
import type { Db } from '../db'
import type { MetadataCache } from '../metadata'
import { firstOf, sendJson, sendMessage } from '../util'
import { flattenPayload } from './bundle'
import type { TrackerPayload } from './model'
import { persistImport } from './persist'
import { importReport } from './report'
import type { TrackerScopes } from './scope'
import { validateImport } from './validation'

/**
 * `POST /api/tracker?async=false`: DHIS2's synchronous tracker import (importStrategy CREATE,
 * UPDATE or CREATE_AND_UPDATE; importMode VALIDATE), all or nothing: flatten the payload,
 * validate it, then write it in one transaction and answer the import report (409 on errors).
 */
export function registerTrackerImport(
    app: FastifyInstance,
    db: Db,
    cache: MetadataCache,
    scopes: TrackerScopes
): void {
    app.post('/api/tracker', async (request, reply) => {
        const user = request.user as User
        const query = request.query as Record<string, unknown>
        if (firstOf(query.async) !== 'false') {
            // The apps and the deploy command always import synchronously; say so instead of faking a job.
            return sendMessage(
                reply,
                400,
                'The DHIS2 stand-in supports only async=false tracker imports.'
            )
        }
        const strategy = firstOf(query.importStrategy) ?? 'CREATE'
        const validateOnly = firstOf(query.importMode) === 'VALIDATE'
        const bundle = flattenPayload((request.body ?? {}) as TrackerPayload)
        const { errors, existing, finalAttributes } = await validateImport(
            db,
            cache,
            scopes,
            user,
            strategy,
            bundle
        )
        const respond = (status: 'OK' | 'ERROR', reportErrors = errors) => {
            const report = importReport(status, reportErrors, bundle, existing, validateOnly)
            return sendJson(reply, report.body, report.code)
        }

        // atomicMode=ALL (the default): any error rejects the whole payload.
        if (errors.length > 0) return respond('ERROR')
        if (validateOnly) return respond('OK')
        try {
            await persistImport(db, cache, bundle, existing, finalAttributes)
        } catch (error) {
            if ((error as { code?: string }).code === '23505') {
                return respond('ERROR', [
                    {
                        message: 'Non-unique attribute value (rejected by the database)',
                        errorCode: 'E1064',
                        trackerType: 'TRACKED_ENTITY',
                        uid: bundle.entities[0]?.trackedEntity ?? '',
                    },
                ])
            }
            throw error
        }
        return respond('OK')
    })
}
