import { addDays } from '@anc/shared/anc'
import { AppRoot } from '@anc/shared/app'
import { FhirClientError, mergeFhirMappingConfig } from '@anc/shared/fhir'
import { DATA_ELEMENTS, PROGRAM_STAGES } from '@anc/shared/metadata'
import { checkPhn, mergePhnConfig, phnFromSerial } from '@anc/shared/phn'
import type { DataValue, TrackedEntity } from '@anc/shared/tracker'
import { httpError } from '@anc/shared/test-support'
import { CustomDataProvider } from '@dhis2/app-runtime'
import type { Bundle, Encounter, Observation } from '@medplum/fhirtypes'
import { QueryClient } from '@tanstack/react-query'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import React from 'react'
import { DoctorPages } from './App'
import { DoctorProvider } from './common/context'
import {
    bumpVersion,
    fakeFhir,
    phnOf,
    storedSearchset,
    TODAY,
    trackedEntityWithContacts,
    type FakeFhir,
} from '../test-support/fixtures'

// jsdom has no canvas: keep what each chart was given.
interface MockChart {
    data: { datasets: { label: string; data: { x: string | number }[] }[] }
    options: { scales: { x: { type: string; title: { text: string } } } }
}
const mockCharts: MockChart[] = []
jest.mock('react-chartjs-2', () => ({
    Line: (props: MockChart) => {
        mockCharts.push(props)
        return null
    },
}))

interface Dhis2Call {
    type: string
    resource: string
    id?: string
    data?: unknown
}

/**
 * What an operator stored in the datastore (namespace `anc`), by key; absent keys answer 404, an
 * Error is thrown as the datastore's failure.
 */
type StoredConfig = Partial<Record<'claims-mapping' | 'fhir-config' | 'phn-config', unknown>>

function dhis2(te: TrackedEntity | null, config: StoredConfig = {}) {
    const calls: Dhis2Call[] = []
    const outbox = new Map<string, unknown>()
    const configKey = (key: keyof StoredConfig) => () => {
        if (!Object.hasOwn(config, key)) throw httpError(404)
        if (config[key] instanceof Error) throw config[key]
        return config[key]
    }
    const known: Record<string, unknown> = {
        'dataStore/anc/claims-mapping': configKey('claims-mapping'),
        'dataStore/anc/fhir-config': configKey('fhir-config'),
        'dataStore/anc/phn-config': configKey('phn-config'),
        me: { id: 'doctorUser1' },
        'tracker/trackedEntities': (type: string, query: { id?: string }) => {
            calls.push({
                type,
                resource: 'tracker/trackedEntities',
                ...(query.id ? { id: query.id } : {}),
            })
            return te
        },
        tracker: (type: string, query: { data?: unknown }) => {
            calls.push({ type, resource: 'tracker', data: query.data })
            return { status: 'OK', validationReport: { errorReports: [] }, stats: {} }
        },
        // The namespace lists its keys; with an id, one entry (as DHIS2 answers both).
        'dataStore/anc-outbox': (type: string, query: { id?: string }) =>
            type !== 'read' ? {} : query.id ? outbox.get(query.id) : [...outbox.keys()],
    }
    const data = new Proxy(known, {
        get(target, resource: string) {
            if (resource.startsWith('dataStore/anc-outbox/')) {
                return (type: string, query: { data?: unknown }) => {
                    calls.push({ type, resource, data: query.data })
                    outbox.set(resource.slice('dataStore/anc-outbox/'.length), query.data)
                    return { httpStatus: 'Created' }
                }
            }
            return target[resource]
        },
    })
    return { data, calls, outbox }
}

function renderApp(
    fhir: FakeFhir,
    te: TrackedEntity | null,
    hash = '#/find',
    config: StoredConfig = {}
) {
    window.location.hash = hash
    const backend = dhis2(te, config)
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    const view = render(
        <CustomDataProvider data={backend.data as never}>
            <AppRoot queryClient={queryClient}>
                <DoctorProvider fhir={fhir} today={() => TODAY}>
                    <DoctorPages />
                </DoctorProvider>
            </AppRoot>
        </CustomDataProvider>
    )
    return { ...view, backend }
}

