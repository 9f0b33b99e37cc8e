import i18n from '@dhis2/d2-i18n'
import { Button, Card, IconFileDocument16 } from '@dhis2/ui'
import { QRCodeSVG } from 'qrcode.react'
import React from 'react'
import { formatPhnForDisplay, type PhnConfig } from '../phn/phn'

export interface PhnCardProps {
    phn: string
    name: string
    birthDate?: string
    issuedOn?: string
    /** Issuing clinic or MOH area. */
    issuedBy?: string
    /** Defaults to window.print (tests pass their own). */
    onPrint?: () => void
    /** The operator's PHN format (display grouping); the shipped default otherwise. */
    phnConfig?: PhnConfig
}

/**
 * The card a woman takes home: PHN in large digits and as a QR code (the bare digits, so any
 * scanner types it straight into the doctor's search). Printing shows only the card.
 */
export const PhnCard = ({
    phn,
    name,
    birthDate,
    issuedOn,
    issuedBy,
    onPrint,
    phnConfig,
}: PhnCardProps) => {
    const display = formatPhnForDisplay(phn, phnConfig)
    return (
        <div className="anc-phn-card">
            <Card>
                <article
                    className="anc-phn-card__body"
                    aria-label={i18n.t('Personal Health Number card')}
                >
                    <p className="anc-phn-card__heading">{i18n.t('Personal Health Number')}</p>
                    <p
                        className="anc-phn-card__phn"
                        aria-label={i18n.t('PHN {{phn}}', { phn: phn.split('').join(' ') })}
                    >
                        {display}
                    </p>
                    <QRCodeSVG
                        value={phn}
                        size={132}
                        level="M"
                        marginSize={2}
                        role="img"
                        aria-label={i18n.t('QR code of PHN {{phn}}', { phn: display })}
                    />
                    <dl>
                        <dt>{i18n.t('Name')}</dt>
                        <dd>{name}</dd>
                        {birthDate ? (
                            <>
                                <dt>{i18n.t('Date of birth')}</dt>
                                <dd>{birthDate}</dd>
                            </>
                        ) : null}
                        {issuedOn ? (
                            <>
                                <dt>{i18n.t('Issued on')}</dt>
                                <dd>{issuedOn}</dd>
                            </>
                        ) : null}
                        {issuedBy ? (
                            <>
                                <dt>{i18n.t('Issued by')}</dt>
                                <dd>{issuedBy}</dd>
                            </>
                        ) : null}
                    </dl>
                </article>
            </Card>
            <div className="anc-phn-card__actions">
                <Button
                    icon={<IconFileDocument16 />}
                    onClick={() => (onPrint ?? (() => window.print()))()}
                >
                    {i18n.t('Print PHN card')}
                </Button>
            </div>
            <style>{`
                .anc-phn-card { max-width: 360px; }
                .anc-phn-card__body { padding: 16px; text-align: center; }
                .anc-phn-card__heading { margin: 0; font-size: 14px; color: #4a5768; }
                .anc-phn-card__phn { margin: 4px 0 8px; font-size: 28px; font-weight: 600; letter-spacing: 2px; font-variant-numeric: tabular-nums; }
                .anc-phn-card dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; text-align: left; }
                .anc-phn-card dd { margin: 0; }
                .anc-phn-card__actions { margin-top: 8px; }
                @media print {
                    body * { visibility: hidden; }
                    .anc-phn-card, .anc-phn-card * { visibility: visible; }
                    .anc-phn-card { position: absolute; left: 0; top: 0; width: 85.6mm; }
                    .anc-phn-card__actions { display: none; }
                }
            `}</style>
        </div>
    )
}
