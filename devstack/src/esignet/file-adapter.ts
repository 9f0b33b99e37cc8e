import type { Adapter, AdapterPayload } from 'oidc-provider'
import type { FileStore } from './file-store'

/** Models whose records hang off a grant and must go when the grant is revoked. */
const GRANTABLE = new Set([
    'AccessToken',
    'AuthorizationCode',
    'RefreshToken',
    'DeviceCode',
    'BackchannelAuthenticationRequest',
])

/**
 * oidc-provider's storage adapter interface over the durable {@link FileStore}. Every method
 * that changes state resolves only once the change is on disk. Secondary lookups (session by
 * uid, records by grant) are scans: the stand-in holds at most a few thousand live records.
 */
export function fileAdapterFactory(store: FileStore): (model: string) => Adapter {
    return (model: string): Adapter => {
        const key = (id: string): string => `${model}:${id}`
        const findBy = (field: string, value: string): AdapterPayload | undefined => {
            for (const storeKey of store.keysWithPrefix(`${model}:`)) {
                const payload = store.get(storeKey) as AdapterPayload | undefined
                if (payload && (payload as Record<string, unknown>)[field] === value) {
                    return payload
                }
            }
            return undefined
        }
        return {
            async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
                await store.set(key(id), payload as Record<string, unknown>, expiresIn)
            },
            async find(id: string): Promise<AdapterPayload | undefined> {
                // Statically configured clients come from the configuration, never from storage.
                if (model === 'Client') {
                    return undefined
                }
                return store.get(key(id)) as AdapterPayload | undefined
            },
            async findByUid(uid: string): Promise<AdapterPayload | undefined> {
                return findBy('uid', uid)
            },
            async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
                return findBy('userCode', userCode)
            },
            async consume(id: string): Promise<void> {
                const payload = store.get(key(id))
                if (!payload) {
                    return
                }
                // Keep the remaining lifetime: re-derive it from the stored `exp` (seconds).
                const exp = typeof payload.exp === 'number' ? payload.exp : undefined
                const expiresIn =
                    exp === undefined ? undefined : Math.max(exp - Math.floor(Date.now() / 1000), 1)
                await store.set(
                    key(id),
                    { ...payload, consumed: Math.floor(Date.now() / 1000) },
                    expiresIn
                )
            },
            async destroy(id: string): Promise<void> {
                await store.delete(key(id))
            },
            async revokeByGrantId(grantId: string): Promise<void> {
                const doomed: string[] = []
                for (const name of GRANTABLE) {
                    for (const storeKey of store.keysWithPrefix(`${name}:`)) {
                        if (store.get(storeKey)?.grantId === grantId) {
                            doomed.push(storeKey)
                        }
                    }
                }
                await Promise.all(doomed.map((storeKey) => store.delete(storeKey)))
            },
        }
    }
}