async function openByTyping(phn: string) {
    const user = userEvent.setup()
    const input = await screen.findByLabelText(/Personal Health Number/)
    await user.type(input, phn)
    await user.click(screen.getByRole('button', { name: 'Open record' }))
    return user
}

/** Types a blood pressure into the visit form and saves the visit. */
async function saveBloodPressure(
    user: ReturnType<typeof userEvent.setup>,
    systolic: string,
    diastolic: string
) {
    await user.type(screen.getByLabelText(/Systolic blood pressure/), systolic)
    await user.type(screen.getByLabelText(/Diastolic blood pressure/), diastolic)
    await user.click(screen.getByRole('button', { name: 'Save visit' }))
}

afterEach(() => {
    localStorage.clear()
    window.location.hash = ''
})

describe('finding a patient', () => {
    test('the PHN is checked as it is typed: incomplete, wrong check digit, valid', async () => {
        const te = trackedEntityWithContacts(3)
        renderApp(fakeFhir([storedSearchset(te)]), te)
        const user = userEvent.setup()
        const input = await screen.findByLabelText(/Personal Health Number/)
        const open = screen.getByRole('button', { name: 'Open record' })
        await user.type(input, '123')
        expect(screen.getByText('7 more digits')).toBeInTheDocument()
        expect(open).toBeDisabled()
        const phn = phnOf(te)
        const wrong = phn.slice(0, 9) + String((Number(phn[9]) + 1) % 10)
        await user.clear(input)
        await user.type(input, wrong)
        expect(screen.getByText(/the last digit does not match/)).toBeInTheDocument()
        expect(open).toBeDisabled()
        await user.clear(input)
        await user.type(input, '12a')
        expect(screen.getByText('A PHN has digits only.')).toBeInTheDocument()
        await user.clear(input)
        await user.type(input, `${phn.slice(0, 3)} ${phn.slice(3, 6)} ${phn.slice(6)}`)
        expect(checkPhn(phn).kind).toBe('valid')
        expect(screen.getByText('Valid PHN')).toBeInTheDocument()
        expect(open).toBeEnabled()
    })

    test('a PHN with no record says so, distinctly, and offers to search again', async () => {
        const te = trackedEntityWithContacts(3)
        renderApp(fakeFhir([storedSearchset(te)]), te)
        // A valid PHN (check digit right) that nobody holds.
        await openByTyping('1234567897'.slice(0, 9) + String(checkDigitFor('123456789')))
        expect(await screen.findByText('No record with this PHN')).toBeInTheDocument()
        expect(screen.getByRole('button', { name: 'Find another patient' })).toBeInTheDocument()
    })

    test('FHIR unreachable and session expired each have their own message', async () => {
        const te = trackedEntityWithContacts(3)
        const fhir = fakeFhir([storedSearchset(te)])
        fhir.failWith = new FhirClientError('server', 'HTTP 502', 502)
        const first = renderApp(fhir, te, `#/patient/${phnOf(te)}`)
        expect(await screen.findByText('The national record cannot be reached')).toBeInTheDocument()
        expect(screen.queryByText('Your session has expired')).not.toBeInTheDocument()
        first.unmount()
        fhir.failWith = new FhirClientError('sessionExpired', 'the DHIS2 session has expired', 401)
        renderApp(fhir, te, `#/patient/${phnOf(te)}`)
        expect(await screen.findByText('Your session has expired')).toBeInTheDocument()
    })
})

function checkDigitFor(serial: string): number {
    for (let d = 0; d <= 9; d++) if (checkPhn(serial + d).kind === 'valid') return d
    throw new Error('no check digit')
}

