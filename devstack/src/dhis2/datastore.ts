import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { User } from './auth'
import type { Dhis2Context } from './context'
import type { Db } from './db'
import { sendJson, sendMessage } from './util'

/** DHIS2's sharing of one object, as it stores it (the `sharing` jsonb column). */
export interface Sharing {
    /** The user who created it (DHIS2's createdBy); null for entries from before sharing. */
    owner: string | null
    /** Access string: `r`/`w` metadata read/write, then data read/write, then four unused. */
    public: string
    external: boolean
    users: Record<string, { id: string; access: string }>
    userGroups: Record<string, { id: string; access: string }>
}

/** What DHIS2 gives a new datastore key: anyone may read and write it. */
export function defaultSharing(owner: string | null): Sharing {
    return { owner, public: 'rw------', external: false, users: {}, userGroups: {} }
}

/** AccessStringHelper.isValid: 8 characters, each permission letter or `-` in its place. */
const ACCESS_STRING = /^[r-][w-][r-][w-]-{4}$/

/**
 * DHIS2's AclService for a datastore entry: superusers (ALL) and the owner always; otherwise the
 * public access string or a grant to the user. The stand-in has no user groups, so group grants
 * are kept but never match anyone.
 */
function canAccess(user: User | undefined, sharing: Sharing, mode: 'read' | 'write'): boolean {
    if (!user) return false
    if (user.authorities.includes('ALL') || sharing.owner === user.id) return true
    const [letter, index] = mode === 'read' ? ['r', 0] : ['w', 1]
    const grants = [sharing.public, sharing.users[user.id]?.access ?? '']
    return grants.some((access) => access[index] === letter)
}

interface EntryRow {
    uid: string
    namespace: string
    key: string
    value: unknown
    sharing: Sharing
}

const deniedKey = (reply: FastifyReply, ns: string, key: string) =>
    sendMessage(reply, 403, `Access denied for key '${key}' in namespace '${ns}'`)

/**
 * /api/dataStore with DHIS2's status codes (409 on creating an existing key, 404 on missing) and
 * its sharing: reading a key needs `r`, changing or deleting it `w` (the key's sharing, the owner
 * or ALL), else 403. A new key gets DHIS2's default public read-write. `/api/sharing?type=dataStore`
 * reads and sets a key's sharing by its UID (`GET .../<key>/metaData` gives it).
 */
export function registerDatastore(app: FastifyInstance, { db }: Dhis2Context): void {
    const entry = async (ns: string, key: string): Promise<EntryRow | undefined> => {
        const { rows } = await db.query<EntryRow>(
            'select uid, namespace, key, value, sharing from datastore where namespace = $1 and key = $2',
            [ns, key]
        )
        return rows[0]
    }
    /** The entry if the user may use it this way; otherwise the reply is sent (404 or 403). */
    const accessible = async (
        request: FastifyRequest,
        reply: FastifyReply,
        mode: 'read' | 'write'
    ): Promise<EntryRow | undefined> => {
        const { ns, key } = request.params as { ns: string; key: string }
        const found = await entry(ns, key)
        if (!found) {
            await sendMessage(reply, 404, `Key '${key}' not found in namespace '${ns}'`)
            return undefined
        }
        // DHIS2 reads the entry (a read check) before it writes it.
        if (
            !canAccess(request.user, found.sharing, 'read') ||
            !canAccess(request.user, found.sharing, mode)
        ) {
            await deniedKey(reply, ns, key)
            return undefined
        }
        return found
    }

    app.get('/api/dataStore', async (_request, reply) => {
        const { rows } = await db.query<{ namespace: string }>(
            'select distinct namespace from datastore order by 1'
        )
        return sendJson(
            reply,
            rows.map((r) => r.namespace)
        )
    })
    // Key names are listed without a sharing check, as DHIS2 does; values are not.
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
        const { rows } = await db.query<{ key: string; sharing: Sharing }>(
            'select key, sharing from datastore where namespace = $1 order by 1',
            [ns]
        )
        if (rows.length === 0) return sendMessage(reply, 404, `Namespace not found: '${ns}'`)
        // Every key must be writable, or nothing is deleted.
        const locked = rows.find((r) => !canAccess(request.user, r.sharing, 'write'))
        if (locked) return deniedKey(reply, ns, locked.key)
        await db.query('delete from datastore where namespace = $1', [ns])
        return sendMessage(reply, 200, `Namespace '${ns}' deleted.`)
    })
    app.get('/api/dataStore/:ns/:key', async (request, reply) => {
        const found = await accessible(request, reply, 'read')
        return found ? sendJson(reply, found.value) : reply
    })
    app.get('/api/dataStore/:ns/:key/metaData', async (request, reply) => {
        const found = await accessible(request, reply, 'read')
        if (!found) return reply
        const { sharing, uid, namespace, key } = found
        const write = canAccess(request.user, sharing, 'write')
        return sendJson(reply, {
            id: uid,
            namespace,
            key,
            encrypted: false,
            ...(sharing.owner ? { createdBy: { id: sharing.owner } } : {}),
            sharing,
            access: {
                read: true,
                write,
                update: write,
                delete: write,
                manage: write,
                externalize: request.user?.authorities.includes('ALL') ?? false,
            },
        })
    })
    app.post('/api/dataStore/:ns/:key', async (request, reply) => {
        const { ns, key } = request.params as { ns: string; key: string }
        const result = await db.query(
            'insert into datastore (namespace, key, value, sharing) values ($1, $2, $3, $4) on conflict do nothing',
            [
                ns,
                key,
                JSON.stringify(request.body ?? null),
                JSON.stringify(defaultSharing(request.user?.id ?? null)),
            ]
        )
        if (!result.affectedRows)
            return sendMessage(reply, 409, `Key '${key}' already exists on namespace '${ns}'.`)
        return sendMessage(reply, 201, `Key '${key}' created.`)
    })
    app.put('/api/dataStore/:ns/:key', async (request, reply) => {
        const found = await accessible(request, reply, 'write')
        if (!found) return reply
        await db.query('update datastore set value = $2 where uid = $1', [
            found.uid,
            JSON.stringify(request.body ?? null),
        ])
        return sendMessage(reply, 200, `Key '${found.key}' updated.`)
    })
    app.delete('/api/dataStore/:ns/:key', async (request, reply) => {
        const found = await accessible(request, reply, 'write')
        if (!found) return reply
        await db.query('delete from datastore where uid = $1', [found.uid])
        return sendMessage(
            reply,
            200,
            `Key '${found.key}' deleted from namespace '${found.namespace}'.`
        )
    })

    registerSharing(app, db)
}

