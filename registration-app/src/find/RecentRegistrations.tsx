import { EmptyState, ErrorState } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { CircularLoader } from '@dhis2/ui'
import React from 'react'
import { useMyClinics, useRecentRegistrations } from '../common/queries'
import { ResultList } from './ResultList'

/** The latest registrations of her clinics. */
export const RecentRegistrations = () => {
    const clinics = useMyClinics()
    const clinic = clinics.data?.length === 1 ? clinics.data[0] : undefined
    const recent = useRecentRegistrations(clinics.data?.map((c) => c.id) ?? [])
    return (
        <section aria-labelledby="recent-heading">
            <h2 id="recent-heading">
                {clinic
                    ? i18n.t('Recent registrations at {{clinic}}', { clinic: clinic.name })
                    : i18n.t('Recent registrations')}
            </h2>
            {recent.isLoading ? <CircularLoader small /> : null}
            {recent.isError ? (
                <ErrorState
                    message={i18n.t('Recent registrations could not be loaded.')}
                    onRetry={() => void recent.refetch()}
                />
            ) : null}
            {recent.data && recent.data.length === 0 ? (
                <EmptyState title={i18n.t('No registrations yet')} />
            ) : null}
            {recent.data && recent.data.length > 0 ? <ResultList results={recent.data} /> : null}
        </section>
    )
}
