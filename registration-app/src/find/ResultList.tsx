import { useLoadedAncConfig } from '@anc/shared/config/react'
import type { TrackedEntity } from '@anc/shared/tracker'
import React from 'react'
import { PersonFacts } from '../common/PersonFacts'
import { displayName } from '../common/queries'

/** Records as links: her name, date of birth and PHN, enough to tell two women apart. */
export const ResultList = ({ results }: { results: TrackedEntity[] }) => {
    const { claims } = useLoadedAncConfig()
    return (
        <ul className="reg-results">
            {results.map((te) => (
                <li key={te.trackedEntity}>
                    <a href={`#/record/${te.trackedEntity}`}>{displayName(te, claims)}</a>{' '}
                    <PersonFacts te={te} />
                </li>
            ))}
        </ul>
    )
}
