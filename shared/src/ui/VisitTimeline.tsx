import i18n from '@dhis2/d2-i18n'
import { Tag } from '@dhis2/ui'
import React, { type ReactNode } from 'react'

export type VisitStatus = 'attended' | 'upcoming' | 'due' | 'overdue' | 'expired'

export interface TimelineVisit {
    /** DHIS2 event UID for attended visits, schedule key for planned ones. */
    id: string
    /** ISO date: when it happened, or when it is planned. */
    date: string
    /** e.g. "Contact 3 (26 weeks)". */
    title: string
    status: VisitStatus
    /** Observations or notes for this visit. */
    details?: ReactNode
}

function statusLabel(status: VisitStatus): string {
    switch (status) {
        case 'attended':
            return i18n.t('Attended')
        case 'upcoming':
            return i18n.t('Upcoming')
        case 'due':
            return i18n.t('Due now')
        case 'overdue':
            return i18n.t('Overdue')
        case 'expired':
            return i18n.t('Missed')
    }
}

/** Visits in date order, past and planned, each with a readable status. */
export const VisitTimeline = ({ visits }: { visits: readonly TimelineVisit[] }) => {
    const ordered = [...visits].sort((a, b) => a.date.localeCompare(b.date))
    return (
        <ol className="anc-timeline" aria-label={i18n.t('Visits')}>
            {ordered.map((visit) => (
                <li
                    key={visit.id}
                    className={`anc-timeline__item anc-timeline__item--${visit.status}`}
                >
                    <time dateTime={visit.date}>{visit.date}</time>
                    <span className="anc-timeline__title">{visit.title}</span>
                    <Tag
                        positive={visit.status === 'attended'}
                        negative={visit.status === 'overdue' || visit.status === 'expired'}
                        neutral={visit.status === 'upcoming' || visit.status === 'due'}
                    >
                        {statusLabel(visit.status)}
                    </Tag>
                    {visit.details ? (
                        <div className="anc-timeline__details">{visit.details}</div>
                    ) : null}
                </li>
            ))}
            <style>{`
                .anc-timeline { list-style: none; margin: 0; padding: 0 0 0 16px; border-left: 2px solid #d5dde5; }
                .anc-timeline__item { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 8px 0; }
                .anc-timeline__title { font-weight: 500; }
                .anc-timeline__details { flex-basis: 100%; color: #4a5768; }
            `}</style>
        </ol>
    )
}
