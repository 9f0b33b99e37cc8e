import './websocket-shim'
import {
    convertToSearchableTokens,
    evalFhirPathTyped,
    globalSchema,
    Operator,
    splitSearchOnComma,
    toTypedValue,
} from '@medplum/core'
import type { Filter, SearchRequest } from '@medplum/core'
import type { Resource } from '@medplum/fhirtypes'

/**
 * HAPI matches token parameters (`identifier=system|value`, `code=...`) exactly: the JPA server
 * indexes each token as hashes of its system and value and compares the hashes
 * (`ResourceIndexedSearchParamToken`), so `|ABC` never finds `abc`. Medplum lower-cases both
 * sides; these are the filters to check again, exactly, on its candidates.
 */
export function exactTokenFilters(request: SearchRequest): Filter[] {
    const parameters = globalSchema.types[request.resourceType]?.searchParams ?? {}
    return (request.filters ?? []).filter(
        (filter) =>
            filter.operator === Operator.EQUALS &&
            !filter.value.includes('\\') &&
            parameters[filter.code]?.type === 'token'
    )
}

/** Whether the resource has a token that equals one of the filter's values, case included. */
export function matchesTokenExactly(resource: Resource, filter: Filter): boolean {
    const parameter = globalSchema.types[resource.resourceType]?.searchParams?.[filter.code]
    if (!parameter?.expression) {
        return false
    }
    const tokens = convertToSearchableTokens(
        evalFhirPathTyped(parameter.expression, [toTypedValue(resource)])
    )
    return splitSearchOnComma(filter.value).some((wanted) => {
        const bar = wanted.indexOf('|')
        if (bar < 0) {
            return tokens.some((token) => token.value === wanted)
        }
        const system = wanted.slice(0, bar)
        const value = wanted.slice(bar + 1)
        return tokens.some((token) =>
            system === ''
                ? !token.system && token.value === value
                : token.system === system && (value === '' || token.value === value)
        )
    })
}
