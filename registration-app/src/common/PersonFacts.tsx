import { useLoadedAncConfig } from '@anc/shared/config/react'
import { ATTRIBUTES } from '@anc/shared/metadata'
import { formatPhnForDisplay } from '@anc/shared/phn'
import type { TrackedEntity } from '@anc/shared/tracker'
import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { attributeValue, personValue } from './person'

/** Date of birth and PHN (in the operator's grouping): what tells two women apart in a list. */
export const PersonFacts = ({ te }: { te: TrackedEntity }) => {
    const { phn: phnConfig, claims } = useLoadedAncConfig()
    const phn = attributeValue(te, ATTRIBUTES.phn)
    return (
        <>
            <span>
                {i18n.t('born {{date}}', {
                    date: personValue(te, claims, 'birthDate') ?? '—',
                })}
            </span>
            {phn ? (
                <>
                    {' '}
                    <span>
                        {i18n.t('PHN {{phn}}', { phn: formatPhnForDisplay(phn, phnConfig) })}
                    </span>
                </>
            ) : null}
        </>
    )
}
