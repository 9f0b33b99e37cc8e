import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import React from 'react'
import type { PatientView } from '../fhir/from-bundle'
import { hasValidCheckDigit } from '../phn/check-digits'
import { phnFromSerial } from '../phn/phn'
import { LanguageSwitch } from './LanguageSwitch'
import { PatientBanner } from './PatientBanner'
import { PendingSyncIndicator } from './PendingSyncIndicator'
import { PhnCard } from './PhnCard'
import { checkMeasurement } from '../anc/ranges'
import { rangeMessage } from './format'
import { EmptyState, ErrorState } from './States'
import { VerifiedBadge } from './VerifiedBadge'
import { VisitTimeline } from './VisitTimeline'

const PHN = phnFromSerial('123456789')

describe('VerifiedBadge', () => {
    it('tells verified and unverified apart, in words', () => {
        const { rerender } = render(<VerifiedBadge verified verifiedAt="2026-11-20T08:00:00Z" />)
        expect(screen.getByRole('status')).toHaveAccessibleName(
            'Verified with national ID. Verified on 2026-11-20'
        )
        rerender(<VerifiedBadge verified={false} />)
        expect(screen.getByRole('status')).toHaveAccessibleName('Not verified')
    })
})

describe('PatientBanner', () => {
    it('shows age, PHN, verification, GA today and EDD', () => {
        render(
            <PatientBanner
                name="Nadeesha Perera"
                birthDate="1996-03-15"
                phn={PHN}
                verified
                lmp="2026-06-01"
                today="2026-11-20"
            />
        )
        const banner = screen.getByRole('region', { name: 'Patient summary' })
        expect(within(banner).getByRole('heading', { name: 'Nadeesha Perera' })).toBeInTheDocument()
        expect(banner).toHaveTextContent('30 years')
        expect(banner).toHaveTextContent('24 weeks 4 days')
        expect(banner).toHaveTextContent('2027-03-08')
        expect(banner).toHaveTextContent(PHN.slice(0, 3))
        expect(within(banner).getByRole('status')).toHaveAccessibleName('Verified with national ID')
    })

    it('says what is missing instead of inventing it', () => {
        render(<PatientBanner name="A" verified={false} />)
        const banner = screen.getByRole('region', { name: 'Patient summary' })
        expect(banner).toHaveTextContent('Not issued')
        expect(within(banner).getAllByText('Not recorded')).toHaveLength(3)
    })

    it('shows a FHIR record view spread into it', () => {
        const patient: PatientView = {
            id: 'p1',
            name: 'Nadeesha Perera',
            given: 'Nadeesha',
            family: 'Perera',
            phn: PHN,
            nic: undefined,
            birthDate: '1996-03-15',
            ageYears: 30,
            gender: 'female',
            phone: undefined,
            email: undefined,
            address: undefined,
            verified: false,
        }
        render(<PatientBanner {...patient} name={patient.name ?? ''} today="2026-11-20" />)
        const banner = screen.getByRole('region', { name: 'Patient summary' })
        expect(banner).toHaveTextContent('30 years')
        expect(banner).toHaveTextContent(PHN.slice(0, 3))
        expect(within(banner).getByRole('status')).toHaveAccessibleName('Not verified')
    })
})

describe('VisitTimeline', () => {
    it('lists visits in date order with their status', () => {
        render(
            <VisitTimeline
                visits={[
                    { id: 'b', date: '2026-12-10', title: 'Contact 3', status: 'upcoming' },
                    { id: 'a', date: '2026-09-01', title: 'Contact 1', status: 'attended' },
                    { id: 'c', date: '2026-10-20', title: 'Contact 2', status: 'overdue' },
                ]}
            />
        )
        const items = within(screen.getByRole('list', { name: 'Visits' })).getAllByRole('listitem')
        expect(items.map((item) => item.textContent)).toEqual([
            expect.stringMatching(/2026-09-01.*Contact 1.*Attended/),
            expect.stringMatching(/2026-10-20.*Contact 2.*Overdue/),
            expect.stringMatching(/2026-12-10.*Contact 3.*Upcoming/),
        ])
    })
})

describe('PhnCard', () => {
    it('shows the PHN, encodes exactly the PHN in the QR code and prints', async () => {
        const onPrint = jest.fn()
        const { container } = render(
            <PhnCard phn={PHN} name="Nadeesha Perera" issuedOn="2026-11-20" onPrint={onPrint} />
        )
        expect(hasValidCheckDigit('verhoeff', PHN)).toBe(true)
        expect(screen.getByRole('img', { name: /QR code of PHN/ })).toBeInTheDocument()
        expect(screen.getByText('Nadeesha Perera')).toBeInTheDocument()
        expect(container.querySelector('style')?.textContent).toContain('@media print')
        await userEvent.click(screen.getByRole('button', { name: 'Print PHN card' }))
        expect(onPrint).toHaveBeenCalledTimes(1)
    })
})

describe('ErrorState and EmptyState', () => {
    it('announces the error and offers a retry', async () => {
        const onRetry = jest.fn()
        render(<ErrorState message="The FHIR record is unreachable." onRetry={onRetry} />)
        expect(screen.getByRole('alert')).toHaveTextContent('The FHIR record is unreachable.')
        await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
        expect(onRetry).toHaveBeenCalled()
    })

    it('names the empty section', () => {
        render(<EmptyState title="No visits yet" />)
        expect(screen.getByRole('region', { name: 'No visits yet' })).toBeInTheDocument()
    })
})

describe('PendingSyncIndicator', () => {
    it('shows the count and retries on request', async () => {
        const onRetry = jest.fn()
        const { rerender } = render(<PendingSyncIndicator count={2} onRetry={onRetry} />)
        expect(screen.getByRole('status')).toHaveTextContent(
            '2 records waiting to reach the national record'
        )
        await userEvent.click(screen.getByRole('button', { name: 'Retry now' }))
        expect(onRetry).toHaveBeenCalledTimes(1)
        rerender(<PendingSyncIndicator count={0} onRetry={onRetry} />)
        expect(screen.getByRole('status')).toHaveTextContent(
            'All records are in the national record'
        )
        expect(screen.queryByRole('button')).toBeNull()
    })
})

describe('LanguageSwitch', () => {
    it('is labelled and shows the current language in its own script', () => {
        render(<LanguageSwitch value="si_LK" onChange={jest.fn()} />)
        expect(screen.getByText('Language')).toBeInTheDocument()
        expect(screen.getByText('සිංහල')).toBeInTheDocument()
    })
})

describe('rangeMessage', () => {
    it('asks for a number, a whole number, or a value in the plausible range', () => {
        expect(rangeMessage(checkMeasurement('systolic', '120'))).toBeUndefined()
        expect(rangeMessage(checkMeasurement('systolic', '12O'))).toBe('Enter a number.')
        expect(rangeMessage(checkMeasurement('systolic', '120.5'))).toBe('Enter a whole number.')
        expect(rangeMessage(checkMeasurement('weightKg', '6.5'))).toBe(
            'Enter a value between 25 and 250.'
        )
        expect(rangeMessage(checkMeasurement('weightKg', '650'))).toBe(
            'Enter a value between 25 and 250.'
        )
    })
})