describe('the record', () => {
    test('opens in one request and shows banner, flags, schedule, visits; remembered as recent', async () => {
        const te = trackedEntityWithContacts(3)
        const fhir = fakeFhir([storedSearchset(te)])
        renderApp(fhir, te)
        await openByTyping(phnOf(te))
        const banner = await screen.findByRole('region', { name: 'Patient summary' })
        expect(within(banner).getByText('Nimali Perera')).toBeInTheDocument()
        expect(
            within(banner).getByText('Verified with national ID', { exact: false })
        ).toBeInTheDocument()
        expect(within(banner).getByText('2026-10-12')).toBeInTheDocument() // EDD = LMP + 280 days
        expect(screen.getByText('Visits (3)')).toBeInTheDocument()
        expect(screen.getByText(/Next: contact 4/)).toBeInTheDocument()
        expect(screen.getAllByText(/Overdue: contact/).length).toBeGreaterThan(0)
        expect(fhir.requests).toHaveLength(1)
        expect(fhir.requests[0]!.type).toBe('batch')
        expect(fhir.requests[0]!.entry?.[0]?.request?.url).toContain(`|${phnOf(te)}&_revinclude=`)
        expect(JSON.parse(localStorage.getItem('anc-doctor:recent:doctorUser1')!)[0]).toMatchObject(
            {
                phn: phnOf(te),
                name: 'Nimali Perera',
            }
        )
    })

    test('40 contacts and 600 observations open from one request, every contact on the timeline', async () => {
        const te = trackedEntityWithContacts(40)
        const set = storedSearchset(te, 9)
        const observations = set.entry!.filter((e) => e.resource?.resourceType === 'Observation')
        expect(observations.length).toBeGreaterThanOrEqual(600)
        const fhir = fakeFhir([set])
        renderApp(fhir, te, `#/patient/${phnOf(te)}`)
        expect(await screen.findByText('Visits (40)')).toBeInTheDocument()
        expect(screen.getByText('Contact 40')).toBeInTheDocument()
        expect(fhir.requests).toHaveLength(1)
    })

    test('trends are against gestational age; fundal height beside its expected band, Hb by date', async () => {
        const te = trackedEntityWithContacts(3)
        const [, second, third] = te.enrollments![0]!.events!
        // The first contact is at 12 weeks; move the others to 24 and 28 weeks (+3 days).
        second!.occurredAt = `${addDays('2026-01-05', 24 * 7)}T00:00:00.000`
        third!.occurredAt = `${addDays('2026-01-05', 28 * 7 + 3)}T00:00:00.000`
        const fundal = (value: string) => (d: DataValue) =>
            d.dataElement === DATA_ELEMENTS.fundalHeightCm ? { ...d, value } : d
        second!.dataValues = second!.dataValues.map(fundal('23'))
        third!.dataValues = third!.dataValues.map(fundal('29.5'))
        mockCharts.length = 0
        renderApp(fakeFhir([storedSearchset(te)]), te, `#/patient/${phnOf(te)}`)
        await screen.findByText('Visits (3)')

        const rows = (name: string) =>
            within(screen.getByRole('table', { name }))
                .getAllByRole('row')
                .map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent))
        expect(rows('Weight (kg)')).toEqual([
            ['Gestational age (weeks)', 'Date', 'Weight'],
            ['12', '2026-03-30', '58'],
            ['24', '2026-06-22', '58.3'],
            ['28', '2026-07-23', '58.6'],
        ])
        expect(rows('Fundal height against gestational age (cm)')).toEqual([
            ['Gestational age (weeks)', 'Date', 'Fundal height', 'Expected (±2 cm)'],
            ['24', '2026-06-22', '23', '24 (22–26)'],
            ['28', '2026-07-23', '29.5', '28 (26–30)'],
        ])

        const chartOf = (label: string) =>
            mockCharts.findLast((c) => c.data.datasets[0]?.label === label)!
        for (const label of ['Systolic', 'Weight', 'Fundal height']) {
            expect(chartOf(label).options.scales.x).toMatchObject({
                type: 'linear',
                title: { text: 'Gestational age (weeks)' },
            })
        }
        expect(chartOf('Systolic').data.datasets.map((d) => d.data.map((p) => p.x))).toEqual([
            [12, 24, 28],
            [12, 24, 28],
        ])
        expect(chartOf('Weight').data.datasets[0]!.data.map((p) => p.x)).toEqual([12, 24, 28])
        expect(chartOf('Fundal height').data.datasets.map((d) => d.label)).not.toContain(
            'Gestational age (weeks)'
        )
        expect(chartOf('Haemoglobin').options.scales.x.type).toBe('category')
    })

    test('risk flags from the latest contact are shown, red first', async () => {
        const te = trackedEntityWithContacts(3)
        const last = te.enrollments![0]!.events![2]!
        last.dataValues = last.dataValues.map((d) =>
            d.dataElement === 'ancDeSBP000'
                ? { ...d, value: '165' }
                : d.dataElement === 'ancDeDBP000'
                  ? { ...d, value: '112' }
                  : d
        )
        renderApp(fakeFhir([storedSearchset(te)]), te, `#/patient/${phnOf(te)}`)
        const flags = await screen.findByRole('region', { name: 'Risk flags' })
        const items = within(flags).getAllByRole('listitem')
        expect(items[0]).toHaveAttribute('data-severity', 'red')
        expect(within(flags).getAllByText('Urgent').length).toBeGreaterThan(0)
        expect(flags.textContent).toMatch(/hypertension|blood pressure/i)
    })
})

