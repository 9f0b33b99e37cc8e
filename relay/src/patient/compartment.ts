import type { FhirReader, FhirResource } from './fhir'

/**
 * What a patient may see: her Patient resource and the resources of these types that point at
 * it. Membership is checked on every resource the FHIR server returns, whatever the search asked
 * for: a server that ignores a search parameter (Medplum's does, silently) must not leak others'
 * records.
 */
export const COMPARTMENT_TYPES = [
    'Patient',
    'EpisodeOfCare',
    'Condition',
    'Encounter',
    'Observation',
    'Appointment',
] as const
export type CompartmentType = (typeof COMPARTMENT_TYPES)[number]

/** The references through which a resource of each type belongs to a patient. */
function patientReferences(resource: FhirResource): unknown[] {
    switch (resource.resourceType) {
        case 'EpisodeOfCare':
            return [resource.patient]
        case 'Condition':
        case 'Encounter':
        case 'Observation':
            return [resource.subject]
        case 'Appointment':
            return Array.isArray(resource.participant)
                ? resource.participant.map((participant: { actor?: unknown }) => participant.actor)
                : []
        default:
            return []
    }
}

export function isCompartmentType(type: string): type is CompartmentType {
    return (COMPARTMENT_TYPES as readonly string[]).includes(type)
}

export function belongsToPatient(
    resource: FhirResource,
    patientId: string,
    fhirBaseUrl: string
): boolean {
    if (resource.resourceType === 'Patient') {
        return resource.id === patientId
    }
    if (!isCompartmentType(resource.resourceType)) {
        return false
    }
    return patientReferences(resource).some((ref) => referencesPatient(ref, patientId, fhirBaseUrl))
}

function referencesPatient(ref: unknown, patientId: string, fhirBaseUrl: string): boolean {
    if (typeof ref !== 'object' || ref === null) {
        return false
    }
    const raw = (ref as { reference?: unknown }).reference
    if (typeof raw !== 'string') {
        return false
    }
    let reference = raw
    if (reference.startsWith(`${fhirBaseUrl}/`)) {
        reference = reference.slice(fhirBaseUrl.length + 1)
    }
    reference = reference.replace(/\/_history\/[^/]+$/, '')
    return reference === `Patient/${patientId}`
}

const SEARCHES: { type: Exclude<CompartmentType, 'Patient'>; param: string }[] = [
    { type: 'EpisodeOfCare', param: 'patient' },
    { type: 'Condition', param: 'patient' },
    { type: 'Encounter', param: 'patient' },
    { type: 'Observation', param: 'patient' },
    { type: 'Appointment', param: 'patient' },
]

/** The patient's whole record as one collection Bundle, built only from compartment members. */
export async function readCompartment(
    fhir: FhirReader,
    patientId: string
): Promise<FhirResource | undefined> {
    const [patient, ...groups] = await Promise.all([
        fhir.read('Patient', patientId),
        ...SEARCHES.map(({ type, param }) =>
            fhir.search(type, { [param]: `Patient/${patientId}` })
        ),
    ])
    if (!patient || patient.id !== patientId) {
        return undefined
    }
    const seen = new Set<string>()
    const resources: FhirResource[] = [patient]
    for (const resource of groups.flat()) {
        const key = `${resource.resourceType}/${resource.id ?? ''}`
        if (!seen.has(key) && belongsToPatient(resource, patientId, fhir.baseUrl)) {
            seen.add(key)
            resources.push(resource)
        }
    }
    return {
        resourceType: 'Bundle',
        type: 'collection',
        timestamp: new Date().toISOString(),
        // No fullUrl: it would expose the internal FHIR server's address to the browser.
        entry: resources.map((resource) => ({ resource })),
    }
}
