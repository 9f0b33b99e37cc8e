import { clinicToday } from '@anc/shared/anc'
import { useConfig } from '@dhis2/app-runtime'
import React, { createContext, useContext, useMemo, type ReactNode } from 'react'
import type { FhirTransport } from '../record/open-record'

interface DoctorContextValue {
    fhir: FhirTransport
    /** Today in the clinics' time zone (YYYY-MM-DD); fixed in tests. */
    today: () => string
}

const DoctorContext = createContext<DoctorContextValue | null>(null)

/**
 * The FHIR client through the DHIS2 route, loaded on its first request: the find page never needs
 * it, so it stays out of the first screen's JavaScript. A failed load is retried on the next call.
 */
export function lazyRouteClient(dhis2BaseUrl: string): FhirTransport {
    let client: Promise<FhirTransport> | undefined
    return {
        transaction: async (bundle) => {
            client ??= import('@anc/shared/fhir/client').then(
                ({ AncFhirClient }) => new AncFhirClient({ dhis2BaseUrl }),
                (error: unknown) => {
                    client = undefined
                    throw error
                }
            )
            return (await client).transaction(bundle)
        },
    }
}

/** The FHIR client through the DHIS2 route, for the app; tests pass their own transport. */
export const DoctorProvider = ({
    children,
    fhir,
    today,
}: {
    children: ReactNode
    fhir?: FhirTransport
    today?: () => string
}) => {
    const { baseUrl } = useConfig()
    const value = useMemo<DoctorContextValue>(
        () => ({
            fhir: fhir ?? lazyRouteClient(baseUrl),
            today: today ?? (() => clinicToday()),
        }),
        [baseUrl, fhir, today]
    )
    return <DoctorContext.Provider value={value}>{children}</DoctorContext.Provider>
}

export function useDoctor(): DoctorContextValue {
    const value = useContext(DoctorContext)
    if (!value) throw new Error('useDoctor outside DoctorProvider')
    return value
}