describe('recording a visit', () => {
    async function openRecord(fhir: FakeFhir, te: TrackedEntity) {
        const view = renderApp(fhir, te, `#/patient/${phnOf(te)}`)
        await screen.findByText('Visits (3)')
        return { ...view, user: userEvent.setup() }
    }

    test('ranges are checked and danger signs are highlighted as values are typed', async () => {
        const te = trackedEntityWithContacts(3)
        const { user } = await openRecord(fakeFhir([storedSearchset(te)]), te)
        await user.type(screen.getByLabelText(/Systolic blood pressure/), '400')
        expect(screen.getByText('Enter a value between 50 and 300.')).toBeInTheDocument()
        await user.clear(screen.getByLabelText(/Systolic blood pressure/))
        await user.type(screen.getByLabelText(/Systolic blood pressure/), '165')
        await user.type(screen.getByLabelText(/Diastolic blood pressure/), '112')
        const alert = await screen.findByText('Danger signs in this visit')
        expect(alert).toBeInTheDocument()
        await user.type(screen.getByRole('textbox', { name: 'Haemoglobin (g/dL)' }), '8.2')
        expect(screen.getAllByText('Anaemia').length).toBeGreaterThan(0)
        // Gestational age is computed from the LMP for the visit date.
        const form = screen.getByRole('form', { name: 'Record this visit' })
        expect(within(form).getByText('36 weeks 6 days')).toBeInTheDocument()
    })

    test('a saved visit is a DHIS2 event in the contact stage and one FHIR transaction guarded by If-Match', async () => {
        const te = trackedEntityWithContacts(3)
        const fhir = fakeFhir([storedSearchset(te)])
        const { user, backend } = await openRecord(fhir, te)
        await user.type(screen.getByLabelText(/Systolic blood pressure/), '118')
        await user.type(screen.getByLabelText(/Diastolic blood pressure/), '76')
        await user.type(screen.getByRole('textbox', { name: 'Weight (kg)' }), '66.5')
        await user.click(screen.getByRole('button', { name: 'Save visit' }))
        expect(await screen.findByText('Visit saved')).toBeInTheDocument()
        const imported = backend.calls.find((c) => c.resource === 'tracker')!.data as {
            events: {
                programStage: string
                occurredAt: string
                dataValues: { dataElement: string; value: string }[]
            }[]
        }
        expect(imported.events[0]).toMatchObject({
            programStage: PROGRAM_STAGES.contact,
            occurredAt: TODAY,
        })
        expect(imported.events[0]!.dataValues).toEqual(
            expect.arrayContaining([
                { dataElement: 'ancDeSBP000', value: '118' },
                { dataElement: 'ancDeWght00', value: '66.5' },
            ])
        )
        const tx = fhir.requests.find((r) => r.type === 'transaction') as Bundle
        const types = tx.entry!.map((e) => e.resource!.resourceType)
        expect(types.filter((t) => t === 'Encounter')).toHaveLength(1)
        expect(types).toContain('Observation')
        expect(types).toContain('Appointment')
        expect(types).not.toContain('Patient')
        const enc = tx.entry!.find((e) => e.resource!.resourceType === 'Encounter')!
            .resource as Encounter
        const patientId = storedSearchset(te).entry![0]!.resource!.id
        expect(enc.subject?.reference).toBe(`Patient/${patientId}`)
        const obs = tx
            .entry!.filter((e) => e.resource!.resourceType === 'Observation')
            .map((e) => e.resource as Observation)
        expect(obs.some((o) => o.component?.[0]?.valueQuantity?.value === 118)).toBe(true)
        const guarded = tx.entry!.filter((e) => e.request?.ifMatch)
        expect(guarded.length).toBeGreaterThan(0)
        expect(
            guarded.every(
                (e) => e.request!.ifMatch === 'W/"1"' && /^Appointment\//.test(e.request!.url)
            )
        ).toBe(true)
    })

    test('if the record changed since it was opened, the doctor is told and nothing is written', async () => {
        const te = trackedEntityWithContacts(3)
        const fhir = fakeFhir([storedSearchset(te)])
        const { user, backend } = await openRecord(fhir, te)
        const appointment = [...fhir.store.values()].find(
            (r) => r.resourceType === 'Appointment' && r.status === 'proposed'
        )!
        act(() => bumpVersion(fhir, `Appointment/${appointment.id}`))
        await saveBloodPressure(user, '118', '76')
        expect(
            await screen.findByText('This record changed since you opened it')
        ).toBeInTheDocument()
        expect(screen.getByRole('button', { name: 'Reload the record' })).toBeInTheDocument()
        expect(backend.calls.some((c) => c.resource === 'tracker')).toBe(false)
        expect(fhir.requests.some((r) => r.type === 'transaction')).toBe(false)
        // What she typed is still there.
        expect(screen.getByLabelText(/Systolic blood pressure/)).toHaveValue('118')
    })

    test('a 412 from FHIR at write time is reported as a conflict, not queued to overwrite', async () => {
        const te = trackedEntityWithContacts(3)
        const fhir = fakeFhir([storedSearchset(te)])
        fhir.failTransactionsWith = new FhirClientError('preconditionFailed', 'HTTP 412', 412)
        const { user, backend } = await openRecord(fhir, te)
        await user.click(screen.getByRole('button', { name: 'Save visit' }))
        expect(
            await screen.findByText('The national record changed while you were saving')
        ).toBeInTheDocument()
        expect(backend.outbox.size).toBe(0)
    })

    test('FHIR down at write time: the visit is saved in DHIS2 and the push waits in the outbox', async () => {
        const te = trackedEntityWithContacts(3)
        const fhir = fakeFhir([storedSearchset(te)])
        fhir.failTransactionsWith = new FhirClientError('server', 'HTTP 502', 502)
        const { user, backend } = await openRecord(fhir, te)
        await saveBloodPressure(user, '118', '76')
        expect(
            await screen.findByText('Visit saved in DHIS2; the national record will follow')
        ).toBeInTheDocument()
        await waitFor(() => expect(backend.outbox.size).toBe(1))
        // The header says so at once, not at the next poll.
        expect(
            await screen.findByText('1 record waiting to reach the national record')
        ).toBeInTheDocument()
        const entry = [...backend.outbox.values()][0] as { payload: Bundle; kind: string }
        expect(entry.kind).toBe('fhir-transaction')
        expect(entry.payload.type).toBe('transaction')
        expect(entry.payload.entry!.some((e) => e.request?.ifMatch)).toBe(false)
    })
    test('FHIR gone since the record opened: the visit is still saved in DHIS2 and queued', async () => {
        const te = trackedEntityWithContacts(3)
        const fhir = fakeFhir([storedSearchset(te)])
        const { user, backend } = await openRecord(fhir, te)
        // The route answers 502 to everything now, the version check included.
        fhir.failWith = new FhirClientError('server', 'HTTP 502', 502)
        await saveBloodPressure(user, '118', '76')
        expect(
            await screen.findByText('Visit saved in DHIS2; the national record will follow')
        ).toBeInTheDocument()
        expect(backend.calls.filter((c) => c.resource === 'tracker')).toHaveLength(1)
        await waitFor(() => expect(backend.outbox.size).toBe(1))
        // No second wait on a server known to be down: the check failed, the write was queued.
        expect(fhir.requests.filter((r) => r.type === 'transaction')).toHaveLength(0)
    })
})

