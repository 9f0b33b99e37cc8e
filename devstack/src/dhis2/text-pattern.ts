import type { FastifyInstance } from 'fastify'
import type { Dhis2Context } from './context'
import type { Db } from './db'
import { sequenceName } from './metadata'
import { firstOf, sendJson, sendMessage } from './util'

/**
 * TextPattern values of generated attributes (the PHN): `GET
 * /api/trackedEntityAttributes/{id}/generate` and `.../requiredValues`.
 */
export function registerTextPatterns(app: FastifyInstance, { db, cache }: Dhis2Context): void {
    app.get('/api/trackedEntityAttributes/:id/generate', async (request, reply) => {
        const { id } = request.params as { id: string }
        const attribute = cache.get('trackedEntityAttributes', id)
        if (!attribute)
            return sendMessage(
                reply,
                404,
                `TrackedEntityAttribute with id ${id} could not be found.`
            )
        const pattern = typeof attribute.pattern === 'string' ? attribute.pattern : ''
        if (attribute.generated !== true || pattern === '') {
            return sendMessage(reply, 409, `Attribute ${id} is not generated, or has no pattern.`)
        }
        const expirationDays = Number(
            firstOf((request.query as Record<string, unknown>).expiration) ?? 3
        )
        const value = await generateValue(db, id, pattern, expirationDays)
        return sendJson(reply, {
            ownerObject: 'TRACKEDENTITYATTRIBUTE',
            ownerUid: id,
            key: pattern,
            value: value.value,
            created: value.created,
            expiryDate: value.expiryDate,
        })
    })
    app.get('/api/trackedEntityAttributes/:id/requiredValues', async (request, reply) => {
        const attribute = cache.get(
            'trackedEntityAttributes',
            (request.params as { id: string }).id
        )
        if (!attribute) return sendMessage(reply, 404, 'TrackedEntityAttribute could not be found.')
        return sendJson(reply, { REQUIRED: [], OPTIONAL: [] })
    })
}

/**
 * Renders a TextPattern of quoted text and SEQUENTIAL(###) segments joined by `+`. The number
 * comes from a PostgreSQL sequence, so concurrent calls can never get the same value, and the
 * issued value is recorded as reserved.
 */
async function generateValue(
    db: Db,
    attributeId: string,
    pattern: string,
    expirationDays: number
): Promise<{ value: string; created: string; expiryDate: string }> {
    const segments = pattern.split('+').map((s) => s.trim())
    const { rows } = await db.query<{ n: string; created: Date; expiry: Date }>(
        `select nextval('"${sequenceName(attributeId)}"')::text as n, now() as created,
                now() + make_interval(days => $1) as expiry`,
        [Math.max(1, Math.min(expirationDays, 60))]
    )
    const row = rows[0]
    if (!row) throw new Error('sequence returned nothing')
    let value = ''
    for (const segment of segments) {
        const sequential = /^SEQUENTIAL\((#+)\)$/.exec(segment)
        const text = /^"(.*)"$/.exec(segment)
        if (sequential?.[1]) value += row.n.padStart(sequential[1].length, '0')
        else if (text) value += text[1]
        else throw new Error(`TextPattern segment not supported by the stand-in: ${segment}`)
    }
    await db.query(
        'insert into generated_values (attribute, value, expiry_date) values ($1, $2, $3)',
        [attributeId, value, row.expiry]
    )
    return { value, created: row.created.toISOString(), expiryDate: row.expiry.toISOString() }
}
