import i18n from '@dhis2/d2-i18n'
import { Button } from '@dhis2/ui'
import React, { useEffect } from 'react'
import { loadRecordPage, loadRegisterPage } from '../common/lazy-pages'
import { navigate } from '../common/routes'
import { whenIdle } from '../common/services'
import { RecentRegistrations } from './RecentRegistrations'
import { FindByNameForm, FindByPhnForm } from './SearchForms'
import { SearchOutcome } from './SearchOutcome'
import { useRecordSearch } from './useRecordSearch'

/** Find first: an existing record is opened rather than re-entered. */
export const FindPage = () => {
    const search = useRecordSearch()
    // The next steps (register her, open her record) are ready before she clicks.
    useEffect(
        () =>
            whenIdle(() => {
                void loadRegisterPage()
                void loadRecordPage()
            }),
        []
    )
    return (
        <div className="reg-page">
            <h2>{i18n.t('Find her record first')}</h2>
            <p>
                {i18n.t(
                    'Search before registering, so an existing record is opened rather than entered again.'
                )}
            </p>
            <div className="reg-find">
                <FindByPhnForm onSearch={search.byPhn} />
                <div>
                    <p>{i18n.t('Or let her confirm who she is with her national ID:')}</p>
                    <Button onClick={search.byIdentity} disabled={!search.identityReady}>
                        {i18n.t('Find with National ID')}
                    </Button>
                </div>
                <FindByNameForm onSearch={search.byNameAndBirthDate} />
            </div>
            <SearchOutcome state={search.state} />
            <div className="reg-actions">
                <Button
                    primary
                    onClick={() => navigate({ page: 'register' })}
                    dataTest="new-registration"
                >
                    {i18n.t('New registration')}
                </Button>
            </div>
            <RecentRegistrations />
        </div>
    )
}
