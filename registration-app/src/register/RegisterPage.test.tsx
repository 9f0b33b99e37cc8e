import { ATTRIBUTES, DATA_ELEMENTS } from '@anc/shared/metadata'
import type { TrackedEntity, TrackerPayload } from '@anc/shared/tracker'
import { act, configure, fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import {
    CLINIC,
    NIMALI_CLAIMS,
    NIMALI_SUB,
    fakeDhis2,
    renderApp,
    type Recorded,
    pushedPatient,
} from '../../test-support'

jest.setTimeout(20_000)
// @dhis2/ui marks elements with data-test.
configure({ testIdAttribute: 'data-test' })

const verified = (claims: Record<string, unknown> = NIMALI_CLAIMS) =>
    jest.fn().mockResolvedValue({
        kind: 'verified',
        sub: NIMALI_SUB,
        claims,
        acr: 'mosip:idp:acr:generated-code',
        authTime: 1_795_000_000,
    })

const input = (name: string) => {
    const element = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(
        `[name="${name}"]`
    )
    if (!element) throw new Error(`no field ${name}`)
    return element
}

function setValue(name: string, value: string) {
    fireEvent.change(input(name), { target: { value } })
}

async function fillPregnancy() {
    setValue('lmp', '2026-08-21')
    setValue('gravida', '2')
    setValue('parity', '1')
    setValue('heightCm', '158')
    setValue('weightKg', '61.5')
    setValue('systolic', '118')
    setValue('diastolic', '76')
}

async function waitForVerifyReady() {
    const button = await screen.findByRole('button', { name: 'Verify with National ID' })
    await waitFor(() => expect(button).toBeEnabled())
    return button
}

const existingPerson = (overrides: Partial<Record<string, string>> = {}): TrackedEntity => ({
    trackedEntity: 'teExisting1',
    trackedEntityType: 'ancTetPersn',
    orgUnit: CLINIC.id,
    createdAt: '2026-10-01T08:00:00.000',
    attributes: Object.entries({
        [ATTRIBUTES.fullName]: 'Nimali Perera',
        [ATTRIBUTES.birthDate]: '1996-05-14',
        [ATTRIBUTES.phn]: '0000000017',
        [ATTRIBUTES.verificationStatus]: 'VERIFIED',
        [ATTRIBUTES.esignetSub]: NIMALI_SUB,
        ...overrides,
    }).map(([attribute, value]) => ({ attribute, value })),
})

const afterSave = (requests: Recorded[], from: number) =>
    requests.slice(from).map((r) => `${r.type} ${r.resource}`)

describe('registration: verified with national ID', () => {
    it('fills verified details read-only, leaves the declined phone editable, and saves in 3 requests', async () => {
        const dhis2 = fakeDhis2()
        const pushFhir = jest.fn().mockResolvedValue({ resourceType: 'Bundle' })
        renderApp(dhis2, { verifyIdentity: verified(), pushFhir })
        const user = userEvent.setup()

        await user.click(await waitForVerifyReady())
        await screen.findByTestId('verified-badge')
        expect(input('fullName')).toHaveValue('Nimali Perera')
        expect(input('fullName')).toHaveAttribute('readonly')
        expect(input('birthDate')).toHaveValue('1996-05-14')
        expect(input('birthDate')).toHaveAttribute('readonly')
        // She declined to share her phone: empty and editable.
        expect(input('phone')).toHaveValue('')
        expect(input('phone')).not.toHaveAttribute('readonly')
        await user.type(input('phone'), '0771234567')
        expect(input('phone')).toHaveValue('0771234567')
        // Typing into a verified field changes nothing.
        await user.type(input('fullName'), 'x')
        expect(input('fullName')).toHaveValue('Nimali Perera')

        await fillPregnancy()
        expect(screen.getByText(/Gestational age today 13 weeks/)).toBeInTheDocument()
        expect(screen.getByText(/EDD 2027-05-28/)).toBeInTheDocument()
        // The duplicate search ran while she typed (sub, and DOB + phone).
        await waitFor(() =>
            expect(
                dhis2.requests.filter((r) => r.resource === 'tracker/trackedEntities').length
            ).toBeGreaterThanOrEqual(2)
        )
        await waitFor(() =>
            expect(screen.queryByText('Checking for an existing record…')).toBeNull()
        )

        const before = dhis2.requests.length
        await user.click(screen.getByRole('button', { name: 'Save and issue PHN' }))
        await screen.findByText('Saved in DHIS2 and in the national record')

        expect(afterSave(dhis2.requests, before)).toEqual([
            `read trackedEntityAttributes/${ATTRIBUTES.phnSerial}/generate`,
            'create tracker',
        ])
        expect(pushFhir).toHaveBeenCalledTimes(1) // the third request
        const payload = dhis2.requests.find((r) => r.resource === 'tracker')?.data as TrackerPayload
        const te = payload.trackedEntities?.[0] as TrackedEntity
        const attr = (uid: string) => te.attributes.find((a) => a.attribute === uid)?.value
        expect(te.orgUnit).toBe(CLINIC.id)
        expect(attr(ATTRIBUTES.esignetSub)).toBe(NIMALI_SUB)
        expect(attr(ATTRIBUTES.verificationStatus)).toBe('VERIFIED')
        expect(attr(ATTRIBUTES.sex)).toBe('FEMALE')
        expect(attr(ATTRIBUTES.phone)).toBe('+94771234567')
        // Serial 000000001 from DHIS2's generator + Verhoeff check digit.
        expect(attr(ATTRIBUTES.phn)).toBe('0000000016')
        const event = te.enrollments?.[0]?.events?.[0]
        expect(event?.dataValues).toEqual(
            expect.arrayContaining([
                { dataElement: DATA_ELEMENTS.lmp, value: '2026-08-21' },
                { dataElement: DATA_ELEMENTS.edd, value: '2027-05-28' },
                { dataElement: DATA_ELEMENTS.systolicBp, value: '118' },
            ])
        )
        const bundle = pushFhir.mock.calls[0][0]
        expect(bundle.type).toBe('transaction')
        expect(
            bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)
        ).toEqual(expect.arrayContaining(['Patient', 'Encounter', 'Observation']))
        // PHN card with the issued PHN and its QR code.
        const card = screen.getByRole('article', { name: 'Personal Health Number card' })
        expect(within(card).getByText('000 000 0016')).toBeInTheDocument()
        expect(within(card).getByRole('img', { name: /QR code of PHN/ })).toBeInTheDocument()
    })

    it('offers the existing record when the verified identity is already registered, and never saves', async () => {
        const dhis2 = fakeDhis2({ people: [existingPerson()] })
        renderApp(dhis2, { verifyIdentity: verified() })
        const user = userEvent.setup()
        await user.click(await waitForVerifyReady())

        await screen.findByText('She is already registered')
        expect(screen.queryByRole('button', { name: /different person/ })).toBeNull()
        await fillPregnancy()
        await user.click(screen.getByRole('button', { name: 'Save and issue PHN' }))
        expect(dhis2.requests.some((r) => r.resource === 'tracker')).toBe(false)
        expect(dhis2.requests.some((r) => r.resource.includes('/generate'))).toBe(false)

        await user.click(screen.getByRole('button', { name: 'Open this record' }))
        await waitFor(() => expect(window.location.hash).toBe('#/record/teExisting1'))
        expect((await screen.findAllByText('Nimali Perera')).length).toBeGreaterThan(0)
    })

    it('opens the existing record when DHIS2 refuses a second record for the identity (E1064 from another browser)', async () => {
        const dhis2 = fakeDhis2()
        renderApp(dhis2, { verifyIdentity: verified() })
        const user = userEvent.setup()
        await user.click(await waitForVerifyReady())
        await screen.findByTestId('verified-badge')
        await fillPregnancy()
        await waitFor(() =>
            expect(screen.queryByText('Checking for an existing record…')).toBeNull()
        )
        // Another midwife saves the same woman between the duplicate check and this save.
        dhis2.hooks.beforeImport = () => {
            dhis2.people.set('teOtherBrw1', { ...existingPerson(), trackedEntity: 'teOtherBrw1' })
            dhis2.hooks.beforeImport = undefined
        }
        await user.click(screen.getByRole('button', { name: 'Save and issue PHN' }))

        await waitFor(() => expect(window.location.hash).toBe('#/record/teOtherBrw1'))
        await screen.findByText(/She was registered meanwhile/)
        expect(dhis2.people.size).toBe(1)
    })
})

