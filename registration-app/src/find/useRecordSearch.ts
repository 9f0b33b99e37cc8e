import { requiredAttribute } from '@anc/shared/claims'
import { useLoadedAncConfig } from '@anc/shared/config/react'
import { isFailure, type VerifiedIdentity } from '@anc/shared/esignet'
import { useLanguage } from '@anc/shared/i18n'
import { ATTRIBUTES, PROGRAM_ANC } from '@anc/shared/metadata'
import {
    searchTrackedEntities,
    type AttributeFilter,
    type TrackedEntity,
} from '@anc/shared/tracker'
import { useTrackerEngine } from '@anc/shared/tracker/react'
import i18n from '@dhis2/d2-i18n'
import { useState } from 'react'
import { useRelayConfig } from '../common/queries'
import { navigate } from '../common/routes'
import { useServices, useSigninReady } from '../common/services'

export type SearchState =
    | { kind: 'idle' }
    | { kind: 'searching' }
    | {
          kind: 'done'
          results: TrackedEntity[]
          /** Found by national ID: whom she verified as, for the form if nobody was found. */
          verified?: VerifiedIdentity
      }
    | { kind: 'failed'; message: string }

export interface RecordSearch {
    state: SearchState
    byPhn: (phn: string) => void
    byNameAndBirthDate: (name: string, birthDate: string) => void
    /** Must run inside the click (the eSignet popup); possible once `identityReady`. */
    byIdentity: () => void
    identityReady: boolean
}

/**
 * The three ways to find her record: PHN, her national ID (eSignet, then her verified `sub`),
 * or name and date of birth. One match by PHN or identity opens the record at once; a name
 * search always lists, since two women can share a name and a birthday.
 */
export function useRecordSearch(): RecordSearch {
    const engine = useTrackerEngine()
    const services = useServices()
    const { claims } = useLoadedAncConfig()
    const [language] = useLanguage()
    const relayConfig = useRelayConfig()
    const signinReady = useSigninReady('idle')
    const [state, setState] = useState<SearchState>({ kind: 'idle' })

    const run = async (
        filters: AttributeFilter[],
        openSingle: boolean,
        verified?: VerifiedIdentity
    ) => {
        setState({ kind: 'searching' })
        try {
            const page = await searchTrackedEntities(engine, {
                program: PROGRAM_ANC,
                orgUnitMode: 'ACCESSIBLE',
                filters,
                pageSize: 20,
            })
            const results = page.trackedEntities
            if (results.length === 1 && openSingle && results[0]) {
                navigate({ page: 'record', trackedEntity: results[0].trackedEntity })
                return
            }
            setState({ kind: 'done', results, ...(verified ? { verified } : {}) })
        } catch {
            setState({
                kind: 'failed',
                message: i18n.t(
                    'The search could not be completed. Check the connection and try again.'
                ),
            })
        }
    }

    return {
        state,
        byPhn: (phn) => void run([{ attribute: ATTRIBUTES.phn, value: phn }], true),
        byNameAndBirthDate: (name, birthDate) =>
            void run(
                [
                    { attribute: requiredAttribute(claims, 'birthDate'), value: birthDate },
                    {
                        attribute: requiredAttribute(claims, 'fullName'),
                        operator: 'like',
                        value: name,
                    },
                ],
                false
            ),
        byIdentity: () => {
            if (!relayConfig.data) return
            setState({ kind: 'searching' })
            services
                .verifyIdentity(relayConfig.data, language)
                .then((outcome) => {
                    if (isFailure(outcome)) {
                        setState({ kind: 'failed', message: outcome.message })
                        return
                    }
                    if (outcome.kind !== 'verified') return
                    void run(
                        [{ attribute: requiredAttribute(claims, 'sub'), value: outcome.sub }],
                        true,
                        outcome
                    )
                })
                .catch(() =>
                    setState({
                        kind: 'failed',
                        message: i18n.t('The verification service cannot be reached right now.'),
                    })
                )
        },
        identityReady: Boolean(relayConfig.data) && signinReady,
    }
}
