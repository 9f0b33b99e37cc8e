import { ATTRIBUTES } from '@anc/shared/metadata'
import type { TrackedEntity } from '@anc/shared/tracker'
import { configure, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import {
    CLINIC,
    NIMALI_CLAIMS,
    NIMALI_SUB,
    TODAY,
    fakeDhis2,
    renderApp,
    pushedPatient,
} from '../../test-support'

configure({ testIdAttribute: 'data-test' })
jest.setTimeout(20_000)

const person = (uid: string, values: Record<string, string>): TrackedEntity => ({
    trackedEntity: uid,
    trackedEntityType: 'ancTetPersn',
    orgUnit: CLINIC.id,
    createdAt: '2026-11-01T08:00:00.000',
    attributes: Object.entries(values).map(([attribute, value]) => ({ attribute, value })),
    enrollments: [],
})

const KUMARI = person('teKumari001', {
    [ATTRIBUTES.fullName]: 'Kumari Silva',
    [ATTRIBUTES.birthDate]: '1999-02-03',
    [ATTRIBUTES.phn]: '0000000016',
    [ATTRIBUTES.verificationStatus]: 'UNVERIFIED',
})

describe('find first', () => {
    it('catches a PHN typo by its check digit without asking the server, and opens a valid PHN', async () => {
        const dhis2 = fakeDhis2({ people: [KUMARI] })
        renderApp(dhis2, {}, '#/find')
        const user = userEvent.setup()
        // Her clinic's recent registrations are listed.
        expect(await screen.findByRole('link', { name: 'Kumari Silva' })).toHaveAttribute(
            'href',
            '#/record/teKumari001'
        )
        const searches = () =>
            dhis2.requests.filter(
                (r) => r.resource === 'tracker/trackedEntities' && r.params?.filter
            )
        await user.type(screen.getByRole('textbox', { name: 'PHN' }), '000 000 0017')
        await user.click(screen.getByRole('button', { name: 'Find by PHN' }))
        expect(await screen.findByText(/typing mistake/)).toBeInTheDocument()
        expect(searches()).toHaveLength(0)

        await user.clear(screen.getByRole('textbox', { name: 'PHN' }))
        await user.type(screen.getByRole('textbox', { name: 'PHN' }), '000 000 0016')
        await user.click(screen.getByRole('button', { name: 'Find by PHN' }))
        await waitFor(() => expect(window.location.hash).toBe('#/record/teKumari001'))
        expect(searches()[0]?.params?.filter).toEqual([`${ATTRIBUTES.phn}:eq:0000000016`])
    })

    it('finds by name and date of birth, and offers registration when nobody matches', async () => {
        const dhis2 = fakeDhis2({ people: [KUMARI] })
        renderApp(dhis2, {}, '#/find')
        const user = userEvent.setup()
        await user.type(await screen.findByRole('textbox', { name: 'Name' }), 'kumari')
        const dob = document.querySelector<HTMLInputElement>('[name="searchBirthDate"]')!
        await user.type(dob, '1999-02-03')
        await user.click(screen.getByRole('button', { name: 'Find by name and date of birth' }))
        expect(await screen.findAllByRole('link', { name: 'Kumari Silva' })).toHaveLength(2)

        await user.clear(dob)
        await user.type(dob, '1999-02-04')
        await user.click(screen.getByRole('button', { name: 'Find by name and date of birth' }))
        await screen.findByText('She is not registered yet.')
        await user.click(screen.getByRole('button', { name: 'Register her' }))
        await waitFor(() => expect(window.location.hash).toBe('#/register'))
    })
})

describe('find with national ID, nobody found, then register', () => {
    /** Verified `minutesAgo` before the services' clock (TODAY 04:30 UTC). */
    const verifiedAgo = (minutesAgo: number) =>
        jest.fn().mockResolvedValue({
            kind: 'verified',
            sub: NIMALI_SUB,
            claims: NIMALI_CLAIMS,
            acr: 'mosip:idp:acr:generated-code',
            authTime: Date.parse(`${TODAY}T04:30:00Z`) / 1000 - minutesAgo * 60,
        })

    const findByNationalId = async () => {
        const user = userEvent.setup()
        const button = await screen.findByRole('button', { name: 'Find with National ID' })
        // The sign-in module loads once the find page is idle (2 s at most without idle callbacks).
        await waitFor(() => expect(button).toBeEnabled(), { timeout: 5000 })
        await user.click(button)
        await screen.findByText('She is not registered yet.')
        return user
    }
    const input = (name: string) => document.querySelector<HTMLInputElement>(`[name="${name}"]`)

    it('fills the form with what she just verified: one OTP, not two', async () => {
        const verifyIdentity = verifiedAgo(2)
        renderApp(fakeDhis2(), { verifyIdentity }, '#/find')
        const user = await findByNationalId()
        expect(screen.getByText(/she does not need to verify again/)).toBeInTheDocument()
        await user.click(screen.getByRole('button', { name: 'Register her' }))
        await screen.findByTestId('verified-badge')
        expect(input('fullName')).toHaveValue('Nimali Perera')
        expect(input('fullName')).toHaveAttribute('readonly')
        expect(input('birthDate')).toHaveValue('1996-05-14')
        expect(verifyIdentity).toHaveBeenCalledTimes(1)
    })

    it('asks again when that verification is older than 15 minutes', async () => {
        renderApp(fakeDhis2(), { verifyIdentity: verifiedAgo(20) }, '#/find')
        const user = await findByNationalId()
        await user.click(screen.getByRole('button', { name: 'Register her' }))
        await screen.findByRole('button', { name: 'Verify with National ID' })
        expect(input('fullName')).toHaveValue('')
        expect(screen.queryByTestId('verified-badge')).toBeNull()
    })
})

describe('record page: verify later', () => {
    const verified = jest.fn().mockResolvedValue({
        kind: 'verified',
        sub: NIMALI_SUB,
        claims: { ...NIMALI_CLAIMS, 'name#eng': 'Kumari Silva' },
        acr: 'mosip:idp:acr:generated-code',
        authTime: 1_795_000_000,
    })

    it('verifies an unverified record: claims replace typed values, VERIFIED, FHIR updated', async () => {
        const dhis2 = fakeDhis2({ people: [KUMARI] })
        const pushFhir = jest.fn().mockResolvedValue({})
        renderApp(dhis2, { verifyIdentity: verified, pushFhir }, '#/record/teKumari001')
        const user = userEvent.setup()
        expect(await screen.findByTestId('unverified-badge')).toBeInTheDocument()
        const button = screen.getByRole('button', { name: 'Verify with National ID' })
        await waitFor(() => expect(button).toBeEnabled())
        await user.click(button)
        await screen.findByText('Verified with national ID and updated in the national record.')
        const stored = dhis2.people.get('teKumari001')!
        const value = (uid: string) => stored.attributes.find((a) => a.attribute === uid)?.value
        expect(value(ATTRIBUTES.verificationStatus)).toBe('VERIFIED')
        expect(value(ATTRIBUTES.esignetSub)).toBe(NIMALI_SUB)
        expect(value(ATTRIBUTES.birthDate)).toBe('1996-05-14') // the verified date replaced the typed one
        expect(pushFhir).toHaveBeenCalledTimes(1)
        expect(await screen.findByTestId('verified-badge')).toBeInTheDocument()
    })

    it('refuses to give an identity that belongs to another record, and shows that record', async () => {
        const owner = person('teOwner0001', {
            [ATTRIBUTES.fullName]: 'Nimali Perera',
            [ATTRIBUTES.esignetSub]: NIMALI_SUB,
            [ATTRIBUTES.verificationStatus]: 'VERIFIED',
        })
        const dhis2 = fakeDhis2({ people: [KUMARI, owner] })
        renderApp(dhis2, { verifyIdentity: verified }, '#/record/teKumari001')
        const user = userEvent.setup()
        const button = await screen.findByRole('button', { name: 'Verify with National ID' })
        await waitFor(() => expect(button).toBeEnabled())
        await user.click(button)
        await screen.findByText('She is already registered')
        expect(dhis2.requests.some((r) => r.resource === 'tracker')).toBe(false)
        await user.click(screen.getByRole('button', { name: 'Open this record' }))
        await waitFor(() => expect(window.location.hash).toBe('#/record/teOwner0001'))
    })
})

describe("record page: the operator's settings", () => {
    it('shows the PHN in the configured grouping and sends her record with the configured FHIR systems', async () => {
        const dhis2 = fakeDhis2({
            people: [KUMARI],
            config: {
                'phn-config': { displayGroups: [4, 6] },
                'fhir-config': { systems: { phn: 'https://nehr.example.lk/id/phn' } },
            },
        })
        const pushFhir = jest.fn().mockResolvedValue({})
        renderApp(dhis2, { pushFhir }, '#/record/teKumari001')
        const user = userEvent.setup()
        const banner = await screen.findByRole('region', { name: 'Patient summary' })
        expect(within(banner).getByText('0000 000016')).toBeInTheDocument()
        await user.click(screen.getByRole('button', { name: 'Send to national record' }))
        await screen.findByText('Sent to the national record.')
        const patient = pushedPatient(pushFhir)
        expect(patient.identifier).toContainEqual(
            expect.objectContaining({
                system: 'https://nehr.example.lk/id/phn',
                value: '0000000016',
            })
        )
    })
})
