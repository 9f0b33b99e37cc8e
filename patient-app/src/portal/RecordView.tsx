import type { CalendarDate } from '@anc/shared/anc'
import type { AncRecordView, ContactView } from '@anc/shared/fhir'
import i18n from '@dhis2/d2-i18n'
import { Button, Tag } from '@dhis2/ui'
import React from 'react'
import { contactsToIcs, downloadIcs } from './calendar'
import { longDate } from './format'
import { plainMeasurements } from './plain-words'
import { upcomingContacts, type UpcomingContact } from './upcoming'

export interface RecordViewProps {
    record: AncRecordView
    today: CalendarDate
    onSignOut: () => void
    signingOut: boolean
    /** Tests replace the file download. */
    download?: (text: string, fileName: string) => void
}

const uidDomain = () => window.location.hostname || 'localhost'

const Detail = ({ label, value }: { label: string; value: string | number | undefined }) =>
    value === undefined || value === '' ? null : (
        <div className="anc-detail">
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    )

function whenText(contact: UpcomingContact): string {
    return contact.until && contact.until !== contact.date
        ? i18n.t('Between {{from}} and {{until}}', {
              from: longDate(contact.date),
              until: longDate(contact.until),
          })
        : longDate(contact.date)
}

const Visit = ({ contact }: { contact: ContactView }) => {
    const measured = plainMeasurements(contact)
    return (
        <li className="anc-visit">
            <h4>
                {longDate(contact.date)}
                {contact.gaWeeks !== undefined ? (
                    <span className="anc-muted">
                        {' · '}
                        {i18n.t('{{weeks}} weeks pregnant', { weeks: contact.gaWeeks })}
                    </span>
                ) : null}
            </h4>
            {measured.length > 0 ? (
                <dl>
                    {measured.map((m) => (
                        <Detail key={m.key} label={m.label} value={m.value} />
                    ))}
                </dl>
            ) : (
                <p className="anc-muted">
                    {i18n.t('No measurements were recorded at this visit.')}
                </p>
            )}
        </li>
    )
}

/** Her record, read-only, phone first: next visit, pregnancy, upcoming, history, results, details. */
export const RecordView = ({
    record,
    today,
    onSignOut,
    signingOut,
    download = downloadIcs,
}: RecordViewProps) => {
    const upcoming = upcomingContacts(record, today)
    const next = upcoming[0]
    const patient = record.patient
    const pregnancy = record.pregnancy
    const history = [...record.contacts]
        .filter((c) => c.date <= today)
        .sort((a, b) => b.date.localeCompare(a.date))
    const results = history.flatMap((contact) =>
        plainMeasurements(contact)
            .filter((m) => m.isResult)
            .map((m) => ({ ...m, date: contact.date }))
    )
    const saveCalendar = (contacts: UpcomingContact[], fileName: string) =>
        download(contactsToIcs(contacts, uidDomain()), fileName)

    return (
        <div className="anc-record">
            <header className="anc-record__header">
                <h2>{i18n.t('My pregnancy record')}</h2>
                <Button
                    secondary
                    large
                    onClick={onSignOut}
                    loading={signingOut}
                    disabled={signingOut}
                >
                    {i18n.t('Sign out')}
                </Button>
            </header>

            <section className="anc-card anc-card--next" aria-labelledby="next-visit">
                <h3 id="next-visit">{i18n.t('Your next visit')}</h3>
                {next ? (
                    <>
                        <p className="anc-next__date">{whenText(next)}</p>
                        <p>{next.title}</p>
                        {next.status === 'due' ? <Tag neutral>{i18n.t('Due now')}</Tag> : null}
                        <div className="anc-actions">
                            <Button
                                large
                                onClick={() => saveCalendar([next], 'next-anc-visit.ics')}
                            >
                                {i18n.t('Add to my calendar')}
                            </Button>
                        </div>
                    </>
                ) : (
                    <p>
                        {i18n.t(
                            'No visit is planned yet. Your midwife will tell you when to come.'
                        )}
                    </p>
                )}
            </section>

            <section className="anc-card" aria-labelledby="pregnancy">
                <h3 id="pregnancy">{i18n.t('My pregnancy')}</h3>
                {pregnancy ? (
                    <dl>
                        <Detail
                            label={i18n.t('How far along')}
                            value={
                                pregnancy.gaToday
                                    ? i18n.t('{{weeks}} weeks {{days}} days', {
                                          weeks: pregnancy.gaToday.weeks,
                                          days: pregnancy.gaToday.days,
                                      })
                                    : undefined
                            }
                        />
                        <Detail
                            label={i18n.t('Expected due date')}
                            value={pregnancy.edd ? longDate(pregnancy.edd) : undefined}
                        />
                        <Detail
                            label={i18n.t('First day of last period')}
                            value={pregnancy.lmp ? longDate(pregnancy.lmp) : undefined}
                        />
                    </dl>
                ) : (
                    <p>{i18n.t('Your pregnancy details have not been recorded yet.')}</p>
                )}
            </section>

            <section className="anc-card" aria-labelledby="upcoming">
                <h3 id="upcoming">{i18n.t('Upcoming visits')}</h3>
                {upcoming.length > 0 ? (
                    <>
                        <ul className="anc-list">
                            {upcoming.map((contact) => (
                                <li key={contact.key}>
                                    <strong>{whenText(contact)}</strong>
                                    <span>{contact.title}</span>
                                </li>
                            ))}
                        </ul>
                        <div className="anc-actions">
                            <Button large onClick={() => saveCalendar(upcoming, 'anc-visits.ics')}>
                                {i18n.t('Add all visits to my calendar')}
                            </Button>
                        </div>
                    </>
                ) : (
                    <p>{i18n.t('No more visits are planned.')}</p>
                )}
            </section>

            <section className="anc-card" aria-labelledby="history">
                <h3 id="history">{i18n.t('My visits so far')}</h3>
                {history.length > 0 ? (
                    <ol className="anc-list">
                        {history.map((contact) => (
                            <Visit key={contact.id} contact={contact} />
                        ))}
                    </ol>
                ) : (
                    <p>{i18n.t('No visits have been recorded yet.')}</p>
                )}
            </section>

            <section className="anc-card" aria-labelledby="results">
                <h3 id="results">{i18n.t('My test results')}</h3>
                {results.length > 0 ? (
                    <dl>
                        {results.map((r) => (
                            <Detail
                                key={`${r.key}-${r.date}`}
                                label={`${r.label}, ${longDate(r.date)}`}
                                value={r.value}
                            />
                        ))}
                    </dl>
                ) : (
                    <p>{i18n.t('No test results yet.')}</p>
                )}
            </section>

            <section className="anc-card" aria-labelledby="details">
                <h3 id="details">{i18n.t('My details')}</h3>
                {patient?.verified ? (
                    <Tag positive>{i18n.t('Verified with national ID')}</Tag>
                ) : null}
                <dl>
                    <Detail label={i18n.t('Name')} value={patient?.name} />
                    <Detail
                        label={i18n.t('Date of birth')}
                        value={patient?.birthDate ? longDate(patient.birthDate) : undefined}
                    />
                    <Detail label={i18n.t('Personal Health Number (PHN)')} value={patient?.phn} />
                    <Detail label={i18n.t('Phone')} value={patient?.phone} />
                    <Detail label={i18n.t('Address')} value={patient?.address} />
                </dl>
                <p className="anc-muted">
                    {i18n.t(
                        'If something here is wrong, tell your midwife at your next visit. This page only shows your record; it cannot change it.'
                    )}
                </p>
            </section>
        </div>
    )
}
