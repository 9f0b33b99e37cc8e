/**
 * Temporary: what saveVisit sent to FHIR (and queued) before the mapping was split into
 * builders (golden.json: SHA-256 of the JSON of each case, written by the old code with
 * WRITE_GOLDEN=1), compared byte for byte.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { addDays } from '@anc/shared/anc'
import { DEFAULT_FHIR_MAPPING, FhirClientError, mergeFhirMappingConfig } from '@anc/shared/fhir'
import type { Engine, TrackedEntity } from '@anc/shared/tracker'
import type { Bundle } from '@medplum/fhirtypes'
import {
    fakeFhir,
    phnOf,
    storedSearchset,
    TODAY,
    trackedEntityWithContacts,
} from '../../test-support/fixtures'
import { openRecordByPhn } from '../record/open-record'
import { saveVisit, type VisitValues } from './save-visit'

const GOLDEN = path.join(__dirname, 'golden.json')

function engineFor(te: TrackedEntity): Engine {
    return {
        query: async () => ({ te }),
        mutate: async () => ({ status: 'OK', validationReport: { errorReports: [] }, stats: {} }),
    } as unknown as Engine
}

const FULL: VisitValues = {
    date: TODAY,
    systolic: 128,
    diastolic: 84,
    weightKg: 64.5,
    fundalHeightCm: 30,
    fetalHeartRate: 142,
    haemoglobinGdl: 10.9,
    urineProtein: 'TRACE',
    notes: 'Headache since yesterday',
    nextAppointment: addDays(TODAY, 14),
    gaWeeks: 36,
}

async function visit(options: {
    te: TrackedEntity
    values: VisitValues
    config?: typeof DEFAULT_FHIR_MAPPING
    /** Rearranges the opened searchset (the server's order of included resources). */
    order?: (bundle: Bundle) => Bundle
    failWrite?: boolean
}) {
    const config = options.config ?? DEFAULT_FHIR_MAPPING
    let searchset = storedSearchset(options.te, 0, config)
    if (options.order) searchset = options.order(searchset)
    const fhir = fakeFhir([searchset])
    const opened = await openRecordByPhn(fhir, phnOf(options.te), TODAY, config)
    if (options.failWrite) fhir.failTransactionsWith = new FhirClientError('network', 'down')
    const queued: Bundle[] = []
    const result = await saveVisit({
        engine: engineFor(options.te),
        fhir,
        outbox: {
            enqueue: async (bundle: Bundle) => {
                queued.push(bundle)
                return { key: 'k', payload: bundle } as never
            },
        },
        opened,
        values: options.values,
        today: TODAY,
        config,
        eventUid: 'EvVisit0001',
    })
    return { result, requests: fhir.requests.slice(1), queued }
}

function cases(): Record<string, () => Promise<unknown>> {
    const te = (contacts: number, n = 7) => trackedEntityWithContacts(contacts, n)
    return {
        'a full visit, next appointment booked': () => visit({ te: te(3), values: FULL }),
        'a short visit, no appointment': () =>
            visit({ te: te(5, 8), values: { date: TODAY, weightKg: 70, gaWeeks: 37 } }),
        'FHIR down at the write: queued': () =>
            visit({ te: te(4, 9), values: FULL, failWrite: true }),
        'a backdated visit between earlier contacts': () =>
            visit({
                te: te(6, 10),
                values: { date: addDays(TODAY, -150), systolic: 118, diastolic: 76 },
            }),
        'one contact only': () => visit({ te: te(1, 11), values: FULL }),
        'operator systems': () =>
            visit({
                te: te(3, 12),
                values: FULL,
                config: mergeFhirMappingConfig({
                    systems: { event: 'urn:test:event', appointment: 'urn:test:contact' },
                }).config,
            }),
    }
}

describe('saveVisit FHIR requests, byte for byte as before the builders', () => {
    const all = cases()
    const digest = (value: unknown) =>
        createHash('sha256').update(JSON.stringify(value)).digest('hex')
    if (process.env.WRITE_GOLDEN === '1') {
        it('writes golden.json', async () => {
            const golden: Record<string, string> = {}
            const full: Record<string, unknown> = {}
            for (const [name, make] of Object.entries(all)) {
                full[name] = await make()
                golden[name] = digest(full[name])
            }
            writeFileSync(GOLDEN, `${JSON.stringify(golden, null, 1)}\n`)
            if (process.env.GOLDEN_DUMP)
                writeFileSync(process.env.GOLDEN_DUMP, JSON.stringify(full))
        })
        return
    }
    const golden = existsSync(GOLDEN)
        ? (JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, string>)
        : {}
    it.each(Object.keys(all))('%s', async (name) => {
        expect(golden[name]).toBeDefined()
        const value = await all[name]!()
        if (process.env.GOLDEN_DUMP)
            writeFileSync(
                `${process.env.GOLDEN_DUMP}.${name.replace(/\W+/g, '-')}`,
                JSON.stringify(value)
            )
        expect(digest(value)).toBe(golden[name])
    })
})
