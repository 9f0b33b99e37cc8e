import { useLoadedAncConfig } from '@anc/shared/config/react'
import { checkPhn, formatPhnForDisplay, phnLength, type PhnCheck } from '@anc/shared/phn'
import i18n from '@dhis2/d2-i18n'
import { Button, InputField } from '@dhis2/ui'
import React, { useCallback, useState } from 'react'
import { QrScanner } from './QrScanner'
import { clearRecent, type RecentPatient } from './recent'

export interface PhnFeedback {
    valid: boolean
    error: boolean
    text: string
}

/** What the PHN field says as she types; `length` is a whole PHN's digits in the operator's format. */
export function phnFeedback(check: PhnCheck, length: number): PhnFeedback {
    switch (check.kind) {
        case 'valid':
            return { valid: true, error: false, text: i18n.t('Valid PHN') }
        case 'incomplete':
            return {
                valid: false,
                error: false,
                text: i18n.t('{{count}} more digits', { count: check.missing }),
            }
        case 'badCheckDigit':
            return {
                valid: false,
                error: true,
                text: i18n.t(
                    'This is not a valid PHN: the last digit does not match. Check for a typing mistake.'
                ),
            }
        case 'badFormat':
            if (check.reason === 'empty')
                return {
                    valid: false,
                    error: false,
                    text: i18n.t('The PHN has {{count}} digits.', { count: length }),
                }
            if (check.reason === 'tooLong')
                return {
                    valid: false,
                    error: true,
                    text: i18n.t('Too many digits: a PHN has {{count}}.', { count: length }),
                }
            return { valid: false, error: true, text: i18n.t('A PHN has digits only.') }
    }
}

export interface FindPageProps {
    onOpen: (phn: string) => void
    recent: RecentPatient[]
    userId: string
    onRecentCleared: () => void
}

export const FindPage = ({ onOpen, recent, userId, onRecentCleared }: FindPageProps) => {
    const [value, setValue] = useState('')
    const [scanning, setScanning] = useState(false)
    const [scanProblem, setScanProblem] = useState<string>()
    const { phn: phnConfig } = useLoadedAncConfig()
    const check = checkPhn(value, phnConfig)
    const feedback = phnFeedback(check, phnLength(phnConfig))
    const submit = () => {
        if (check.kind === 'valid') onOpen(check.phn)
    }
    const onScanned = useCallback(
        (text: string) => {
            setScanning(false)
            const scanned = checkPhn(text.trim(), phnConfig)
            if (scanned.kind === 'valid') {
                setScanProblem(undefined)
                onOpen(scanned.phn)
            } else {
                setValue(text.trim())
                setScanProblem(i18n.t('The QR code does not hold a valid PHN.'))
            }
        },
        [onOpen, phnConfig]
    )
    return (
        <div className="find-patient">
            <h2>{i18n.t('Find a patient')}</h2>
            <form
                role="search"
                aria-label={i18n.t('Find a patient by PHN')}
                onSubmit={(event) => {
                    event.preventDefault()
                    submit()
                }}
            >
                <InputField
                    label={i18n.t('Personal Health Number (PHN)')}
                    name="phn"
                    autoComplete="off"
                    initialFocus
                    value={value}
                    onChange={({ value: next }: { value?: string }) => {
                        setValue(next ?? '')
                        setScanProblem(undefined)
                    }}
                    valid={feedback.valid}
                    error={feedback.error || Boolean(scanProblem)}
                    validationText={scanProblem ?? feedback.text}
                    inputWidth="240px"
                    dataTest="phn-input"
                />
                <div className="find-patient__actions">
                    <Button primary type="submit" disabled={!feedback.valid}>
                        {i18n.t('Open record')}
                    </Button>
                    <Button onClick={() => setScanning((s) => !s)}>
                        {scanning ? i18n.t('Stop scanning') : i18n.t('Scan PHN card')}
                    </Button>
                </div>
            </form>
            {scanning ? (
                <QrScanner onScanned={onScanned} onClose={() => setScanning(false)} />
            ) : null}
            <section aria-labelledby="recent-heading" className="find-patient__recent">
                <h3 id="recent-heading">{i18n.t('Recent patients')}</h3>
                {recent.length === 0 ? (
                    <p>{i18n.t('Records you open appear here.')}</p>
                ) : (
                    <>
                        <ul>
                            {recent.map((p) => (
                                <li key={p.phn}>
                                    <Button small secondary onClick={() => onOpen(p.phn)}>
                                        {p.name} · {formatPhnForDisplay(p.phn, phnConfig)}
                                    </Button>
                                </li>
                            ))}
                        </ul>
                        <Button
                            small
                            onClick={() => {
                                clearRecent(userId)
                                onRecentCleared()
                            }}
                        >
                            {i18n.t('Clear this list')}
                        </Button>
                    </>
                )}
            </section>
            <style>{`
                .find-patient { max-width: 720px; padding: 16px; }
                .find-patient__actions { display: flex; gap: 8px; margin-top: 8px; }
                .find-patient__recent ul { list-style: none; padding: 0; display: flex; flex-direction: column; gap: 4px; }
            `}</style>
        </div>
    )
}
