/**
 * Recently opened patients, in this browser's localStorage (the DHIS2 stand-in has no
 * userDataStore). Only the PHN and the name are kept, per DHIS2 user, at most RECENT_LIMIT.
 */
export interface RecentPatient {
    phn: string
    name: string
    openedAt: string
}

export const RECENT_LIMIT = 8

function key(userId: string): string {
    return `anc-doctor:recent:${userId}`
}

export function readRecent(userId: string, storage: Storage = localStorage): RecentPatient[] {
    try {
        const parsed: unknown = JSON.parse(storage.getItem(key(userId)) ?? '[]')
        if (!Array.isArray(parsed)) return []
        return parsed.filter(
            (p): p is RecentPatient =>
                typeof p?.phn === 'string' &&
                typeof p?.name === 'string' &&
                typeof p?.openedAt === 'string'
        )
    } catch {
        return []
    }
}

export function rememberRecent(
    userId: string,
    patient: Omit<RecentPatient, 'openedAt'>,
    now: Date = new Date(),
    storage: Storage = localStorage
): RecentPatient[] {
    const list = [
        { ...patient, openedAt: now.toISOString() },
        ...readRecent(userId, storage).filter((p) => p.phn !== patient.phn),
    ].slice(0, RECENT_LIMIT)
    try {
        storage.setItem(key(userId), JSON.stringify(list))
    } catch {
        // Storage full or disabled: the list is a convenience, opening the record still works.
    }
    return list
}

export function clearRecent(userId: string, storage: Storage = localStorage): void {
    storage.removeItem(key(userId))
}
