import { DATASTORE } from '../metadata/ids'
import { FhirOutbox, backoffDelay, pushOrQueue } from './outbox'
import { datastoreEngine } from '../../test-support/data-engine'

const BUNDLE = { resourceType: 'Bundle', type: 'transaction', entry: [] }
const T0 = Date.parse('2026-11-20T08:00:00Z')

function setup() {
    let now = T0
    const ds = datastoreEngine(DATASTORE.outboxNamespace)
    const outbox = new FhirOutbox(ds.engine, {
        now: () => now,
        random: () => 1,
        backoff: { baseDelayMs: 1000, maxDelayMs: 60_000 },
    })
    return { ...ds, outbox, advance: (ms: number) => (now += ms) }
}

describe('FhirOutbox', () => {
    it('keeps a failed push in the datastore and retries it until it succeeds', async () => {
        const { outbox, store, requests, advance } = setup()
        const push = jest.fn().mockRejectedValue(new Error('FHIR route answered 502'))

        const queued = await pushOrQueue(outbox, push, BUNDLE, { trackedEntity: 'teAAAAAAAA1' })
        expect(queued.kind).toBe('queued')
        expect(store.size).toBe(1)
        const created = requests.find((r) => r.type === 'create')
        expect(created?.resource).toMatch(
            /^dataStore\/anc-outbox\/fhir-\d{8}T\d{9}Z-[A-Za-z][A-Za-z0-9]{10}$/
        )

        // Not due yet: nothing is sent.
        expect(await outbox.retry(push)).toEqual({ sent: 0, failed: 0, remaining: 1 })
        expect(push).toHaveBeenCalledTimes(1)

        // Due, still failing: kept, one more attempt, pushed further out.
        advance(1000)
        expect(await outbox.retry(push)).toEqual({ sent: 0, failed: 1, remaining: 1 })
        const [entry] = await outbox.list()
        expect(entry).toMatchObject({
            attempts: 2,
            lastError: 'FHIR route answered 502',
            payload: BUNDLE,
        })
        expect(Date.parse(entry?.nextAttemptAt ?? '')).toBe(T0 + 1000 + 2000)

        // FHIR is back: sent and removed.
        push.mockResolvedValue({})
        advance(2000)
        expect(await outbox.retry(push)).toEqual({ sent: 1, failed: 0, remaining: 0 })
        expect(push).toHaveBeenLastCalledWith(BUNDLE)
        expect(store.size).toBe(0)
        expect(await outbox.list()).toEqual([])
    })

    it('sends everything at once on retry-now, whatever the backoff says', async () => {
        const { outbox, store } = setup()
        await outbox.enqueue(BUNDLE, { error: new Error('down') })
        await outbox.enqueue({ ...BUNDLE, id: 2 }, { error: new Error('down') })
        const push = jest.fn().mockResolvedValue({})
        expect(await outbox.retry(push, { force: true })).toEqual({
            sent: 2,
            failed: 0,
            remaining: 0,
        })
        expect(store.size).toBe(0)
    })

    it('gives each browser its own key, so two queues never overwrite each other', async () => {
        const { engine, store } = datastoreEngine(DATASTORE.outboxNamespace)
        const fixedNow = () => T0
        const first = new FhirOutbox(engine, { now: fixedNow })
        const second = new FhirOutbox(engine, { now: fixedNow })
        await Promise.all([first.enqueue({ from: 'a' }), second.enqueue({ from: 'b' })])
        expect(store.size).toBe(2)
        expect((await first.list()).map((e) => e.payload)).toEqual(
            expect.arrayContaining([{ from: 'a' }, { from: 'b' }])
        )
    })

    it('treats an entry another browser already delivered as done', async () => {
        const { outbox, store } = setup()
        const entry = await outbox.enqueue(BUNDLE)
        const push = jest.fn(async () => {
            store.delete(entry.key) // the other browser finished first
        })
        await expect(outbox.retry(push)).resolves.toEqual({ sent: 1, failed: 0, remaining: 0 })
    })

    it('reads an absent namespace as an empty outbox', async () => {
        const { outbox } = setup()
        await expect(outbox.list()).resolves.toEqual([])
    })

    it('sends straight away when the push works', async () => {
        const { outbox, store } = setup()
        await expect(pushOrQueue(outbox, async () => ({}), BUNDLE)).resolves.toEqual({
            kind: 'sent',
        })
        expect(store.size).toBe(0)
    })
})

describe('backoffDelay', () => {
    const policy = { baseDelayMs: 30_000, maxDelayMs: 3_600_000 }
    it('doubles per attempt within half-jitter bounds and stops at the cap', () => {
        expect(backoffDelay(1, policy, () => 0)).toBe(15_000)
        expect(backoffDelay(1, policy, () => 1)).toBe(30_000)
        expect(backoffDelay(3, policy, () => 1)).toBe(120_000)
        expect(backoffDelay(3, policy, () => 0)).toBe(60_000)
        expect(backoffDelay(50, policy, () => 1)).toBe(3_600_000)
    })
})
