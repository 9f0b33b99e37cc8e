import { useDataEngine } from '@dhis2/app-runtime'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { getTrackedEntity, type Engine } from './api'
import { FhirOutbox, type OutboxOptions, type Push, type RetryReport } from './outbox'

/** app-runtime's engine, typed down to what these hooks use. */
export function useTrackerEngine(): Engine {
    return useDataEngine() as unknown as Engine
}

export const trackerKeys = {
    all: ['tracker'] as const,
    trackedEntity: (uid: string, program?: string) =>
        ['tracker', 'trackedEntity', uid, program ?? null] as const,
    outbox: (namespace: string) => ['anc-outbox', namespace] as const,
}

export function useTrackedEntity(uid: string | null | undefined, program?: string) {
    const engine = useTrackerEngine()
    return useQuery({
        queryKey: trackerKeys.trackedEntity(uid ?? '', program),
        queryFn: ({ signal }) =>
            getTrackedEntity(engine, uid as string, { signal, ...(program ? { program } : {}) }),
        enabled: Boolean(uid),
    })
}

export interface FhirOutboxState {
    /** Pushes still waiting (0 when everything reached the FHIR record). */
    count: number
    loading: boolean
    retrying: boolean
    /** The last failure of a retry, or of reading the outbox. */
    error: unknown
    lastReport: RetryReport | null
    /** Sends every pending push now, ignoring the backoff. */
    retryNow: () => Promise<void>
}

/**
 * The outbox as the UI sees it: count, retry-now, and a background retry of due entries every
 * `intervalMs` while the app is open.
 */
export function useFhirOutbox<P>(
    push: Push<P>,
    options: OutboxOptions & { intervalMs?: number } = {}
): FhirOutboxState {
    const engine = useTrackerEngine()
    const queryClient = useQueryClient()
    const { intervalMs = 60_000, ...outboxOptions } = options
    const outbox = useMemo(
        () => new FhirOutbox<P>(engine, outboxOptions),
        // eslint-disable-next-line react-hooks/exhaustive-deps
        [engine, outboxOptions.namespace]
    )
    const queryKey = trackerKeys.outbox(outbox.namespace)
    const list = useQuery({ queryKey, queryFn: () => outbox.list(), refetchInterval: intervalMs })
    const [retrying, setRetrying] = useState(false)
    const [retryError, setRetryError] = useState<unknown>(null)
    const [lastReport, setLastReport] = useState<RetryReport | null>(null)
    const inFlight = useRef(false)
    const pushRef = useRef(push)
    pushRef.current = push

    const run = useCallback(
        async (force: boolean) => {
            if (inFlight.current) return
            inFlight.current = true
            setRetrying(true)
            try {
                setLastReport(await outbox.retry((payload) => pushRef.current(payload), { force }))
                setRetryError(null)
            } catch (error) {
                setRetryError(error)
            } finally {
                inFlight.current = false
                setRetrying(false)
                await queryClient.invalidateQueries({ queryKey })
            }
        },
        // eslint-disable-next-line react-hooks/exhaustive-deps
        [outbox, queryClient]
    )

    useEffect(() => {
        const timer = setInterval(() => void run(false), intervalMs)
        return () => clearInterval(timer)
    }, [run, intervalMs])

    return {
        count: list.data?.length ?? 0,
        loading: list.isLoading,
        retrying,
        error: retryError ?? list.error,
        lastReport,
        retryNow: () => run(true),
    }
}
