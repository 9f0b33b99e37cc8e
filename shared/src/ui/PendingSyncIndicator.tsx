import i18n from '@dhis2/d2-i18n'
import { Button, IconCheckmarkCircle16, IconSync16, Tag } from '@dhis2/ui'
import React from 'react'

export interface PendingSyncIndicatorProps {
    /** Pushes waiting in the outbox (useFhirOutbox().count). */
    count: number
    retrying?: boolean
    onRetry: () => void
}

/** Tag's 240 px default cut the English sentence, and Sinhala and Tamil run longer. */
const TAG_WIDTH = 'none'

/** Tells the user that saved records have not reached the national record yet, and lets her retry. */
export const PendingSyncIndicator = ({
    count,
    retrying = false,
    onRetry,
}: PendingSyncIndicatorProps) => (
    <div role="status" aria-live="polite" className="anc-pending-sync">
        {count === 0 ? (
            <Tag positive icon={<IconCheckmarkCircle16 />} maxWidth={TAG_WIDTH}>
                {i18n.t('All records are in the national record')}
            </Tag>
        ) : (
            <>
                <Tag neutral icon={<IconSync16 />} maxWidth={TAG_WIDTH}>
                    {count === 1
                        ? i18n.t('1 record waiting to reach the national record')
                        : i18n.t('{{count}} records waiting to reach the national record', {
                              count,
                          })}
                </Tag>
                <Button small onClick={onRetry} loading={retrying} disabled={retrying}>
                    {retrying ? i18n.t('Sending…') : i18n.t('Retry now')}
                </Button>
            </>
        )}
        <style>{`.anc-pending-sync { display: inline-flex; gap: 8px; align-items: center; }`}</style>
    </div>
)
