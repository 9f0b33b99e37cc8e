import type { Resource } from '@medplum/fhirtypes'

/** One `reference` string of a resource and the element path it sits at (`Observation.subject`). */
export interface FoundReference {
    path: string
    reference: string
}

/** Elements HAPI does not index references from (without custom search parameters). */
const NOT_INDEXED = new Set(['contained', 'extension', 'modifierExtension', 'meta'])

/**
 * Every `Reference.reference` in the resource with its path, leaving out contained resources,
 * extensions and meta, whose references HAPI does not resolve on write. HAPI resolves the
 * references its search parameters index, which covers every reference element the product
 * writes (subject, patient, encounter, episodeOfCare, appointment, diagnosis.condition,
 * participant.actor).
 */
export function referencesOf(resource: Resource): FoundReference[] {
    const found: FoundReference[] = []
    const visit = (value: unknown, path: string): void => {
        if (Array.isArray(value)) {
            for (const item of value) {
                visit(item, path)
            }
            return
        }
        if (!value || typeof value !== 'object') {
            return
        }
        for (const [key, child] of Object.entries(value)) {
            if (NOT_INDEXED.has(key)) {
                continue
            }
            if (key === 'reference' && typeof child === 'string') {
                found.push({ path, reference: child })
            } else if (typeof child === 'object') {
                visit(child, `${path}.${key}`)
            }
        }
    }
    visit(resource, resource.resourceType)
    return found
}

/**
 * What a reference points at on this server: `Type/id` (relative, or absolute on `baseUrl`, a
 * version suffix dropped), a bundle placeholder (`urn:uuid:`/`urn:oid:`), a contained resource,
 * or an external URL.
 */
export type ReferenceTarget =
    | { kind: 'local'; key: string }
    | { kind: 'placeholder' }
    | { kind: 'contained' }
    | { kind: 'external' }
    | { kind: 'other' }

export function targetOf(reference: string, baseUrl: string): ReferenceTarget {
    if (reference.startsWith('#')) {
        return { kind: 'contained' }
    }
    if (/^urn:(uuid|oid):/i.test(reference)) {
        return { kind: 'placeholder' }
    }
    let relative = reference
    if (/^https?:\/\//i.test(reference)) {
        if (!reference.startsWith(`${baseUrl}/`)) {
            return { kind: 'external' }
        }
        relative = reference.slice(baseUrl.length + 1)
    }
    const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[^/]+)?$/.exec(relative)
    return match ? { kind: 'local', key: `${match[1]}/${match[2]}` } : { kind: 'other' }
}
