import i18n from '@dhis2/d2-i18n'
import { IconCheckmarkCircle16, IconInfo16, Tag } from '@dhis2/ui'
import React from 'react'

export interface VerifiedBadgeProps {
    verified: boolean
    /** ISO date-time of the eSignet verification, shown as the tag's description. */
    verifiedAt?: string
}

/** "Verified with national ID" or "Not verified": what the record's demographics rest on. */
export const VerifiedBadge = ({ verified, verifiedAt }: VerifiedBadgeProps) => {
    const label = verified ? i18n.t('Verified with national ID') : i18n.t('Not verified')
    const when =
        verified && verifiedAt
            ? i18n.t('Verified on {{date}}', { date: verifiedAt.slice(0, 10) })
            : undefined
    return (
        <span role="status" aria-label={when ? `${label}. ${when}` : label} title={when}>
            <Tag
                positive={verified}
                neutral={!verified}
                icon={verified ? <IconCheckmarkCircle16 /> : <IconInfo16 />}
                dataTest={verified ? 'verified-badge' : 'unverified-badge'}
            >
                {label}
            </Tag>
        </span>
    )
}