describe('registration without verification', () => {
    it('tells her the popup was blocked and lets her register manually as UNVERIFIED', async () => {
        // The real sign-in: jsdom's window.open gives no window, as a popup blocker does.
        const open = jest.spyOn(window, 'open').mockReturnValue(null)
        const dhis2 = fakeDhis2()
        renderApp(dhis2)
        const user = userEvent.setup()
        await user.click(await waitForVerifyReady())
        await screen.findByText(/The browser blocked the national ID window/)
        expect(screen.getByRole('button', { name: 'Continue in this window' })).toBeInTheDocument()
        await user.click(screen.getByRole('button', { name: 'Register manually' }))
        expect(screen.getByTestId('unverified-badge')).toBeInTheDocument()

        await user.type(input('fullName'), 'Kumari Silva')
        setValue('birthDate', '1999-02-03')
        await fillPregnancy()
        await user.click(screen.getByRole('button', { name: 'Save and issue PHN' }))
        await screen.findByText('Saved in DHIS2 and in the national record')
        const payload = dhis2.requests.find((r) => r.resource === 'tracker')?.data as TrackerPayload
        const attrs = payload.trackedEntities?.[0]?.attributes ?? []
        expect(attrs).toContainEqual({
            attribute: ATTRIBUTES.verificationStatus,
            value: 'UNVERIFIED',
        })
        expect(attrs.some((a) => a.attribute === ATTRIBUTES.esignetSub)).toBe(false)
        open.mockRestore()
    })

    it('finishes a "continue in this window" verification when she comes back to the form', async () => {
        const dhis2 = fakeDhis2()
        const completeVerifyInThisWindow = jest.fn().mockImplementation(() => verified()())
        renderApp(dhis2, { completeVerifyInThisWindow })
        await screen.findByTestId('verified-badge')
        expect(input('fullName')).toHaveValue('Nimali Perera')
        expect(input('fullName')).toHaveAttribute('readonly')
        expect(completeVerifyInThisWindow).toHaveBeenCalledTimes(1)
    })

    it('tells a midwife the relay refuses to ask for access, with no pointless "Try again"', async () => {
        const dhis2 = fakeDhis2()
        const verifyIdentity = jest.fn().mockResolvedValue({
            kind: 'relayForbidden',
            message: 'Your account is not allowed to use national ID verification.',
        })
        renderApp(dhis2, { verifyIdentity })
        const user = userEvent.setup()
        await user.click(await waitForVerifyReady())
        await screen.findByText(/Your account is not allowed/)
        expect(screen.getByRole('button', { name: 'Register manually' })).toBeInTheDocument()
        expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull()
    })

    it('says when verification is unavailable (relay down) and keeps the form open for manual entry', async () => {
        const dhis2 = fakeDhis2({ relayConfig: 'down' })
        renderApp(dhis2)
        await screen.findByText(/National ID verification is not available right now/, undefined, {
            timeout: 5000,
        })
        expect(screen.getByRole('button', { name: 'Verify with National ID' })).toBeDisabled()
        expect(input('fullName')).not.toHaveAttribute('readonly')
    })

    it('refuses implausible values with the allowed range and keeps everything typed', async () => {
        const dhis2 = fakeDhis2()
        renderApp(dhis2)
        const user = userEvent.setup()
        await screen.findByRole('form', { name: 'Register a pregnant woman' })
        await user.type(input('fullName'), 'Kumari Silva')
        setValue('birthDate', '1999-02-03')
        await fillPregnancy()
        setValue('systolic', '400')
        setValue('parity', '3')
        setValue('lmp', '2027-01-01')
        await user.click(screen.getByRole('button', { name: 'Save and issue PHN' }))
        expect(await screen.findByText('Enter a value between 50 and 300.')).toBeInTheDocument()
        expect(screen.getByText('Parity must be less than gravida.')).toBeInTheDocument()
        expect(screen.getByText('The LMP cannot be in the future.')).toBeInTheDocument()
        expect(document.activeElement).toBe(input('lmp'))
        expect(dhis2.requests.some((r) => r.resource === 'tracker')).toBe(false)
        expect(input('fullName')).toHaveValue('Kumari Silva')
    })

    it('warns of a similar person (name + DOB + phone) and lets her register after confirming', async () => {
        const dhis2 = fakeDhis2({
            people: [
                existingPerson({
                    [ATTRIBUTES.esignetSub]: '',
                    [ATTRIBUTES.phone]: '+94771234567',
                    [ATTRIBUTES.fullName]: 'Nimalee Perera',
                }),
            ],
        })
        renderApp(dhis2)
        const user = userEvent.setup()
        await screen.findByRole('form', { name: 'Register a pregnant woman' })
        await user.type(input('fullName'), 'Nimali Perera')
        setValue('birthDate', '1996-05-14')
        await user.type(input('phone'), '077 123 4567')
        await screen.findByText('She may already be registered')
        await fillPregnancy()
        await user.click(screen.getByRole('button', { name: 'Save and issue PHN' }))
        expect(dhis2.requests.some((r) => r.resource === 'tracker')).toBe(false)
        await user.click(
            screen.getByRole('button', { name: 'She is a different person: register her' })
        )
        await user.click(screen.getByRole('button', { name: 'Save and issue PHN' }))
        await screen.findByText('Saved in DHIS2 and in the national record')
    })
})

