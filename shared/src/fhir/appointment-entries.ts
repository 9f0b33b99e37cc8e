/**
 * The pregnancy's Appointments, keyed `<enrollment>-<contact number>`: contacts already attended
 * are `fulfilled` (linked from their Encounter), pending WHO contacts `proposed` with a requested
 * period (due date to the day before overdue), expired ones (and all, once the enrollment is no
 * longer active) `cancelled`. Keyed by contact number, a later push turns the earlier proposal
 * into the fulfilled one instead of leaving it dangling.
 */
import type { Appointment, BundleEntry, Identifier, Patient, Reference } from '@medplum/fhirtypes'
import type { FhirMappingConfig } from './config'
import { appointmentUrn } from './contact-entries'
import { preparedCodes, upsertEntry } from './entries'
import type { Pregnancy } from './pregnancy'

export function appointmentEntries(
    pregnancy: Pregnancy,
    patient: Reference<Patient>,
    config: FhirMappingConfig,
    /** Which fulfilled appointments (by contact number); default all. Pending ones always. */
    fulfilled: (ordinal: number) => boolean = () => true
): BundleEntry[] {
    const { schedule, enrollment } = pregnancy
    if (!schedule) return []
    const codes = preparedCodes(config)
    const offset = config.appointment.timeZoneOffset
    const identifier = (ordinal: number): Identifier => ({
        system: config.systems.appointment,
        value: `${enrollment.enrollment}-${ordinal}`,
    })
    const entries: BundleEntry[] = []
    const participant = [{ actor: patient, status: 'accepted' as const }]
    for (const a of schedule.attended) {
        if (!fulfilled(a.ordinal)) continue
        const id = identifier(a.ordinal)
        const appointment: Appointment = {
            resourceType: 'Appointment',
            identifier: [id],
            status: 'fulfilled',
            serviceType: codes.serviceType,
            description: `ANC contact ${a.ordinal}`,
            start: `${a.date}T00:00:00${offset}`,
            end: `${a.date}T23:59:59${offset}`,
            participant,
        }
        entries.push(upsertEntry(appointmentUrn(pregnancy, a.ordinal), appointment, id))
    }
    const active = enrollment.status === 'ACTIVE'
    const pending = [{ actor: patient, status: 'needs-action' as const }]
    for (const c of schedule.planned) {
        const id = identifier(c.ordinal)
        const appointment: Appointment = {
            resourceType: 'Appointment',
            identifier: [id],
            status: !active || c.status === 'expired' ? 'cancelled' : 'proposed',
            serviceType: codes.serviceType,
            description: `ANC contact ${c.ordinal} (${c.targetGaWeeks} weeks)`,
            requestedPeriod: [{ start: c.dueDate, end: c.overdueFrom }],
            participant: pending,
        }
        entries.push(upsertEntry(appointmentUrn(pregnancy, c.ordinal), appointment, id))
    }
    return entries
}
