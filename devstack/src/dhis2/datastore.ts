import type { FastifyInstance } from 'fastify'
import type { Db } from './db'
import { sendJson, sendMessage } from './util'

/** /api/dataStore with DHIS2's status codes: 409 on creating an existing key, 404 on missing. */
export function registerDatastore(app: FastifyInstance, db: Db): void {
    app.get('/api/dataStore', async (_request, reply) => {
        const { rows } = await db.query<{ namespace: string }>(
            'select distinct namespace from datastore order by 1'
        )
        return sendJson(
            reply,
            rows.map((r) => r.namespace)
        )
    })
    app.get('/api/dataStore/:ns', async (request, reply) => {
        const { ns } = request.params as { ns: string }
        const { rows } = await db.query<{ key: string }>(
            'select key from datastore where namespace = $1 order by 1',
            [ns]
        )
        if (rows.length === 0) return sendMessage(reply, 404, `Namespace not found: '${ns}'`)
        return sendJson(
            reply,
            rows.map((r) => r.key)
        )
    })
    app.delete('/api/dataStore/:ns', async (request, reply) => {
        const { ns } = request.params as { ns: string }
        const result = await db.query('delete from datastore where namespace = $1', [ns])
        if (!result.affectedRows) return sendMessage(reply, 404, `Namespace not found: '${ns}'`)
        return sendMessage(reply, 200, `Namespace '${ns}' deleted.`)
    })
    app.get('/api/dataStore/:ns/:key', async (request, reply) => {
        const { ns, key } = request.params as { ns: string; key: string }
        const { rows } = await db.query<{ value: unknown }>(
            'select value from datastore where namespace = $1 and key = $2',
            [ns, key]
        )
        if (rows.length === 0)
            return sendMessage(reply, 404, `Key '${key}' not found in namespace '${ns}'`)
        return sendJson(reply, rows[0]?.value)
    })
    app.post('/api/dataStore/:ns/:key', async (request, reply) => {
        const { ns, key } = request.params as { ns: string; key: string }
        const result = await db.query(
            'insert into datastore (namespace, key, value) values ($1, $2, $3) on conflict do nothing',
            [ns, key, JSON.stringify(request.body ?? null)]
        )
        if (!result.affectedRows)
            return sendMessage(reply, 409, `Key '${key}' already exists on namespace '${ns}'.`)
        return sendMessage(reply, 201, `Key '${key}' created.`)
    })
    app.put('/api/dataStore/:ns/:key', async (request, reply) => {
        const { ns, key } = request.params as { ns: string; key: string }
        const result = await db.query(
            'update datastore set value = $3 where namespace = $1 and key = $2',
            [ns, key, JSON.stringify(request.body ?? null)]
        )
        if (!result.affectedRows)
            return sendMessage(reply, 404, `Key '${key}' not found in namespace '${ns}'`)
        return sendMessage(reply, 200, `Key '${key}' updated.`)
    })
    app.delete('/api/dataStore/:ns/:key', async (request, reply) => {
        const { ns, key } = request.params as { ns: string; key: string }
        const result = await db.query('delete from datastore where namespace = $1 and key = $2', [
            ns,
            key,
        ])
        if (!result.affectedRows)
            return sendMessage(reply, 404, `Key '${key}' not found in namespace '${ns}'`)
        return sendMessage(reply, 200, `Key '${key}' deleted from namespace '${ns}'.`)
    })
}
