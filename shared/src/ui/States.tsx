import i18n from '@dhis2/d2-i18n'
import { Button, NoticeBox } from '@dhis2/ui'
import React, { type ReactNode } from 'react'

export interface ErrorStateProps {
    title?: string
    message: string
    onRetry?: () => void
    /** Technical detail for administrators, behind a disclosure. */
    detail?: string
}

/** A failure the person can act on: what happened, and a way forward. */
export const ErrorState = ({ title, message, onRetry, detail }: ErrorStateProps) => (
    <div role="alert">
        <NoticeBox error title={title ?? i18n.t('Something went wrong')}>
            <p>{message}</p>
            {detail ? (
                <details>
                    <summary>{i18n.t('Technical details')}</summary>
                    <code>{detail}</code>
                </details>
            ) : null}
            {onRetry ? (
                <Button small onClick={onRetry}>
                    {i18n.t('Try again')}
                </Button>
            ) : null}
        </NoticeBox>
    </div>
)

export interface EmptyStateProps {
    title: string
    message?: string
    action?: ReactNode
}

export const EmptyState = ({ title, message, action }: EmptyStateProps) => (
    <section className="anc-empty-state" aria-label={title}>
        <p className="anc-empty-state__title">{title}</p>
        {message ? <p>{message}</p> : null}
        {action}
        <style>{`
            .anc-empty-state { padding: 24px; text-align: center; color: #4a5768; }
            .anc-empty-state__title { font-size: 16px; font-weight: 500; color: #212934; }
        `}</style>
    </section>
)
