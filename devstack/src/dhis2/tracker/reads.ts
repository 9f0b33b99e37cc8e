import type { FastifyInstance, FastifyReply } from 'fastify'
import type { User } from '../auth'
import type { Db } from '../db'
import { applyFields, firstOf, parseFields, sendJson, sendMessage } from '../util'
import { equalityFilters } from './filters'
import { DEFAULT_FIELDS, type TrackerReader } from './read-model'
import type { TrackerScopes } from './scope'

/**
 * Single reads of tracked entities, enrollments and events, and the enrollment and event lists.
 * What the user may not read does not exist for them: 404 on a single read, left out of a list.
 */
export function registerTrackerReads(
    app: FastifyInstance,
    db: Db,
    scopes: TrackerScopes,
    reader: TrackerReader
): void {
    const { canRead } = scopes
    const notFound = (reply: FastifyReply, type: string, uid: string) =>
        sendMessage(reply, 404, `${type} with id ${uid} could not be found.`)

    app.get('/api/tracker/trackedEntities/:uid', async (request, reply) => {
        const { uid } = request.params as { uid: string }
        const query = request.query as Record<string, unknown>
        const te = await reader.entity(uid)
        if (!te || !canRead(request.user as User, te.orgUnit as string, firstOf(query.program)))
            return notFound(reply, 'TrackedEntity', uid)
        const fields = parseFields(firstOf(query.fields) ?? DEFAULT_FIELDS.trackedEntity)
        return sendJson(reply, applyFields(te, fields))
    })

    app.get('/api/tracker/enrollments/:uid', async (request, reply) => {
        const { uid } = request.params as { uid: string }
        const en = await reader.enrollment(uid)
        if (
            !en.enrollment ||
            !canRead(request.user as User, en.orgUnit as string, en.program as string)
        )
            return notFound(reply, 'Enrollment', uid)
        const fields = parseFields(
            firstOf((request.query as Record<string, unknown>).fields) ?? DEFAULT_FIELDS.enrollment
        )
        return sendJson(reply, applyFields(en, fields))
    })
    app.get('/api/tracker/enrollments', async (request, reply) => {
        const query = request.query as Record<string, unknown>
        const user = request.user as User
        const { where, params } = equalityFilters(query, [
            ['trackedEntity', 'tracked_entity'],
            ['program', 'program'],
        ])
        const { rows } = await db.query<{ uid: string }>(
            `select uid from enrollments ${where} order by uid`,
            params
        )
        const fields = parseFields(firstOf(query.fields) ?? DEFAULT_FIELDS.enrollment)
        const list = []
        for (const row of rows) {
            const en = await reader.enrollment(row.uid)
            if (canRead(user, en.orgUnit as string, en.program as string))
                list.push(applyFields(en, fields))
        }
        return sendJson(reply, { pager: { page: 1, pageSize: list.length }, enrollments: list })
    })

    app.get('/api/tracker/events/:uid', async (request, reply) => {
        const { uid } = request.params as { uid: string }
        const { rows } = await db.query<{ data: Record<string, unknown> }>(
            'select data from events where uid = $1',
            [uid]
        )
        const ev = rows[0]?.data
        if (!ev || !canRead(request.user as User, ev.orgUnit as string, ev.program as string))
            return notFound(reply, 'Event', uid)
        return sendJson(
            reply,
            applyFields(ev, parseFields(firstOf((request.query as Record<string, unknown>).fields)))
        )
    })
    app.get('/api/tracker/events', async (request, reply) => {
        const query = request.query as Record<string, unknown>
        const user = request.user as User
        const { where, params } = equalityFilters(query, [
            ['trackedEntity', 'tracked_entity'],
            ['program', 'program'],
            ['programStage', 'program_stage'],
            ['enrollments', 'enrollment'],
            ['orgUnit', 'org_unit'],
        ])
        const { rows } = await db.query<{ data: Record<string, unknown> }>(
            `select data from events ${where} order by data->>'occurredAt', uid`,
            params
        )
        const fields = parseFields(firstOf(query.fields))
        const list = rows
            .map((r) => r.data)
            .filter((ev) => canRead(user, ev.orgUnit as string, ev.program as string))
        return sendJson(reply, {
            pager: { page: 1, pageSize: list.length },
            events: list.map((ev) => applyFields(ev, fields)),
        })
    })
}
