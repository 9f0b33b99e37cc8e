import type { Transaction } from '@electric-sql/pglite'
import type { Db } from '../db'
import type { MetadataCache } from '../metadata'
import type { ImportedType, TrackerBundle } from './model'

/** DHIS2's timestamps: ISO 8601 without a zone. */
const stamp = () => new Date().toISOString().replace('Z', '')

/**
 * Writes a validated bundle in one transaction (atomicMode=ALL): tracked entities, their
 * attribute values (replaced by `finalAttributes`), enrollments, events. What is stored already
 * (`existing`) is updated and keeps its `createdAt`. A unique value that slipped past validation
 * (a concurrent import) fails the primary key, with code 23505, and nothing is written.
 */
export async function persistImport(
    db: Db,
    cache: MetadataCache,
    bundle: TrackerBundle,
    existing: Record<ImportedType, Set<string>>,
    finalAttributes: Map<string, Map<string, string>>
): Promise<void> {
    await db.transaction(async (tx) => {
        const now = stamp()
        await writeTrackedEntities(tx, bundle, existing, now)
        await writeAttributeValues(tx, cache, finalAttributes)
        await writeEnrollments(tx, bundle, existing, now)
        await writeEvents(tx, bundle, existing, now)
    })
}

async function writeTrackedEntities(
    tx: Transaction,
    { entities }: TrackerBundle,
    existing: Record<ImportedType, Set<string>>,
    now: string
): Promise<void> {
    for (const te of entities) {
        const uid = te.trackedEntity as string
        const { enrollments: _nested, attributes: _attrs, ...plain } = te
        const data = {
            ...plain,
            trackedEntity: uid,
            updatedAt: now,
            createdAt: existing.TRACKED_ENTITY.has(uid) ? undefined : now,
        }
        await tx.query(
            `insert into tracked_entities (uid, tracked_entity_type, org_unit, data) values ($1, $2, $3, $4)
             on conflict (uid) do update set tracked_entity_type = excluded.tracked_entity_type,
               org_unit = excluded.org_unit,
               data = tracked_entities.data || excluded.data - 'createdAt'`,
            [uid, te.trackedEntityType, te.orgUnit, JSON.stringify(data)]
        )
    }
}

async function writeAttributeValues(
    tx: Transaction,
    cache: MetadataCache,
    finalAttributes: Map<string, Map<string, string>>
): Promise<void> {
    for (const [te, values] of finalAttributes) {
        await tx.query('delete from attribute_values where tracked_entity = $1', [te])
        await tx.query('delete from unique_attribute_values where tracked_entity = $1', [te])
        for (const [attribute, value] of values) {
            await tx.query(
                'insert into attribute_values (tracked_entity, attribute, value) values ($1, $2, $3)',
                [te, attribute, value]
            )
            if (cache.get('trackedEntityAttributes', attribute)?.unique === true) {
                // The primary key rejects a duplicate that slipped past validation (a race).
                await tx.query(
                    'insert into unique_attribute_values (attribute, value, tracked_entity) values ($1, $2, $3)',
                    [attribute, value, te]
                )
            }
        }
    }
}

async function writeEnrollments(
    tx: Transaction,
    { enrollments }: TrackerBundle,
    existing: Record<ImportedType, Set<string>>,
    now: string
): Promise<void> {
    for (const en of enrollments) {
        const { events: _nested, attributes: _attrs, ...plain } = en
        const data = {
            status: 'ACTIVE',
            ...plain,
            updatedAt: now,
            createdAt: existing.ENROLLMENT.has(en.enrollment as string) ? undefined : now,
        }
        await tx.query(
            `insert into enrollments (uid, tracked_entity, program, org_unit, data) values ($1, $2, $3, $4, $5)
             on conflict (uid) do update set org_unit = excluded.org_unit, data = enrollments.data || excluded.data - 'createdAt'`,
            [en.enrollment, en.trackedEntity, en.program, en.orgUnit, JSON.stringify(data)]
        )
    }
}

async function writeEvents(
    tx: Transaction,
    { enrollments, events }: TrackerBundle,
    existing: Record<ImportedType, Set<string>>,
    now: string
): Promise<void> {
    for (const ev of events) {
        const te =
            ev.trackedEntity ??
            enrollments.find((en) => en.enrollment === ev.enrollment)?.trackedEntity ??
            (
                await tx.query<{ tracked_entity: string }>(
                    'select tracked_entity from enrollments where uid = $1',
                    [ev.enrollment]
                )
            ).rows[0]?.tracked_entity
        const data = {
            status: 'ACTIVE',
            ...ev,
            trackedEntity: te,
            updatedAt: now,
            createdAt: existing.EVENT.has(ev.event as string) ? undefined : now,
        }
        await tx.query(
            `insert into events (uid, enrollment, tracked_entity, program, program_stage, org_unit, data) values ($1, $2, $3, $4, $5, $6, $7)
             on conflict (uid) do update set org_unit = excluded.org_unit, data = events.data || excluded.data - 'createdAt'`,
            [
                ev.event,
                ev.enrollment,
                te,
                ev.program,
                ev.programStage,
                ev.orgUnit,
                JSON.stringify(data),
            ]
        )
    }
}
