import type { PhnConfig } from '@anc/shared/phn'
import { PhnCard } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { Button, NoticeBox } from '@dhis2/ui'
import React from 'react'
import { navigate } from '../common/routes'
import type { PersonValues } from './form'
import type { SaveOutcome } from './save'

export interface RegisteredViewProps {
    outcome: Extract<SaveOutcome, { kind: 'saved' }>
    person: PersonValues
    clinic: string | undefined
    phnConfig: PhnConfig
    today: string
    onRegisterAnother: () => void
}

/** After the save: where the record went, and her PHN card to print. */
export const RegisteredView = ({
    outcome,
    person,
    clinic,
    phnConfig,
    today,
    onRegisterAnother,
}: RegisteredViewProps) => (
    <div className="reg-page">
        <h2>{i18n.t('Registered')}</h2>
        {outcome.fhir === 'sent' ? (
            <NoticeBox title={i18n.t('Saved in DHIS2 and in the national record')}>
                {i18n.t('Give her the PHN card.')}
            </NoticeBox>
        ) : (
            <NoticeBox warning title={i18n.t('Saved in DHIS2; the national record will follow')}>
                {outcome.fhir === 'queued'
                    ? i18n.t(
                          'The national record could not be reached. The record is kept and will be sent automatically; you can also retry from the pending-sync button.'
                      )
                    : i18n.t(
                          'The national record could not be reached. Open her record and choose "Send to national record" to send it again.'
                      )}
            </NoticeBox>
        )}
        <PhnCard
            phn={outcome.phn}
            phnConfig={phnConfig}
            name={person.fullName}
            birthDate={person.birthDate}
            issuedOn={today}
            {...(clinic ? { issuedBy: clinic } : {})}
        />
        <div className="reg-actions">
            <Button
                onClick={() =>
                    navigate({ page: 'record', trackedEntity: outcome.trackedEntity.trackedEntity })
                }
            >
                {i18n.t('Open her record')}
            </Button>
            <Button primary onClick={onRegisterAnother}>
                {i18n.t('Register another woman')}
            </Button>
        </div>
    </div>
)
