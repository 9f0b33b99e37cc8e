/**
 * Patients to fill a FHIR server for search benches, written the way the apps write: one
 * transaction of conditional `PUT Type?identifier=` upserts with `urn:uuid` references. Each is a
 * Patient with a PHN and `observationsPerPatient` blood-pressure Observations.
 */
import { randomUUID } from 'node:crypto'
import type { Bundle, BundleEntry } from '@medplum/fhirtypes'

export const PHN_SYSTEM = 'http://fhir.health.gov.lk/ips/identifier/phn'
const EVENT_SYSTEM = 'urn:dhis2:event'

export function syntheticPatientsBundle(options: {
    /** Index of the first patient; patients are numbered so runs can address them. */
    first: number
    count: number
    observationsPerPatient: number
    phnOf: (index: number) => string
}): Bundle {
    const entry: BundleEntry[] = []
    for (let i = options.first; i < options.first + options.count; i++) {
        const phn = options.phnOf(i)
        const patientUrn = `urn:uuid:${randomUUID()}`
        entry.push({
            fullUrl: patientUrn,
            resource: {
                resourceType: 'Patient',
                identifier: [{ system: PHN_SYSTEM, value: phn }],
                name: [{ family: `Family${i % 500}`, given: ['Nimali'] }],
                gender: 'female',
                birthDate: `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
            },
            request: { method: 'PUT', url: `Patient?identifier=${PHN_SYSTEM}|${phn}` },
        })
        for (let j = 0; j < options.observationsPerPatient; j++) {
            const eventId = `e${phn}-${j}`
            entry.push({
                fullUrl: `urn:uuid:${randomUUID()}`,
                resource: {
                    resourceType: 'Observation',
                    identifier: [{ system: EVENT_SYSTEM, value: eventId }],
                    status: 'final',
                    code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
                    subject: { reference: patientUrn },
                    effectiveDateTime: '2026-03-01T10:00:00Z',
                    valueQuantity: {
                        value: 110 + j,
                        unit: 'mm[Hg]',
                        system: 'http://unitsofmeasure.org',
                        code: 'mm[Hg]',
                    },
                },
                request: {
                    method: 'PUT',
                    url: `Observation?identifier=${EVENT_SYSTEM}|${eventId}`,
                },
            })
        }
    }
    return { resourceType: 'Bundle', type: 'transaction', entry }
}
