import i18n from '@dhis2/d2-i18n'
import { CircularLoader, NoticeBox } from '@dhis2/ui'
import React, { type ReactNode } from 'react'
import { ErrorState } from '../ui/States'
import type { AncConfigPart } from './anc-config'
import type { ConfigProblem } from '../stored/problem'
import { AncConfigContext, useAncConfig } from './useAncConfig'

/** Refused settings: the app works on defaults, but the administrator should hear of it. */
export const ConfigProblemsNotice = ({ problems }: { problems: ConfigProblem[] }) => (
    <div role="status" className="anc-config-problems">
        <NoticeBox warning title={i18n.t('Some settings from your administrator were ignored')}>
            <ul>
                {problems.map((problem) => (
                    <li key={problem.path}>
                        {i18n.t(
                            "The administrator's setting {{setting}} was ignored and the default used.",
                            { setting: problem.path }
                        )}
                    </li>
                ))}
            </ul>
            <p>
                {i18n.t(
                    'You can keep working. Tell your DHIS2 administrator so the setting can be corrected.'
                )}
            </p>
            <details>
                <summary>{i18n.t('Technical details')}</summary>
                {/* The validators' reasons are English by design: they are for administrators. */}
                <code>
                    {problems.map((problem) => `${problem.path}: ${problem.reason}`).join('\n')}
                </code>
            </details>
        </NoticeBox>
        <style>{`
            .anc-config-problems { margin: 8px 0; }
            .anc-config-problems code { white-space: pre-wrap; }
        `}</style>
    </div>
)

/**
 * Loads the operator's configuration before rendering `children`, which then read it with
 * `useLoadedAncConfig()`: a loader while it loads, an error with retry if the datastore fails
 * (never silent defaults), and a warning above the children for settings that were refused.
 */
export const AncConfigProvider = ({
    children,
    parts,
}: {
    children: ReactNode
    /** The parts this app applies (default all); the others are neither read nor warned about. */
    parts?: readonly AncConfigPart[]
}) => {
    const config = useAncConfig(parts)
    if (config.data) {
        return (
            <AncConfigContext.Provider value={config.data}>
                {config.data.problems.length > 0 ? (
                    <ConfigProblemsNotice problems={config.data.problems} />
                ) : null}
                {children}
            </AncConfigContext.Provider>
        )
    }
    if (config.isError && !config.isFetching) {
        return (
            <ErrorState
                title={i18n.t('The settings could not be loaded')}
                message={i18n.t(
                    'The app needs the settings stored in DHIS2 before it can start. Check the connection and try again.'
                )}
                detail={config.error instanceof Error ? config.error.message : String(config.error)}
                onRetry={() => void config.refetch()}
            />
        )
    }
    return (
        <div role="status" className="anc-config-loading">
            <CircularLoader small />
            <span>{i18n.t('Loading the settings…')}</span>
            <style>{`
                .anc-config-loading { display: flex; gap: 8px; align-items: center; padding: 16px; }
            `}</style>
        </div>
    )
}
