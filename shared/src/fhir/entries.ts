/**
 * What every FHIR builder shares: the tracker JSON it reads, the problems it reports, the
 * deterministic `urn:uuid` fullUrls, the conditional-upsert entry, and the codings prepared once
 * per mapping config.
 *
 * Every entry is a conditional upsert (`PUT Type?identifier=system|value`) keyed by the PHN or a
 * DHIS2 UID, with a deterministic urn:uuid fullUrl, so re-sending a bundle changes nothing. The
 * conditional URLs travel inside the JSON body, which DHIS2 routes pass untouched (a `|` in a
 * route's own query string breaks on DHIS2 2.42.4+). Static parts of resources (codings,
 * categories) are shared between resources for speed: serialise a bundle, do not mutate it.
 */
import type { BundleEntry, CodeableConcept, Identifier, Resource } from '@medplum/fhirtypes'
import type { Enrollment, TrackedEntity, TrackerEvent } from '../tracker/types'
import type { FhirMappingConfig, ObservationMapping } from './config'
import { deterministicUuid, type UuidKind } from './uuid'

/*
 * What the mapping reads of tracker JSON, derived from tracker/types: only the UIDs (and an
 * event's or enrollment's status) are required, because a `fields=` filter may leave anything
 * else out. A full tracker/ `TrackedEntity` fits as it is.
 */
export type MappableEvent = Pick<TrackerEvent, 'event' | 'status'> &
    Partial<Pick<TrackerEvent, 'occurredAt' | 'dataValues' | 'deleted'>>
export type MappableEnrollment = Pick<Enrollment, 'enrollment' | 'program' | 'status'> &
    Partial<Pick<Enrollment, 'enrolledAt' | 'occurredAt' | 'attributes' | 'deleted'>> & {
        events?: readonly MappableEvent[]
    }
export type MappableTrackedEntity = Pick<TrackedEntity, 'trackedEntity'> &
    Partial<Pick<TrackedEntity, 'attributes'>> & {
        enrollments?: readonly MappableEnrollment[]
    }

export interface MappingProblem {
    /** What was skipped: 'attribute:<uid>', 'event:<uid>', 'dataValue:<event>/<de>', 'lmp'... */
    source: string
    reason: string
}

const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category'

export interface PreparedMapping {
    mapping: ObservationMapping
    index: number
    code: CodeableConcept
    category: CodeableConcept[]
}

/** The static parts of the resources, built once per mapping config. */
export interface PreparedCodes {
    /** In config order, so output order does not depend on the order DHIS2 lists data values. */
    mappings: PreparedMapping[]
    eddMapping: PreparedMapping | undefined
    bpPanel: CodeableConcept
    bpSystolic: CodeableConcept
    bpDiastolic: CodeableConcept
    vitalSigns: CodeableConcept[]
    encounterType: CodeableConcept[]
    reasonCode: CodeableConcept[]
    conditionCode: CodeableConcept
    episodeType: CodeableConcept[]
    serviceType: CodeableConcept[]
}

// Preparing the static parts once per config object keeps the per-patient work small.
const preparedCache = new WeakMap<FhirMappingConfig, PreparedCodes>()

function category(code: string): CodeableConcept[] {
    return [{ coding: [{ system: OBSERVATION_CATEGORY, code }] }]
}

export function preparedCodes(config: FhirMappingConfig): PreparedCodes {
    const cached = preparedCache.get(config)
    if (cached) return cached
    const all = [...config.pregnancy.observations, ...config.observations]
    // Index 0 is the blood-pressure panel; mappings follow from 1.
    const mappings = all.map((mapping, i) => ({
        mapping,
        index: i + 1,
        code: { coding: mapping.code.map((c) => ({ ...c })), text: mapping.code[0]?.display },
        category: category(mapping.category),
    }))
    const cc = (
        codings: readonly { system: string; code: string; display?: string }[]
    ): CodeableConcept => ({
        coding: codings.map((c) => ({ ...c })),
    })
    const eddEntry = config.pregnancy.observations.find((m) => m.key === 'edd')
    const prepared: PreparedCodes = {
        mappings,
        eddMapping: eddEntry ? mappings.find((m) => m.mapping === eddEntry) : undefined,
        bpPanel: { ...cc(config.bloodPressure.panel), text: 'Blood pressure' },
        bpSystolic: cc(config.bloodPressure.systolic),
        bpDiastolic: cc(config.bloodPressure.diastolic),
        vitalSigns: category('vital-signs'),
        encounterType: [cc(config.encounter.type)],
        reasonCode: [cc(config.encounter.reasonCode)],
        conditionCode: cc(config.pregnancy.conditionCode),
        episodeType: [cc(config.pregnancy.episodeType)],
        serviceType: [cc(config.appointment.serviceType)],
    }
    preparedCache.set(config, prepared)
    return prepared
}

/** The deterministic fullUrl of a resource: kind + DHIS2 UID + sub-key (see uuid.ts). */
export function urn(kind: UuidKind, uid: string, sub = 0): string {
    return `urn:uuid:${deterministicUuid(kind, uid, sub)}`
}

/** A conditional upsert of `resource`, found by `identifier`. */
export function upsertEntry(
    fullUrl: string,
    resource: Resource,
    identifier: Identifier
): BundleEntry {
    return {
        fullUrl,
        resource,
        request: {
            method: 'PUT',
            url: `${resource.resourceType}?identifier=${identifier.system}|${encodeURIComponent(identifier.value!)}`,
        },
    }
}
