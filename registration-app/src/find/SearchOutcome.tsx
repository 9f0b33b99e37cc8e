import { ErrorState } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'
import { Button, CircularLoader, NoticeBox } from '@dhis2/ui'
import React from 'react'
import { navigate } from '../common/routes'
import { handOverVerifiedIdentity } from '../register/verified-handoff'
import { ResultList } from './ResultList'
import type { SearchState } from './useRecordSearch'

/** What a search found; nobody found: "Register her", with the identity she just verified. */
export const SearchOutcome = ({ state }: { state: SearchState }) => (
    <div aria-live="polite">
        {state.kind === 'searching' ? (
            <div role="status" className="reg-searching">
                <CircularLoader small /> {i18n.t('Searching…')}
            </div>
        ) : null}
        {state.kind === 'failed' ? <ErrorState message={state.message} /> : null}
        {state.kind === 'done' && state.results.length === 0 ? (
            <NoticeBox title={i18n.t('No record found')}>
                <p>{i18n.t('She is not registered yet.')}</p>
                {state.verified ? (
                    <p>
                        {i18n.t(
                            'The details she just verified with her national ID fill the form: she does not need to verify again.'
                        )}
                    </p>
                ) : null}
                <Button
                    primary
                    onClick={() => {
                        if (state.verified) handOverVerifiedIdentity(state.verified)
                        navigate({ page: 'register' })
                    }}
                >
                    {i18n.t('Register her')}
                </Button>
            </NoticeBox>
        ) : null}
        {state.kind === 'done' && state.results.length > 0 ? (
            <ResultList results={state.results} />
        ) : null}
    </div>
)