describe("the operator's settings from the DHIS2 datastore", () => {
    const NEHR_PHN = 'https://nehr.example.lk/id/phn'
    const EVENT_SYSTEM = 'https://dhis2.example.lk/id/event'
    const stored: StoredConfig = {
        'fhir-config': { systems: { phn: NEHR_PHN, event: EVENT_SYSTEM } },
        'phn-config': { displayGroups: [5, 5] },
    }

    test('the record is found and the visit written with the configured identifier systems', async () => {
        const te = trackedEntityWithContacts(3)
        // The national record holds what the registration app wrote with the same settings.
        const fhir = fakeFhir([
            storedSearchset(te, 0, mergeFhirMappingConfig(stored['fhir-config']).config),
        ])
        const { backend } = renderApp(fhir, te, '#/find', stored)
        const user = await openByTyping(phnOf(te))
        const banner = await screen.findByRole('region', { name: 'Patient summary' })
        expect(
            within(banner).getByText(`${phnOf(te).slice(0, 5)} ${phnOf(te).slice(5)}`)
        ).toBeInTheDocument()
        expect(fhir.requests[0]!.entry?.[0]?.request?.url).toMatch(
            new RegExp(`^Patient\\?identifier=${encodeURIComponent(NEHR_PHN)}\\|${phnOf(te)}&`)
        )
        expect(screen.getByText('Visits (3)')).toBeInTheDocument()

        await saveBloodPressure(user, '118', '76')
        expect(await screen.findByText('Visit saved')).toBeInTheDocument()
        const event = (
            backend.calls.find((c) => c.resource === 'tracker')!.data as {
                events: { event: string }[]
            }
        ).events[0]!.event
        const tx = fhir.requests.find((r) => r.type === 'transaction') as Bundle
        const enc = tx.entry!.find((e) => e.resource!.resourceType === 'Encounter')!
            .resource as Encounter
        expect(enc.identifier).toContainEqual(
            expect.objectContaining({ system: EVENT_SYSTEM, value: event })
        )
    })

    test('the PHN is checked in the configured format (length and check digit)', async () => {
        const luhn11 = { serialLength: 11, algorithm: 'luhn' }
        const te = trackedEntityWithContacts(3)
        renderApp(fakeFhir([storedSearchset(te)]), te, '#/find', { 'phn-config': luhn11 })
        const user = userEvent.setup()
        const input = await screen.findByLabelText(/Personal Health Number/)
        expect(screen.getByText('The PHN has 12 digits.')).toBeInTheDocument()
        // A valid PHN of the default format is two digits short here.
        await user.type(input, phnOf(te))
        expect(screen.getByText('2 more digits')).toBeInTheDocument()
        await user.clear(input)
        await user.type(input, phnFromSerial('12345678901', mergePhnConfig(luhn11).config))
        expect(screen.getByText('Valid PHN')).toBeInTheDocument()
    })

    test('a refused setting is reported and the default used; the doctor can work on', async () => {
        const te = trackedEntityWithContacts(3)
        renderApp(fakeFhir([storedSearchset(te)]), te, '#/find', {
            'fhir-config': { systems: { phn: 'not a uri' } },
        })
        expect(
            await screen.findByText(
                "The administrator's setting fhir-config.systems was ignored and the default used."
            )
        ).toBeInTheDocument()
        await openByTyping(phnOf(te))
        expect(await screen.findByText('Visits (3)')).toBeInTheDocument()
    })

    test('the eSignet claims mapping, which the doctor never applies, is not read', async () => {
        const te = trackedEntityWithContacts(3)
        renderApp(fakeFhir([storedSearchset(te)]), te, '#/find', {
            'claims-mapping': httpError(500),
            'phn-config': { displayGroups: 'x' },
        })
        // Its failure would stop the app, so reaching the find screen shows it was not read; the
        // PHN setting the doctor does apply is still checked and reported.
        expect(await screen.findByLabelText(/Personal Health Number/)).toBeInTheDocument()
        expect(
            screen.getByText(
                "The administrator's setting phn-config.displayGroups was ignored and the default used."
            )
        ).toBeInTheDocument()
        expect(screen.queryByText(/claims-mapping/)).toBeNull()
    })

    test('the datastore failing is an error with retry, not a find screen on defaults', async () => {
        const te = trackedEntityWithContacts(3)
        renderApp(fakeFhir([storedSearchset(te)]), te, '#/find', {
            'phn-config': httpError(500),
        })
        expect(await screen.findByText('The settings could not be loaded')).toBeInTheDocument()
        expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument()
        expect(screen.queryByLabelText(/Personal Health Number/)).toBeNull()
    })
})
