import type { FastifyInstance } from 'fastify'
import { hasAuthority } from './auth'
import type { Dhis2Context } from './context'
import type { Db } from './db'
import {
    applyFields,
    asList,
    firstOf,
    parseFields,
    type Resolver,
    sendJson,
    sendMessage,
} from './util'

/** Metadata types the stand-in stores and serves (the ones the ANC package and the apps use). */
const METADATA_TYPES = [
    'attributes',
    'options',
    'optionSets',
    'organisationUnits',
    'trackedEntityAttributes',
    'trackedEntityTypes',
    'dataElements',
    'programs',
    'programStages',
    'userRoles',
] as const

const KLASS: Record<string, string> = {
    attributes: 'org.hisp.dhis.attribute.Attribute',
    options: 'org.hisp.dhis.option.Option',
    optionSets: 'org.hisp.dhis.option.OptionSet',
    organisationUnits: 'org.hisp.dhis.organisationunit.OrganisationUnit',
    trackedEntityAttributes: 'org.hisp.dhis.trackedentity.TrackedEntityAttribute',
    trackedEntityTypes: 'org.hisp.dhis.trackedentity.TrackedEntityType',
    dataElements: 'org.hisp.dhis.dataelement.DataElement',
    programs: 'org.hisp.dhis.program.Program',
    programStages: 'org.hisp.dhis.program.ProgramStage',
    userRoles: 'org.hisp.dhis.user.UserRole',
}

export type MetadataObject = Record<string, unknown> & { id: string }

/** An in-memory view of the metadata table, refreshed after every import. */
export class MetadataCache {
    private byType = new Map<string, Map<string, MetadataObject>>()
    private byId = new Map<string, MetadataObject>()

    constructor(private readonly db: Db) {}

    async reload(): Promise<void> {
        const { rows } = await this.db.query<{ type: string; data: MetadataObject }>(
            'select type, data from metadata'
        )
        this.byType.clear()
        this.byId.clear()
        for (const row of rows) {
            const map = this.byType.get(row.type) ?? new Map<string, MetadataObject>()
            map.set(row.data.id, row.data)
            this.byType.set(row.type, map)
            this.byId.set(row.data.id, row.data)
        }
    }

    list(type: string): MetadataObject[] {
        return [...(this.byType.get(type)?.values() ?? [])]
    }

    get(type: string, id: string): MetadataObject | undefined {
        return this.byType.get(type)?.get(id)
    }

    /** Resolves a reference to its object with display names, as DHIS2's field filter does. */
    readonly resolve: Resolver = (id) => {
        const object = this.byId.get(id)
        return object ? withDisplayNames(object) : undefined
    }

    /** Org unit ids at or below any of the given ones (via the stored path). */
    descendants(roots: string[]): Set<string> {
        const result = new Set<string>()
        for (const ou of this.list('organisationUnits')) {
            const path = String(ou.path ?? '')
            if (roots.some((root) => path.split('/').includes(root))) result.add(ou.id)
        }
        return result
    }
}

function withDisplayNames(object: MetadataObject): MetadataObject {
    const result: MetadataObject = { ...object }
    if (typeof object.name === 'string') result.displayName = object.name
    if (typeof object.shortName === 'string') result.displayShortName = object.shortName
    if (typeof object.formName === 'string' || typeof object.name === 'string') {
        result.displayFormName = object.formName ?? object.name
    }
    return result
}

interface TypeStats {
    created: number
    updated: number
    deleted: number
    ignored: number
    total: number
}

const emptyStats = (): TypeStats => ({ created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 })

/**
 * Imports a metadata package with CREATE_AND_UPDATE semantics, in one transaction. Like DHIS2,
 * an object that exists is counted as updated even when nothing changed; the deploy command must
 * not rely on the counts to detect "no change".
 */
export async function importMetadata(
    db: Db,
    payload: Record<string, unknown>,
    options: { dryRun?: boolean } = {}
): Promise<{ stats: TypeStats; typeReports: object[]; errors: string[] }> {
    const total = emptyStats()
    const typeReports: object[] = []
    const errors: string[] = []
    const unknown = Object.keys(payload).filter(
        (key) =>
            key !== 'system' &&
            Array.isArray(payload[key]) &&
            !(METADATA_TYPES as readonly string[]).includes(key)
    )
    for (const key of unknown) errors.push(`Metadata type not supported by the stand-in: ${key}`)
    if (errors.length > 0) return { stats: total, typeReports, errors }

    await db.transaction(async (tx) => {
        for (const type of METADATA_TYPES) {
            const objects = payload[type]
            if (!Array.isArray(objects)) continue
            const stats = emptyStats()
            for (const object of objects as MetadataObject[]) {
                if (typeof object?.id !== 'string') {
                    errors.push(`${type}: every object needs an id`)
                    continue
                }
                const existing = await tx.query(
                    'select 1 from metadata where type = $1 and id = $2',
                    [type, object.id]
                )
                if (existing.rows.length > 0) stats.updated++
                else stats.created++
                stats.total++
                if (options.dryRun) continue
                await tx.query(
                    `insert into metadata (type, id, code, data) values ($1, $2, $3, $4)
                     on conflict (type, id) do update set code = excluded.code, data = excluded.data`,
                    [type, object.id, object.code ?? null, JSON.stringify(object)]
                )
                if (type === 'trackedEntityAttributes' && object.generated === true) {
                    // One database sequence per generated attribute: nextval is atomic.
                    await tx.exec(
                        `create sequence if not exists "${sequenceName(object.id)}" minvalue 1`
                    )
                }
            }
            for (const k of Object.keys(total) as (keyof TypeStats)[]) total[k] += stats[k]
            typeReports.push({ klass: KLASS[type], stats, objectReports: [] })
        }
        if (errors.length > 0) await tx.rollback()
    })
    return { stats: total, typeReports, errors }
}

