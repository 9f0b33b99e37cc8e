import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes'

import { PINNED_MEDPLUM_VERSION, searchParametersOf } from './definitions'

const TYPE_INTERACTIONS = [
    'read',
    'vread',
    'update',
    'patch',
    'delete',
    'history-instance',
    'create',
    'search-type',
] as const

/** What this server does, in the shape HAPI publishes at /metadata. */
export function capabilityStatement(
    baseUrl: string,
    types: string[],
    startedAt: string
): CapabilityStatement {
    const resource: CapabilityStatementRestResource[] = types.map((type) => {
        const parameters = Object.values(searchParametersOf(type))
        return {
            type: type as CapabilityStatementRestResource['type'],
            profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
            interaction: TYPE_INTERACTIONS.map((code) => ({ code })),
            versioning: 'versioned-update',
            readHistory: true,
            updateCreate: true,
            conditionalCreate: true,
            conditionalRead: 'not-supported',
            conditionalUpdate: true,
            conditionalDelete: 'single',
            searchInclude: ['*'],
            searchRevInclude: ['*'],
            searchParam: parameters
                .map((parameter) => ({
                    name: parameter.code as string,
                    definition: parameter.url,
                    type: parameter.type,
                }))
                .sort((a, b) => a.name.localeCompare(b.name)),
            ...(type === 'Patient'
                ? {
                      operation: [
                          {
                              name: 'everything',
                              definition:
                                  'http://hl7.org/fhir/OperationDefinition/Patient-everything',
                          },
                      ],
                  }
                : {}),
        }
    })
    return {
        resourceType: 'CapabilityStatement',
        status: 'active',
        date: startedAt,
        publisher: 'ANC devstack',
        kind: 'instance',
        software: {
            name: 'ANC FHIR R4 stand-in',
            version: `@medplum/fhir-router ${PINNED_MEDPLUM_VERSION}`,
        },
        implementation: {
            description: 'Local stand-in for the national FHIR R4 server',
            url: baseUrl,
        },
        fhirVersion: '4.0.1',
        format: ['application/fhir+json', 'json'],
        rest: [
            {
                mode: 'server',
                resource,
                interaction: [{ code: 'transaction' }, { code: 'batch' }],
            },
        ],
    }
}
