import i18n from '@dhis2/d2-i18n'
import { Button, CircularLoader, NoticeBox } from '@dhis2/ui'
import React, { useEffect, useRef, useState } from 'react'

/** The browser's BarcodeDetector (Chromium, Android); not in Firefox or desktop Safari. */
interface BarcodeDetectorLike {
    detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>
}
type BarcodeDetectorCtor = new (options: { formats: string[] }) => BarcodeDetectorLike

export function barcodeDetector(): BarcodeDetectorCtor | undefined {
    return (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector
}

export interface QrScannerProps {
    onScanned: (text: string) => void
    onClose: () => void
}

/** Reads the PHN card's QR code (which holds the bare PHN) with the camera. */
export const QrScanner = ({ onScanned, onClose }: QrScannerProps) => {
    const video = useRef<HTMLVideoElement>(null)
    const [state, setState] = useState<'starting' | 'scanning' | 'unsupported' | 'denied'>(
        barcodeDetector() && typeof navigator.mediaDevices?.getUserMedia === 'function'
            ? 'starting'
            : 'unsupported'
    )
    useEffect(() => {
        const Detector = barcodeDetector()
        if (!Detector || typeof navigator.mediaDevices?.getUserMedia !== 'function') return
        let stream: MediaStream | undefined
        let timer: ReturnType<typeof setTimeout> | undefined
        let stopped = false
        const detector = new Detector({ formats: ['qr_code'] })
        const tick = async () => {
            if (stopped || !video.current) return
            try {
                const codes = await detector.detect(video.current)
                const text = codes[0]?.rawValue
                if (text) {
                    onScanned(text)
                    return
                }
            } catch {
                // A frame that is not ready yet: try the next one.
            }
            timer = setTimeout(tick, 250)
        }
        navigator.mediaDevices
            .getUserMedia({ video: { facingMode: 'environment' } })
            .then(async (s) => {
                stream = s
                if (stopped || !video.current) return
                video.current.srcObject = s
                await video.current.play()
                setState('scanning')
                void tick()
            })
            .catch(() => setState('denied'))
        return () => {
            stopped = true
            if (timer) clearTimeout(timer)
            stream?.getTracks().forEach((t) => t.stop())
        }
    }, [onScanned])

    return (
        <section aria-label={i18n.t('Scan the PHN card')} className="qr-scanner">
            {state === 'unsupported' ? (
                <NoticeBox warning title={i18n.t('This browser cannot scan QR codes')}>
                    {i18n.t(
                        'Type the PHN printed under the QR code instead, or open this app in Chrome or Edge to use the camera.'
                    )}
                </NoticeBox>
            ) : null}
            {state === 'denied' ? (
                <NoticeBox warning title={i18n.t('The camera is not available')}>
                    {i18n.t(
                        'Allow camera access for this site in the browser settings, or type the PHN instead.'
                    )}
                </NoticeBox>
            ) : null}
            {state === 'starting' ? (
                <CircularLoader small aria-label={i18n.t('Starting the camera')} />
            ) : null}
            <video
                ref={video}
                muted
                playsInline
                hidden={state !== 'scanning' && state !== 'starting'}
                aria-label={i18n.t(
                    'Camera view: hold the QR code of the PHN card in front of the camera'
                )}
                style={{ maxWidth: 360, width: '100%' }}
            />
            <div>
                <Button small onClick={onClose}>
                    {i18n.t('Stop scanning')}
                </Button>
            </div>
        </section>
    )
}
