/**
 * Opens a woman's whole record from the national FHIR record in ONE request through the DHIS2
 * route: a `batch` POST whose single entry is an identifier search on the PHN with every
 * resource of her record reverse-included. Why this shape:
 * - the `|` of `identifier=system|value` would break the route's query string (DHIS2 2.42.4+),
 *   but travels untouched inside a JSON body;
 * - `_revinclude` results are not paged (paging applies to the matched Patient only), so a record
 *   with 40 contacts and 600 observations arrives whole, with no `next` link to follow;
 * - `Patient/$everything` would need her server id first: a second round trip.
 * The versions (`meta.versionId`) of what was read are kept, so a save can refuse to overwrite
 * anything that changed since (If-Match).
 */
import {
    batchGet,
    FhirClientError,
    bundleToAncRecord,
    DEFAULT_FHIR_MAPPING,
    unwrapBatchEntry,
    type AncRecordView,
    type FhirMappingConfig,
} from '@anc/shared/fhir'
import type { Bundle, Resource } from '@medplum/fhirtypes'

/** What the record view needs of the FHIR client (AncFhirClient fits). */
export interface FhirTransport {
    transaction(bundle: Bundle): Promise<Bundle>
}

/** Resource types of an ANC record, each with the search parameter that points at the Patient. */
export const RECORD_REVINCLUDES = [
    'Encounter:subject',
    'Observation:subject',
    'Appointment:patient',
    'EpisodeOfCare:patient',
    'Condition:subject',
] as const

export class PatientNotFoundError extends Error {
    constructor(readonly phn: string) {
        super(`no record with PHN ${phn}`)
        this.name = 'PatientNotFoundError'
    }
}

export interface OpenedRecord {
    phn: string
    /** The searchset as the server sent it (one Patient plus her resources). */
    bundle: Bundle
    record: AncRecordView
    /** `Type/id` → versionId of every resource read, for If-Match on save. */
    versions: Map<string, string>
    /** Server id of the Patient. */
    patientId: string
    /** DHIS2 tracked entity and enrollment UIDs from the FHIR identifiers. */
    trackedEntity: string | undefined
    enrollment: string | undefined
}

export function recordQuery(phn: string, config: FhirMappingConfig = DEFAULT_FHIR_MAPPING): string {
    const revincludes = RECORD_REVINCLUDES.map((r) => `&_revinclude=${r}`).join('')
    return `Patient?identifier=${encodeURIComponent(config.systems.phn)}|${encodeURIComponent(phn)}${revincludes}`
}

export function recordRequest(phn: string, config?: FhirMappingConfig): Bundle {
    return batchGet(recordQuery(phn, config))
}

export function versionsOf(bundle: Bundle): Map<string, string> {
    const versions = new Map<string, string>()
    for (const e of bundle.entry ?? []) {
        const r: Resource | undefined = e.resource
        if (r?.id && r.meta?.versionId) versions.set(`${r.resourceType}/${r.id}`, r.meta.versionId)
    }
    return versions
}

/** `config` is the operator's FHIR mapping (AncConfig.fhir): identifier systems and codes. */
export async function openRecordByPhn(
    fhir: FhirTransport,
    phn: string,
    today: string,
    config: FhirMappingConfig
): Promise<OpenedRecord> {
    const bundle = unwrapBatchEntry(await fhir.transaction(recordRequest(phn, config)))
    const patients = (bundle.entry ?? []).filter(
        (e) => e.resource?.resourceType === 'Patient' && e.search?.mode !== 'include'
    )
    const patient = patients[0]?.resource
    if (!patient || patient.resourceType !== 'Patient' || !patient.id)
        throw new PatientNotFoundError(phn)
    if (patients.length > 1)
        // A PHN is unique: two matches is a data error that must not be papered over.
        throw new FhirClientError('conflict', `${patients.length} records share PHN ${phn}`)
    const record = bundleToAncRecord(bundle, today, config)
    const episode = (bundle.entry ?? [])
        .map((e) => e.resource)
        .find((r) => r?.resourceType === 'EpisodeOfCare')
    return {
        phn,
        bundle,
        record,
        versions: versionsOf(bundle),
        patientId: patient.id,
        trackedEntity: patient.identifier?.find((i) => i.system === config.systems.trackedEntity)
            ?.value,
        enrollment:
            episode?.resourceType === 'EpisodeOfCare'
                ? episode.identifier?.find((i) => i.system === config.systems.enrollment)?.value
                : undefined,
    }
}