/**
 * `/api/sharing?type=dataStore&id=<uid>` as DHIS2's SharingController answers it. Other types are
 * not modelled and get DHIS2's answer for a type without sharing (409).
 */
function registerSharing(app: FastifyInstance, db: Db): void {
    const target = async (request: FastifyRequest, reply: FastifyReply) => {
        const { type, id } = request.query as { type?: string; id?: string }
        if (type !== 'dataStore') {
            await sendMessage(reply, 409, `Type ${type ?? ''} is not supported.`)
            return undefined
        }
        const { rows } = await db.query<EntryRow>(
            'select uid, namespace, key, sharing from datastore where uid = $1',
            [id ?? '']
        )
        const found = rows[0]
        if (!found) {
            await sendMessage(
                reply,
                404,
                `Object of type ${type} with ID ${id ?? ''} was not found.`
            )
            return undefined
        }
        return found
    }
    const names = async (ids: string[]): Promise<Map<string, string>> => {
        const { rows } = await db.query<{ id: string; name: string }>(
            `select id, concat_ws(' ', data->>'firstName', data->>'surname') as name from users where id = any($1)`,
            [ids]
        )
        return new Map(rows.map((r) => [r.id, r.name]))
    }

    app.get('/api/sharing', async (request, reply) => {
        const found = await target(request, reply)
        if (!found) return reply
        const { sharing } = found
        if (!canAccess(request.user, sharing, 'read'))
            return sendMessage(reply, 403, 'You do not have manage access to this object.')
        const userNames = await names([
            ...(sharing.owner ? [sharing.owner] : []),
            ...Object.keys(sharing.users),
        ])
        const isSuper = request.user?.authorities.includes('ALL') ?? false
        return sendJson(reply, {
            meta: { allowPublicAccess: true, allowExternalAccess: isSuper },
            object: {
                id: found.uid,
                name: found.key,
                displayName: found.key,
                publicAccess: sharing.public,
                externalAccess: sharing.external,
                user: sharing.owner
                    ? { id: sharing.owner, name: userNames.get(sharing.owner) ?? '' }
                    : {},
                userAccesses: Object.values(sharing.users).map((u) => ({
                    id: u.id,
                    name: userNames.get(u.id) ?? '',
                    displayName: userNames.get(u.id) ?? '',
                    access: u.access,
                })),
                userGroupAccesses: [],
            },
        })
    })

    const setSharing = async (request: FastifyRequest, reply: FastifyReply) => {
        const found = await target(request, reply)
        if (!found) return reply
        const { user } = request
        if (!canAccess(user, found.sharing, 'write'))
            return sendMessage(reply, 403, 'You do not have manage access to this object.')
        const object = ((request.body ?? {}) as { object?: Record<string, unknown> }).object ?? {}
        const publicAccess = object.publicAccess
        if (typeof publicAccess !== 'string' || !ACCESS_STRING.test(publicAccess))
            return sendMessage(reply, 409, `Invalid public access string: ${String(publicAccess)}`)
        const requested = Array.isArray(object.userAccesses)
            ? (object.userAccesses as { id?: unknown; access?: unknown }[])
            : []
        for (const grant of requested) {
            if (typeof grant.access !== 'string' || !ACCESS_STRING.test(grant.access))
                return sendMessage(
                    reply,
                    409,
                    `Invalid user access string: ${String(grant.access)}`
                )
        }
        // Datastore entries have no data sharing: DHIS2 blanks those two letters.
        const noData = (access: string) => `${access.slice(0, 2)}--${access.slice(4)}`
        const known = await names(requested.map((g) => String(g.id)))
        const sharing: Sharing = {
            owner: found.sharing.owner ?? user?.id ?? null,
            public: noData(publicAccess),
            // Only a user allowed to externalize may change it; others' requests are ignored.
            external: user?.authorities.includes('ALL')
                ? object.externalAccess === true
                : found.sharing.external,
            // DHIS2 drops grants to users (and groups) it does not know.
            users: Object.fromEntries(
                requested
                    .filter((g) => known.has(String(g.id)))
                    .map((g) => [
                        String(g.id),
                        { id: String(g.id), access: noData(String(g.access)) },
                    ])
            ),
            userGroups: {},
        }
        await db.query('update datastore set sharing = $2 where uid = $1', [
            found.uid,
            JSON.stringify(sharing),
        ])
        return sendMessage(reply, 200, 'Access control set')
    }
    app.post('/api/sharing', setSharing)
    app.put('/api/sharing', setSharing)
}
