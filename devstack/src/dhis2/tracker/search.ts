import type { FastifyInstance } from 'fastify'
import { hasAuthority, type User } from '../auth'
import type { Db } from '../db'
import type { MetadataCache } from '../metadata'
import { applyFields, asList, firstOf, parseFields, sendJson, sendMessage } from '../util'
import { filterSql, listParameter, splitFilters } from './filters'
import type { Ref } from './model'
import { DEFAULT_FIELDS, type TrackerReader } from './read-model'
import { isSuperuser, type TrackerScopes } from './scope'

/** A where clause under construction: conditions and their bound parameters ($1, $2, ...). */
class Conditions {
    readonly where: string[] = []
    readonly params: unknown[] = []

    readonly param = (value: unknown): string => {
        this.params.push(value)
        return `$${this.params.length}`
    }

    get sql(): string {
        return this.where.length > 0 ? `where ${this.where.join(' and ')}` : ''
    }
}

/** `GET /api/tracker/trackedEntities`: DHIS2's tracked entity search, in the user's scope. */
export function registerTrackedEntitySearch(
    app: FastifyInstance,
    db: Db,
    cache: MetadataCache,
    scopes: TrackerScopes,
    reader: TrackerReader
): void {
    app.get('/api/tracker/trackedEntities', async (request, reply) => {
        const user = request.user as User
        const query = request.query as Record<string, unknown>
        const program = firstOf(query.program)
        const tet = firstOf(query.trackedEntityType)
        const uids = listParameter(query.trackedEntities)
        const orgUnits = listParameter(query.orgUnits)
        const mode = firstOf(query.orgUnitMode) ?? (orgUnits.length > 0 ? 'SELECTED' : 'ACCESSIBLE')
        const refused = refusal(cache, user, { program, tet, uids, orgUnits, mode })
        if (refused) return sendMessage(reply, refused.code, refused.message)

        const conditions = new Conditions()
        const { where, param } = conditions
        if (tet) where.push(`te.tracked_entity_type = ${param(tet)}`)
        if (program)
            where.push(
                `exists (select 1 from enrollments en where en.tracked_entity = te.uid and en.program = ${param(program)})`
            )
        if (uids.length > 0) where.push(`te.uid = any(${param(uids)})`)
        const invalidFilter = addAttributeFilters(conditions, asList(query.filter))
        if (invalidFilter !== undefined)
            return sendMessage(reply, 400, `Query item or filter is invalid: ${invalidFilter}`)
        const allowed = allowedOrgUnits(cache, scopes, user, mode, orgUnits, program)
        if (allowed) where.push(`te.org_unit = any(${param([...allowed])})`)

        const paging = firstOf(query.paging) !== 'false' && firstOf(query.skipPaging) !== 'true'
        const page = Math.max(1, Number(firstOf(query.page) ?? 1))
        const pageSize = Math.max(1, Math.min(1000, Number(firstOf(query.pageSize) ?? 50)))
        const limit = paging ? `limit ${pageSize} offset ${(page - 1) * pageSize}` : ''
        const { rows } = await db.query<{ uid: string }>(
            `select te.uid from tracked_entities te ${conditions.sql} order by te.data->>'createdAt', te.uid ${limit}`,
            conditions.params
        )
        const fields = parseFields(firstOf(query.fields) ?? DEFAULT_FIELDS.trackedEntity)
        const list = []
        for (const row of rows) list.push(applyFields(await reader.entity(row.uid), fields))
        const body: Record<string, unknown> = {}
        if (paging) {
            const pager: Record<string, unknown> = { page, pageSize }
            if (firstOf(query.totalPages) === 'true') {
                const count = await db.query<{ n: number }>(
                    `select count(*)::int as n from tracked_entities te ${conditions.sql}`,
                    conditions.params
                )
                const total = count.rows[0]?.n ?? 0
                pager.total = total
                pager.pageCount = Math.ceil(total / pageSize)
            }
            body.pager = pager
            Object.assign(body, { page, pageSize })
        }
        body.trackedEntities = list
        return sendJson(reply, body)
    })
}

/** DHIS2's refusal of a search request (status and message), or undefined when it may run. */
function refusal(
    cache: MetadataCache,
    user: User,
    request: {
        program: string | undefined
        tet: string | undefined
        uids: string[]
        orgUnits: string[]
        mode: string
    }
): { code: number; message: string } | undefined {
    const { program, tet, uids, orgUnits, mode } = request
    if (!program && !tet && uids.length === 0) {
        return {
            code: 400,
            message:
                'Either `program`, `trackedEntityType` or `trackedEntities` should be specified',
        }
    }
    if (program && !cache.get('programs', program))
        return { code: 400, message: `Program is specified but does not exist: ${program}` }
    if (mode === 'ALL' && !hasAuthority(user, 'F_TRACKED_ENTITY_INSTANCE_SEARCH_IN_ALL_ORGUNITS')) {
        return {
            code: 403,
            message: 'Current user is not authorized to query across all organisation units',
        }
    }
    if (['SELECTED', 'DESCENDANTS', 'CHILDREN'].includes(mode) && orgUnits.length === 0) {
        return {
            code: 400,
            message: `At least one org unit is required for orgUnitMode: ${mode}. Please add an orgUnits parameter or use a different orgUnitMode.`,
        }
    }
    return undefined
}

/**
 * Adds one condition per `filter` operator on an attribute value. Returns the text of the first
 * filter with an unknown operator (nothing should then run), or undefined.
 */
function addAttributeFilters(conditions: Conditions, filterValues: string[]): string | undefined {
    const { where, param } = conditions
    for (const filter of filterValues.flatMap(splitFilters)) {
        const [attribute, ...parts] = filter
        if (!attribute) continue
        for (let i = 0; i < parts.length;) {
            const op = (parts[i] ?? '').toLowerCase()
            const takesValue = op !== 'null' && op !== '!null'
            const value = parts[i + 1] ?? ''
            i += takesValue ? 2 : 1
            const sql = filterSql(op, value, param)
            if (!sql) return filter.join(':')
            const prefix = `select 1 from attribute_values av where av.tracked_entity = te.uid and av.attribute = ${param(attribute)}`
            where.push(op === 'null' ? `not exists (${prefix})` : `exists (${prefix} and ${sql})`)
        }
    }
    return undefined
}

/**
 * The org units the search may match: what the request asks for (`orgUnitMode`), intersected
 * with what the user may read of the program. Undefined: no restriction (a superuser, mode ALL).
 */
function allowedOrgUnits(
    cache: MetadataCache,
    scopes: TrackerScopes,
    user: User,
    mode: string,
    orgUnits: string[],
    program: string | undefined
): Set<string> | undefined {
    let allowed: Set<string> | undefined
    const selected = new Set(orgUnits)
    if (mode === 'SELECTED') allowed = selected
    else if (mode === 'DESCENDANTS') allowed = cache.descendants(orgUnits)
    else if (mode === 'CHILDREN') {
        allowed = new Set([
            ...orgUnits,
            ...cache
                .list('organisationUnits')
                .filter((ou) => orgUnits.includes((ou.parent as Ref | undefined)?.id ?? ''))
                .map((ou) => ou.id),
        ])
    } else if (mode === 'CAPTURE') allowed = scopes.capture(user)
    else if (mode === 'ACCESSIBLE') allowed = scopes.search(user)
    if (!isSuperuser(user)) {
        const userScope = scopes.read(user, program)
        allowed = new Set([...(allowed ?? userScope)].filter((ou) => userScope.has(ou)))
    }
    return allowed
}
