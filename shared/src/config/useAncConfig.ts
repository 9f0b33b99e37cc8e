import type { DataEngine } from '@dhis2/data-engine'
import { useDataEngine } from '@dhis2/app-runtime'
import { useQuery } from '@tanstack/react-query'
import { createContext, useContext } from 'react'
import {
    ALL_ANC_CONFIG_PARTS,
    readAncConfig,
    type AncConfig,
    type AncConfigPart,
} from './anc-config'

export const ancConfigQueryKey = ['anc-config'] as const

/**
 * The operator's configuration from the DHIS2 datastore, read once per session in practice: it
 * changes rarely, and a change mid-visit could split one save across two formats.
 */
export function useAncConfig(parts: readonly AncConfigPart[] = ALL_ANC_CONFIG_PARTS) {
    // app-runtime types its engine separately from @dhis2/data-engine; the object is the same.
    const engine = useDataEngine() as unknown as Pick<DataEngine, 'query'>
    return useQuery({
        queryKey: [...ancConfigQueryKey, ...parts],
        queryFn: ({ signal }) => readAncConfig(engine, signal, parts),
        staleTime: 60 * 60_000,
    })
}

/** Filled by AncConfigProvider once the configuration is loaded. */
export const AncConfigContext = createContext<AncConfig | null>(null)

/** The loaded configuration; only below AncConfigProvider, which renders nothing else before. */
export function useLoadedAncConfig(): AncConfig {
    const config = useContext(AncConfigContext)
    if (!config) throw new Error('useLoadedAncConfig needs an AncConfigProvider above it')
    return config
}
