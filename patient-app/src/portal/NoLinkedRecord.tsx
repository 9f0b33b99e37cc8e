import i18n from '@dhis2/d2-i18n'
import { Button, NoticeBox } from '@dhis2/ui'
import React from 'react'

/** Verified, but no record carries her eSignet subject: say what to do. */
export const NoLinkedRecord = ({
    onSignOut,
    signingOut,
}: {
    onSignOut: () => void
    signingOut: boolean
}) => (
    <div className="anc-card" role="alert">
        <NoticeBox title={i18n.t('No pregnancy record is linked to your national ID yet')}>
            <p>
                {i18n.t(
                    'Your national ID was verified, but we could not find a pregnancy record for you.'
                )}
            </p>
            <p>
                {i18n.t(
                    'Ask your midwife (PHM) to register you with your national ID, or to link your existing record to it. Then sign in here again.'
                )}
            </p>
        </NoticeBox>
        <div className="anc-actions">
            <Button large onClick={onSignOut} loading={signingOut} disabled={signingOut}>
                {i18n.t('Sign out')}
            </Button>
        </div>
    </div>
)
