import { asList, firstOf } from '../util'

/** A list parameter's values: the parameter repeated, or values joined by `,` or `;`. */
export function listParameter(value: unknown): string[] {
    return asList(value)
        .flatMap((s) => s.split(/[,;]/))
        .filter(Boolean)
}

/**
 * `filter` values: `attr:op:value[:op:value]`, several joined by `,`; `/` escapes `:` `,` `/`.
 */
export function splitFilters(raw: string): string[][] {
    const filters: string[][] = []
    let parts: string[] = []
    let current = ''
    for (let i = 0; i < raw.length; i++) {
        const c = raw[i] as string
        if (c === '/' && i + 1 < raw.length && ':,/'.includes(raw[i + 1] as string)) {
            current += raw[++i]
        } else if (c === ':') {
            parts.push(current)
            current = ''
        } else if (c === ',') {
            parts.push(current)
            filters.push(parts)
            parts = []
            current = ''
        } else current += c
    }
    parts.push(current)
    filters.push(parts)
    return filters
}

/**
 * The SQL condition on `av.value` (an attribute value row) for one filter operator, with its
 * value bound through `param`; undefined for an operator DHIS2 does not know.
 */
export function filterSql(
    op: string,
    value: string,
    param: (v: unknown) => string
): string | undefined {
    // Tracker filters are case-insensitive.
    const v = value.toLowerCase()
    const like = (pattern: string) => `lower(av.value) like ${param(pattern)} escape '\\'`
    const escaped = v.replace(/[\\%_]/g, (m) => `\\${m}`)
    switch (op) {
        case 'eq':
            return `lower(av.value) = ${param(v)}`
        case 'ne':
            return `lower(av.value) <> ${param(v)}`
        case 'like':
            return like(`%${escaped}%`)
        case 'sw':
            return like(`${escaped}%`)
        case 'ew':
            return like(`%${escaped}`)
        case 'in':
            return `lower(av.value) = any(${param(v.split(';'))})`
        case 'gt':
        case 'ge':
        case 'lt':
        case 'le': {
            const sqlOp = { gt: '>', ge: '>=', lt: '<', le: '<=' }[op]
            return `av.value ${sqlOp} ${param(value)}`
        }
        case '!null':
            return 'true'
        case 'null':
            return 'true'
        default:
            return undefined
    }
}

/**
 * `column = $n` for each of these query parameters the request gives (its first value), as a
 * where clause (empty when none is given) and its parameters.
 */
export function equalityFilters(
    query: Record<string, unknown>,
    columns: [parameter: string, column: string][]
): { where: string; params: unknown[] } {
    const conditions: string[] = []
    const params: unknown[] = []
    for (const [parameter, column] of columns) {
        const value = firstOf(query[parameter])
        if (value) {
            params.push(value)
            conditions.push(`${column} = $${params.length}`)
        }
    }
    return { where: conditions.length ? `where ${conditions.join(' and ')}` : '', params }
}
