import { useLoadedAncConfig } from '@anc/shared/config/react'
import i18n from '@dhis2/d2-i18n'
import { Button, NoticeBox } from '@dhis2/ui'
import { PersonFacts } from './PersonFacts'
import React from 'react'
import { isCertainDuplicate, type DuplicateCandidate } from '../register/duplicates'
import { personValue } from './person'

const reasonText = (reason: string): string => {
    switch (reason) {
        case 'sameIdentity':
            return i18n.t('same national ID verification')
        case 'sameNic':
            return i18n.t('same NIC')
        default:
            return i18n.t('similar name, same date of birth and phone')
    }
}

export interface DuplicatePanelProps {
    candidates: DuplicateCandidate[]
    onOpen: (trackedEntity: string) => void
    /** Only offered when no candidate is certainly the same person. */
    onRegisterAnyway?: () => void
    acknowledged?: boolean
}

/** Existing records of (probably) the same woman: open one instead of registering her twice. */
export const DuplicatePanel = ({
    candidates,
    onOpen,
    onRegisterAnyway,
    acknowledged,
}: DuplicatePanelProps) => {
    const { claims } = useLoadedAncConfig()
    const certain = candidates.some(isCertainDuplicate)
    return (
        <div role="alert" data-test="duplicate-panel">
            <NoticeBox
                error={certain}
                warning={!certain}
                title={
                    certain
                        ? i18n.t('She is already registered')
                        : i18n.t('She may already be registered')
                }
            >
                <p>
                    {certain
                        ? i18n.t('Open her existing record instead of registering her again.')
                        : i18n.t('Check these records before registering a new one.')}
                </p>
                <ul className="reg-duplicates">
                    {candidates.map((candidate) => {
                        const te = candidate.trackedEntity
                        return (
                            <li key={te.trackedEntity}>
                                <strong>{personValue(te, claims, 'fullName') ?? '—'}</strong>{' '}
                                <PersonFacts te={te} />{' '}
                                <em>({candidate.reasons.map(reasonText).join(', ')})</em>{' '}
                                <Button
                                    small
                                    primary
                                    onClick={() => onOpen(te.trackedEntity)}
                                    dataTest="open-existing"
                                >
                                    {i18n.t('Open this record')}
                                </Button>
                            </li>
                        )
                    })}
                </ul>
                {!certain && onRegisterAnyway && !acknowledged ? (
                    <Button small onClick={onRegisterAnyway}>
                        {i18n.t('She is a different person: register her')}
                    </Button>
                ) : null}
            </NoticeBox>
        </div>
    )
}
