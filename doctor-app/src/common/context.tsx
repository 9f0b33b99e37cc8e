import { AncFhirClient, todayIn } from '@anc/shared'
import { useConfig } from '@dhis2/app-runtime'
import React, { createContext, useContext, useMemo, type ReactNode } from 'react'
import type { FhirTransport } from '../record/open-record'

interface DoctorContextValue {
    fhir: FhirTransport
    /** Today in the browser's time zone (YYYY-MM-DD); fixed in tests. */
    today: () => string
}

const DoctorContext = createContext<DoctorContextValue | null>(null)

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
            fhir: fhir ?? new AncFhirClient({ dhis2BaseUrl: baseUrl }),
            today: today ?? (() => todayIn()),
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