export function sequenceName(attributeId: string): string {
    if (!/^[A-Za-z0-9]{11}$/.test(attributeId)) throw new Error(`Not a UID: ${attributeId}`)
    return `textpattern_${attributeId}`
}

/** Applies `filter=prop:op:value` (eq, in, like, ilike, ne) to metadata lists. */
function metadataFilter(filters: string[]): (object: MetadataObject) => boolean {
    const tests = filters.map((filter) => {
        const [prop = '', op = '', ...rest] = filter.split(':')
        const raw = rest.join(':')
        const get = (o: MetadataObject): string => {
            let v: unknown = o
            for (const part of prop.split('.'))
                v = (v as Record<string, unknown> | undefined)?.[part]
            return v === undefined || v === null ? '' : String(v)
        }
        switch (op) {
            case 'eq':
                return (o: MetadataObject) => get(o) === raw
            case 'ne':
                return (o: MetadataObject) => get(o) !== raw
            case 'in': {
                const values = raw.replace(/^\[|\]$/g, '').split(',')
                return (o: MetadataObject) => values.includes(get(o))
            }
            case 'like':
            case 'ilike':
                return (o: MetadataObject) => get(o).toLowerCase().includes(raw.toLowerCase())
            default:
                return () => true
        }
    })
    return (object) => tests.every((test) => test(object))
}

export function registerMetadata(app: FastifyInstance, { db, cache }: Dhis2Context): void {
    for (const type of METADATA_TYPES) {
        app.get(`/api/${type}`, async (request, reply) => {
            const query = request.query as Record<string, unknown>
            const fields = parseFields(firstOf(query.fields) ?? 'id,displayName')
            let objects = cache
                .list(type)
                .map(withDisplayNames)
                .filter(metadataFilter(asList(query.filter)))
            objects.sort((a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id)))
            const total = objects.length
            const paging = firstOf(query.paging) !== 'false'
            const pageSize = Number(firstOf(query.pageSize) ?? 50)
            const page = Number(firstOf(query.page) ?? 1)
            if (paging) objects = objects.slice((page - 1) * pageSize, page * pageSize)
            const body: Record<string, unknown> = {}
            if (paging)
                body.pager = {
                    page,
                    pageCount: Math.max(1, Math.ceil(total / pageSize)),
                    total,
                    pageSize,
                }
            body[type] = objects.map((o) =>
                applyFields(withChildren(type, o, cache), fields, cache.resolve)
            )
            return sendJson(reply, body)
        })
        app.get(`/api/${type}/:id`, async (request, reply) => {
            const { id } = request.params as { id: string }
            const object = cache.get(type, id)
            if (!object)
                return sendMessage(
                    reply,
                    404,
                    `${type.replace(/s$/, '')} with id ${id} could not be found.`
                )
            const fields = parseFields(
                firstOf((request.query as Record<string, unknown>).fields) ?? '*'
            )
            return sendJson(
                reply,
                applyFields(
                    withChildren(type, withDisplayNames(object), cache),
                    fields,
                    cache.resolve
                )
            )
        })
    }

    app.post('/api/metadata', async (request, reply) => {
        if (!hasAuthority(request.user, 'F_METADATA_IMPORT')) {
            return sendMessage(reply, 403, 'You do not have the authority to import metadata.')
        }
        const query = request.query as Record<string, unknown>
        const dryRun = firstOf(query.importMode) === 'VALIDATE' || firstOf(query.dryRun) === 'true'
        const payload = request.body
        if (!payload || typeof payload !== 'object')
            return sendMessage(reply, 400, 'Expected a metadata JSON object')
        const result = await importMetadata(db, payload as Record<string, unknown>, { dryRun })
        await cache.reload()
        const status = result.errors.length > 0 ? 'ERROR' : 'OK'
        return sendJson(
            reply,
            {
                httpStatus: status === 'OK' ? 'OK' : 'Conflict',
                httpStatusCode: status === 'OK' ? 200 : 409,
                status,
                message:
                    status === 'OK'
                        ? undefined
                        : 'One or more errors occurred, please see full details in import report.',
                response: {
                    responseType: 'ImportReport',
                    status,
                    importParams: {
                        importMode: dryRun ? 'VALIDATE' : 'COMMIT',
                        importStrategy: 'CREATE_AND_UPDATE',
                    },
                    stats: result.stats,
                    typeReports: result.typeReports,
                    errors: result.errors,
                },
            },
            status === 'OK' ? 200 : 409
        )
    })
}

/** Computed collections DHIS2 serves on org units (children) and option sets. */
function withChildren(type: string, object: MetadataObject, cache: MetadataCache): MetadataObject {
    if (type === 'organisationUnits') {
        const children = cache
            .list('organisationUnits')
            .filter((ou) => (ou.parent as { id?: string } | undefined)?.id === object.id)
            .map((ou) => ({ id: ou.id }))
        return { ...object, children }
    }
    return object
}
