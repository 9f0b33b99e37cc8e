import { DEFAULT_FHIR_MAPPING as M } from '@anc/shared/fhir'
import type { Bundle, BundleEntry, Observation, Resource } from '@medplum/fhirtypes'

/** A small searchset as the relay's GET /patient/record returns it, coded from the mapping config. */
export const TODAY = '2026-05-04'
export const LMP = '2026-01-05'

const codeOf = (key: string) => {
    const mapping = [...M.pregnancy.observations, ...M.observations].find((m) => m.key === key)
    if (!mapping) throw new Error(`no mapping ${key}`)
    return { coding: mapping.code.map(({ system, code }) => ({ system, code })) }
}

function observation(
    id: string,
    encounter: string | undefined,
    key: string,
    value: Partial<Observation>
): Observation {
    return {
        resourceType: 'Observation',
        id,
        status: 'final',
        code: codeOf(key),
        subject: { reference: 'Patient/p1' },
        ...(encounter ? { encounter: { reference: `Encounter/${encounter}` } } : {}),
        ...value,
    }
}

export function recordBundle(name = 'Nadeesha Perera'): Bundle {
    const [given, family] = name.split(' ')
    const resources: Resource[] = [
        {
            resourceType: 'Patient',
            id: 'p1',
            identifier: [
                { system: M.systems.phn, value: '1000000018' },
                { system: M.systems.esignetSub, value: 'sub-of-p1' },
            ],
            name: [{ use: 'official', text: name, given: [given!], family: family! }],
            birthDate: '1996-03-14',
            gender: 'female',
            telecom: [{ system: 'phone', value: '+94771234567' }],
        },
        {
            resourceType: 'Condition',
            id: 'c1',
            subject: { reference: 'Patient/p1' },
            code: {
                coding: M.pregnancy.conditionCode.map(({ system, code }) => ({ system, code })),
            },
            onsetDateTime: LMP,
        },
        {
            resourceType: 'EpisodeOfCare',
            id: 'e1',
            status: 'active',
            patient: { reference: 'Patient/p1' },
        },
        {
            resourceType: 'Encounter',
            id: 'v1',
            status: 'finished',
            class: M.encounter.class,
            subject: { reference: 'Patient/p1' },
            period: { start: '2026-03-30' },
        },
        observation('o1', 'v1', 'weight', {
            valueQuantity: {
                value: 58.5,
                unit: 'kg',
                system: 'http://unitsofmeasure.org',
                code: 'kg',
            },
        }),
        observation('o2', 'v1', 'haemoglobin', {
            valueQuantity: {
                value: 10.4,
                unit: 'g/dL',
                system: 'http://unitsofmeasure.org',
                code: 'g/dL',
            },
        }),
        observation('o3', 'v1', 'urineProtein', {
            valueCodeableConcept: { coding: [{ system: 'urn:x', code: 'NEGATIVE' }] },
        }),
        {
            resourceType: 'Observation',
            id: 'o4',
            status: 'final',
            code: { coding: M.bloodPressure.panel.map(({ system, code }) => ({ system, code })) },
            subject: { reference: 'Patient/p1' },
            encounter: { reference: 'Encounter/v1' },
            component: [
                {
                    code: {
                        coding: M.bloodPressure.systolic.map(({ system, code }) => ({
                            system,
                            code,
                        })),
                    },
                    valueQuantity: { value: 118, unit: 'mmHg' },
                },
                {
                    code: {
                        coding: M.bloodPressure.diastolic.map(({ system, code }) => ({
                            system,
                            code,
                        })),
                    },
                    valueQuantity: { value: 76, unit: 'mmHg' },
                },
            ],
        },
        {
            resourceType: 'Appointment',
            id: 'a2',
            status: 'proposed',
            description: 'Antenatal contact 3',
            requestedPeriod: [{ start: '2026-07-06', end: '2026-07-12' }],
            participant: [{ actor: { reference: 'Patient/p1' }, status: 'needs-action' }],
        },
        {
            resourceType: 'Appointment',
            id: 'a1',
            status: 'proposed',
            description: 'Antenatal contact 2',
            requestedPeriod: [{ start: '2026-05-25', end: '2026-05-31' }],
            participant: [{ actor: { reference: 'Patient/p1' }, status: 'needs-action' }],
        },
    ]
    return {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: resources.map((resource): BundleEntry => ({
            fullUrl: `http://fhir.example/fhir/${resource.resourceType}/${resource.id}`,
            resource,
        })),
    }
}
