import { CustomDataProvider } from '@dhis2/app-runtime'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import React from 'react'
import { PendingSyncIndicator } from '../ui/PendingSyncIndicator'
import { useFhirOutbox } from './hooks'
import type { OutboxEntry } from './outbox'

/** The outbox namespace as CustomDataProvider serves it: one resource, keyed by `id`. */
function datastore(entries: OutboxEntry[]) {
    const store = new Map(entries.map((entry) => [entry.key, entry]))
    const resource = async (type: string, query: { id?: string; data?: unknown }) => {
        if (type === 'read' && query.id === undefined) return [...store.keys()]
        if (type === 'read') return store.get(query.id as string)
        if (type === 'replace' || type === 'update') {
            store.set(query.id as string, query.data as OutboxEntry)
            return {}
        }
        if (type === 'delete') {
            store.delete(query.id as string)
            return {}
        }
        throw new Error(`unexpected ${type}`)
    }
    return { store, data: { 'dataStore/anc-outbox': resource } }
}

const ENTRY: OutboxEntry = {
    key: 'fhir-20261120T080000000Z-abcdefghij1',
    kind: 'fhir-transaction',
    payload: { resourceType: 'Bundle' },
    createdAt: '2026-11-20T08:00:00.000Z',
    attempts: 1,
    nextAttemptAt: '2099-01-01T00:00:00.000Z',
}

function Indicator({ push }: { push: (payload: unknown) => Promise<unknown> }) {
    const outbox = useFhirOutbox(push, { intervalMs: 60_000 })
    return (
        <PendingSyncIndicator
            count={outbox.count}
            retrying={outbox.retrying}
            onRetry={outbox.retryNow}
        />
    )
}

function renderWith(data: Record<string, unknown>, push: (payload: unknown) => Promise<unknown>) {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    const view = render(
        <CustomDataProvider data={data as never}>
            <QueryClientProvider client={client}>
                <Indicator push={push} />
            </QueryClientProvider>
        </CustomDataProvider>
    )
    return { ...view, client }
}

describe('useFhirOutbox with PendingSyncIndicator', () => {
    it('keeps a push that fails again and shows it; removes it once it succeeds', async () => {
        const { store, data } = datastore([ENTRY])
        const push = jest.fn().mockRejectedValue(new Error('502 from route'))
        const { client, unmount } = renderWith(data, push)

        await screen.findByText('1 record waiting to reach the national record')
        await userEvent.click(screen.getByRole('button', { name: 'Retry now' }))
        await waitFor(() => expect(push).toHaveBeenCalledTimes(1))
        await waitFor(() => expect(store.get(ENTRY.key)?.attempts).toBe(2))
        expect(store.get(ENTRY.key)?.lastError).toBe('502 from route')
        expect(screen.getByRole('status')).toHaveTextContent('1 record waiting')

        push.mockResolvedValue({})
        await userEvent.click(await screen.findByRole('button', { name: 'Retry now' }))
        await screen.findByText('All records are in the national record')
        expect(push).toHaveBeenLastCalledWith(ENTRY.payload)
        expect(store.size).toBe(0)
        act(() => unmount())
        client.clear()
    })
})
