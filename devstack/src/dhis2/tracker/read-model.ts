import type { Db } from '../db'
import type { MetadataCache } from '../metadata'
import type { Ref } from './model'

type Json = Record<string, unknown>

/** What single and list reads return without a `fields` parameter, as DHIS2 does. */
export const DEFAULT_FIELDS = {
    trackedEntity: '*,!relationships,!enrollments,!events,!programOwners',
    enrollment: '*,!relationships,!events,!attributes',
}

/** Stored tracker objects in DHIS2's read shape (before `fields` filtering). */
export interface TrackerReader {
    /** A tracked entity with its attributes and enrollments (each with its events). */
    entity(uid: string): Promise<Json | undefined>
    /**
     * An enrollment with its program's attributes and its events (`{}` when there is none).
     * `teAttributes`: the tracked entity's attribute values when the caller has them already.
     */
    enrollment(uid: string, teAttributes?: Json[]): Promise<Json>
}

export function trackerReader(db: Db, cache: MetadataCache): TrackerReader {
    const attributeValues = async (te: string, orderBy = '') => {
        const values = await db.query<{ attribute: string; value: string }>(
            `select attribute, value from attribute_values where tracked_entity = $1${orderBy}`,
            [te]
        )
        return values.rows.map((v) => attributeOut(cache, v.attribute, v.value))
    }

    const enrollment = async (uid: string, teAttributes?: Json[]): Promise<Json> => {
        const { rows } = await db.query<{
            data: Json
            tracked_entity: string
            program: string
        }>('select data, tracked_entity, program from enrollments where uid = $1', [uid])
        const row = rows[0]
        if (!row) return {}
        const program = cache.get('programs', row.program)
        const programAttributes = new Set(
            (
                (program?.programTrackedEntityAttributes as { trackedEntityAttribute: Ref }[]) ?? []
            ).map((p) => p.trackedEntityAttribute.id)
        )
        const attrs = teAttributes ?? (await attributeValues(row.tracked_entity))
        const eventRows = await db.query<{ data: Json }>(
            `select data from events where enrollment = $1 order by data->>'occurredAt', uid`,
            [uid]
        )
        return {
            ...row.data,
            trackedEntity: row.tracked_entity,
            attributes: attrs.filter((a) => programAttributes.has(a.attribute as string)),
            events: eventRows.rows.map((e) => e.data),
            relationships: [],
            notes: [],
        }
    }

    const entity = async (uid: string): Promise<Json | undefined> => {
        const { rows } = await db.query<{ data: Json }>(
            'select data from tracked_entities where uid = $1',
            [uid]
        )
        const row = rows[0]
        if (!row) return undefined
        const attributes = await attributeValues(uid, ' order by attribute')
        const enrollmentRows = await db.query<{ uid: string }>(
            'select uid from enrollments where tracked_entity = $1',
            [uid]
        )
        const enrollmentList = []
        for (const en of enrollmentRows.rows)
            enrollmentList.push(await enrollment(en.uid, attributes))
        return {
            ...row.data,
            attributes,
            enrollments: enrollmentList,
            relationships: [],
            programOwners: [],
        }
    }

    return { entity, enrollment }
}

/** An attribute value as DHIS2 reads it out: with the attribute's code, name and value type. */
function attributeOut(cache: MetadataCache, attribute: string, value: string): Json {
    const meta = cache.get('trackedEntityAttributes', attribute)
    return {
        attribute,
        code: meta?.code,
        displayName: meta?.name,
        valueType: meta?.valueType,
        value,
    }
}
