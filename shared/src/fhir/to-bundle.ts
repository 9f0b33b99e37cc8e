/**
 * A woman's whole record as one FHIR R4 transaction Bundle, from DHIS2 tracker JSON: her
 * Patient, the pregnancy (Condition + EpisodeOfCare), every contact (Encounter + Observations)
 * and the Appointments of the WHO schedule, each made by its builder (patient-entry.ts,
 * pregnancy.ts, contact-entries.ts, appointment-entries.ts). Registration sends it whole; a
 * doctor's visit composes only the builders it needs (doctor-app save-visit.ts).
 */
import type { Bundle, BundleEntry } from '@medplum/fhirtypes'
import type { CalendarDate } from '../anc/dates'
import { DEFAULT_CLAIMS_MAPPING } from '../claims/config'
import { appointmentEntries } from './appointment-entries'
import { DEFAULT_FHIR_MAPPING, type FhirMappingConfig } from './config'
import { contactEntries } from './contact-entries'
import type {
    MappableEnrollment,
    MappableEvent,
    MappableTrackedEntity,
    MappingProblem,
} from './entries'
import { patientEntry, type PersonAttributes } from './patient-entry'
import { episodeUrn, pickAncEnrollment, pregnancyEntries, readPregnancy } from './pregnancy'

export interface TrackerToFhirInput {
    trackedEntity: MappableTrackedEntity
    /** The ANC enrollment; default: the latest enrollment in the configured program. */
    enrollment?: MappableEnrollment
    /** Default: the enrollment's events. */
    events?: readonly MappableEvent[]
    /** The day the schedule is evaluated for (appointment statuses): pass it, for determinism. */
    today: CalendarDate
}

export interface TrackerToFhirResult {
    bundle: Bundle
    problems: MappingProblem[]
}

/**
 * The settings the record is written with: the FHIR mapping and which attribute holds which of
 * her fields (the claims mapping's attributeOf). An app's AncConfig fits; each defaults to the
 * shipped one.
 */
export interface RecordMapping {
    fhir?: FhirMappingConfig
    claims?: PersonAttributes
}

export function trackerToFhirBundle(
    input: TrackerToFhirInput,
    settings: RecordMapping = {}
): TrackerToFhirResult {
    const fhir = settings.fhir ?? DEFAULT_FHIR_MAPPING
    const claims = settings.claims ?? DEFAULT_CLAIMS_MAPPING
    const problems: MappingProblem[] = []
    const te = input.trackedEntity
    const enrollment = input.enrollment ?? pickAncEnrollment(te, fhir.program)
    const patient = patientEntry(te, enrollment, { fhir, claims }, problems)
    const entries: BundleEntry[] = [patient.entry]
    if (enrollment) {
        const pregnancy = readPregnancy(
            { enrollment, events: input.events, today: input.today },
            fhir,
            problems
        )
        entries.push(...pregnancyEntries(pregnancy, patient.reference, fhir))
        const references = {
            patient: patient.reference,
            episode: { reference: episodeUrn(pregnancy) },
        }
        for (const contact of pregnancy.contacts)
            entries.push(...contactEntries(pregnancy, contact, references, fhir, problems))
        entries.push(...appointmentEntries(pregnancy, patient.reference, fhir))
    }
    return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries }, problems }
}