describe('FHIR failure', () => {
    it('keeps the DHIS2 record, says it will sync, and shows the pending count with retry', async () => {
        const dhis2 = fakeDhis2()
        const pushFhir = jest.fn().mockRejectedValue(new Error('502 Bad Gateway from route'))
        renderApp(dhis2, { verifyIdentity: verified(), pushFhir })
        const user = userEvent.setup()
        await screen.findByText('All records are in the national record')
        await user.click(await waitForVerifyReady())
        await screen.findByTestId('verified-badge')
        await fillPregnancy()
        await user.click(screen.getByRole('button', { name: 'Save and issue PHN' }))

        await screen.findByText('Saved in DHIS2; the national record will follow')
        expect(dhis2.people.size).toBe(1)
        expect(dhis2.outbox.size).toBe(1)
        await screen.findByText('1 record waiting to reach the national record')

        pushFhir.mockResolvedValue({ resourceType: 'Bundle' })
        await user.click(screen.getByRole('button', { name: 'Retry now' }))
        await screen.findByText('All records are in the national record')
        expect(dhis2.outbox.size).toBe(0)
        await act(async () => undefined)
    })
})

/** Fills the pregnancy, saves once the duplicate check settled; the attributes sent to DHIS2. */
async function saveAndReadAttributes(dhis2: ReturnType<typeof fakeDhis2>) {
    await fillPregnancy()
    await waitFor(() => expect(screen.queryByText('Checking for an existing record…')).toBeNull())
    await userEvent.setup().click(screen.getByRole('button', { name: 'Save and issue PHN' }))
    await screen.findByText('Saved in DHIS2 and in the national record')
    expect(screen.queryByText(/were ignored/)).toBeNull()
    const payload = dhis2.requests.find((r) => r.resource === 'tracker')?.data as TrackerPayload
    return payload.trackedEntities?.[0]?.attributes ?? []
}

