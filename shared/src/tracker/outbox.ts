import { DATASTORE } from '../metadata/ids'
import type { Engine } from './api'
import { generateUid } from './uid'

/**
 * FHIR pushes that failed, kept in the DHIS2 datastore until they succeed. One key per push, so
 * two browsers never overwrite each other; entries are only ever removed after a successful
 * push. Pushes are conditional upserts (see shared/src/fhir), so a push that two browsers retry
 * at the same time changes nothing the second time.
 */
export interface OutboxEntry<P = unknown> {
    key: string
    kind: 'fhir-transaction'
    payload: P
    /** What the entry is about, for the pending-sync list (never shown raw to patients). */
    subject?: { trackedEntity?: string; label?: string }
    createdAt: string
    attempts: number
    nextAttemptAt: string
    lastError?: string
}

export interface BackoffPolicy {
    baseDelayMs: number
    maxDelayMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 30_000, maxDelayMs: 6 * 3600_000 }

/**
 * Exponential backoff with "equal jitter": half the delay fixed, half random, so browsers that
 * failed together do not retry in lockstep, yet a retry never comes sooner than half the step.
 */
export function backoffDelay(
    attempts: number,
    policy: BackoffPolicy = DEFAULT_BACKOFF,
    random: () => number = Math.random
): number {
    const exponent = Math.min(Math.max(attempts - 1, 0), 30)
    const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent)
    return Math.round(step / 2 + random() * (step / 2))
}

export interface OutboxOptions {
    namespace?: string
    backoff?: BackoffPolicy
    now?: () => number
    random?: () => number
}

export type Push<P> = (payload: P) => Promise<unknown>

export interface RetryReport {
    sent: number
    failed: number
    remaining: number
}

function statusOf(error: unknown): number | undefined {
    const details = (error as { details?: { httpStatusCode?: number } })?.details
    if (typeof details?.httpStatusCode === 'number') return details.httpStatusCode
    const match = /\((\d{3})\)\s*$/.exec((error as { message?: string })?.message ?? '')
    return match ? Number(match[1]) : undefined
}

function describe(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error)
    return text.slice(0, 500)
}

function isEntry(value: unknown): value is OutboxEntry {
    if (typeof value !== 'object' || value === null) return false
    const entry = value as Partial<OutboxEntry>
    return (
        typeof entry.key === 'string' &&
        entry.kind === 'fhir-transaction' &&
        typeof entry.attempts === 'number' &&
        typeof entry.nextAttemptAt === 'string'
    )
}

export class FhirOutbox<P = unknown> {
    readonly namespace: string
    private readonly backoff: BackoffPolicy
    private readonly now: () => number
    private readonly random: () => number

    constructor(
        private readonly engine: Engine,
        options: OutboxOptions = {}
    ) {
        this.namespace = options.namespace ?? DATASTORE.outboxNamespace
        this.backoff = options.backoff ?? DEFAULT_BACKOFF
        this.now = options.now ?? Date.now
        this.random = options.random ?? Math.random
    }

    private get resource(): string {
        return `dataStore/${this.namespace}`
    }

    /** Keeps a push that could not be sent; the first retry comes after one backoff step. */
    async enqueue(
        payload: P,
        options: { subject?: OutboxEntry['subject']; error?: unknown } = {}
    ): Promise<OutboxEntry<P>> {
        const now = this.now()
        // Time first so keys sort oldest first; the UID keeps two browsers' keys apart.
        const key = `fhir-${new Date(now).toISOString().replace(/[-:.]/g, '')}-${generateUid()}`
        const entry: OutboxEntry<P> = {
            key,
            kind: 'fhir-transaction',
            payload,
            createdAt: new Date(now).toISOString(),
            attempts: options.error === undefined ? 0 : 1,
            nextAttemptAt: new Date(
                now + (options.error === undefined ? 0 : backoffDelay(1, this.backoff, this.random))
            ).toISOString(),
            ...(options.subject ? { subject: options.subject } : {}),
            ...(options.error === undefined ? {} : { lastError: describe(options.error) }),
        }
        await this.engine.mutate({
            resource: `${this.resource}/${key}`,
            type: 'create',
            data: entry,
        })
        return entry
    }

    async keys(): Promise<string[]> {
        try {
            const result = await this.engine.query({ keys: { resource: this.resource } })
            return Array.isArray(result.keys)
                ? (result.keys as unknown[]).filter((k): k is string => typeof k === 'string')
                : []
        } catch (error) {
            // An empty namespace does not exist yet in DHIS2: 404 means nothing is pending.
            if (statusOf(error) === 404) return []
            throw error
        }
    }

    async list(): Promise<OutboxEntry<P>[]> {
        const keys = (await this.keys()).filter((key) => key.startsWith('fhir-')).sort()
        const entries = await Promise.all(
            keys.map(async (key) => {
                try {
                    const result = await this.engine.query({
                        entry: { resource: this.resource, id: key },
                    })
                    return isEntry(result.entry) ? (result.entry as OutboxEntry<P>) : null
                } catch (error) {
                    if (statusOf(error) === 404) return null // sent by another browser meanwhile
                    throw error
                }
            })
        )
        return entries.filter((entry): entry is OutboxEntry<P> => entry !== null)
    }

    /**
     * Sends every entry that is due (all of them with `force`). A success deletes the entry; a
     * failure keeps it with one more attempt and a later `nextAttemptAt`.
     */
    async retry(push: Push<P>, options: { force?: boolean } = {}): Promise<RetryReport> {
        const entries = await this.list()
        const report: RetryReport = { sent: 0, failed: 0, remaining: 0 }
        for (const entry of entries) {
            const due = options.force || Date.parse(entry.nextAttemptAt) <= this.now()
            if (!due) {
                report.remaining++
                continue
            }
            try {
                await push(entry.payload)
            } catch (error) {
                report.failed++
                report.remaining++
                await this.reschedule(entry, error)
                continue
            }
            report.sent++
            await this.remove(entry.key)
        }
        return report
    }

    private async reschedule(entry: OutboxEntry<P>, error: unknown): Promise<void> {
        const attempts = entry.attempts + 1
        const updated: OutboxEntry<P> = {
            ...entry,
            attempts,
            nextAttemptAt: new Date(
                this.now() + backoffDelay(attempts, this.backoff, this.random)
            ).toISOString(),
            lastError: describe(error),
        }
        try {
            await this.engine.mutate({
                resource: this.resource,
                id: entry.key,
                type: 'update',
                data: updated,
            })
        } catch (updateError) {
            // Gone means another browser delivered it; anything else keeps the old entry as is.
            if (statusOf(updateError) !== 404) throw updateError
        }
    }

    private async remove(key: string): Promise<void> {
        try {
            await this.engine.mutate({ resource: this.resource, id: key, type: 'delete' })
        } catch (error) {
            if (statusOf(error) !== 404) throw error
        }
    }
}

/**
 * The write path: push now; if that fails, keep it in the outbox and say so. Nothing entered is
 * lost when FHIR (or the route to it) is down.
 */
export async function pushOrQueue<P>(
    outbox: FhirOutbox<P>,
    push: Push<P>,
    payload: P,
    subject?: OutboxEntry['subject']
): Promise<{ kind: 'sent' } | { kind: 'queued'; entry: OutboxEntry<P> }> {
    try {
        await push(payload)
        return { kind: 'sent' }
    } catch (error) {
        const entry = await outbox.enqueue(payload, { error, ...(subject ? { subject } : {}) })
        return { kind: 'queued', entry }
    }
}