describe("the operator's settings from the DHIS2 datastore", () => {
    it('issue the PHN, map the phone and write the FHIR identifier as configured', async () => {
        const dhis2 = fakeDhis2({
            config: {
                'phn-config': { algorithm: 'luhn', displayGroups: [5, 5] },
                'fhir-config': { systems: { phn: 'https://nehr.example.lk/id/phn' } },
                'claims-mapping': {
                    phone: { defaultCountryCode: '91', nationalNumberLengths: [10] },
                },
            },
        })
        const pushFhir = jest.fn().mockResolvedValue({ resourceType: 'Bundle' })
        renderApp(dhis2, { verifyIdentity: verified(), pushFhir })
        const user = userEvent.setup()
        await user.click(await waitForVerifyReady())
        await screen.findByTestId('verified-badge')
        await user.type(input('phone'), '09876543210')
        const attrs = await saveAndReadAttributes(dhis2)
        // Serial 000000001 with a Luhn check digit (Verhoeff, the default, would give 6).
        expect(attrs).toContainEqual({ attribute: ATTRIBUTES.phn, value: '0000000018' })
        expect(attrs).toContainEqual({ attribute: ATTRIBUTES.phone, value: '+919876543210' })
        const patient = pushedPatient(pushFhir)
        expect(patient.identifier).toContainEqual(
            expect.objectContaining({
                system: 'https://nehr.example.lk/id/phn',
                value: '0000000018',
            })
        )
        const card = screen.getByRole('article', { name: 'Personal Health Number card' })
        expect(within(card).getByText('00000 00018')).toBeInTheDocument()
    })

    it("the claims mapping's attributeOf decides where each field is kept: form, DHIS2 and FHIR alike", async () => {
        // The operator keeps the mobile number in another attribute and does not store email.
        const dhis2 = fakeDhis2({
            config: { 'claims-mapping': { attributeOf: { phone: 'ancAttrMob1', email: null } } },
        })
        const pushFhir = jest.fn().mockResolvedValue({ resourceType: 'Bundle' })
        renderApp(dhis2, {
            verifyIdentity: verified({ ...NIMALI_CLAIMS, phone_number: '077 123 4567' }),
            pushFhir,
        })
        const user = userEvent.setup()
        expect(document.querySelector('[name="email"]')).toBeNull()
        await user.click(await waitForVerifyReady())
        await screen.findByTestId('verified-badge')
        // The verified phone reaches the form (locked), though it lives in another attribute.
        expect(input('phone')).toHaveValue('+94771234567')
        expect(input('phone')).toHaveAttribute('readonly')
        const attrs = await saveAndReadAttributes(dhis2)
        expect(attrs).toContainEqual({ attribute: 'ancAttrMob1', value: '+94771234567' })
        expect(attrs.some((a) => a.attribute === ATTRIBUTES.phone)).toBe(false)
        expect(attrs.some((a) => a.attribute === ATTRIBUTES.email)).toBe(false)
        const patient = pushedPatient(pushFhir) as { telecom?: unknown[] }
        expect(patient.telecom).toEqual([{ system: 'phone', value: '+94771234567', use: 'mobile' }])
    })

    it('a refused setting: she is warned, and the default is used', async () => {
        const dhis2 = fakeDhis2({ config: { 'phn-config': { algorithm: 'crc32' } } })
        renderApp(dhis2, { verifyIdentity: verified() })
        const user = userEvent.setup()
        expect(
            await screen.findByText(
                "The administrator's setting phn-config.algorithm was ignored and the default used."
            )
        ).toBeInTheDocument()
        // The warning does not block: she registers as usual, with the default check digit.
        await user.click(await waitForVerifyReady())
        await screen.findByTestId('verified-badge')
        await fillPregnancy()
        await user.click(screen.getByRole('button', { name: 'Save and issue PHN' }))
        await screen.findByText('Saved in DHIS2 and in the national record')
        const payload = dhis2.requests.find((r) => r.resource === 'tracker')?.data as TrackerPayload
        expect(payload.trackedEntities?.[0]?.attributes).toContainEqual({
            attribute: ATTRIBUTES.phn,
            value: '0000000016',
        })
    })

    it('the datastore failing: no form and no PHN issued, an error with retry instead', async () => {
        const options = { configDown: true }
        const dhis2 = fakeDhis2(options)
        renderApp(dhis2)
        // The app's QueryClient retries once before giving up.
        expect(
            await screen.findByText('The settings could not be loaded', undefined, {
                timeout: 5000,
            })
        ).toBeInTheDocument()
        expect(screen.queryByRole('form', { name: 'Register a pregnant woman' })).toBeNull()
        options.configDown = false
        await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }))
        expect(
            await screen.findByRole('form', { name: 'Register a pregnant woman' })
        ).toBeInTheDocument()
        expect(dhis2.requests.some((r) => r.resource.includes('/generate'))).toBe(false)
    })
})
