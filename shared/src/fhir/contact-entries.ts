/**
 * One ANC contact: an Encounter keyed `urn:dhis2:event|<event UID>` and its Observations, coded
 * with LOINC + SNOMED from config with UCUM quantities. Blood pressure is one Observation, LOINC
 * 85354-9, with systolic and diastolic components: the shape of FHIR's vital-signs BP profile; it
 * keeps a reading's two numbers together. The EDD is derived from the LMP (Naegele) on the
 * contact that recorded the LMP, when no EDD was recorded.
 */
import type {
    BundleEntry,
    Encounter,
    EpisodeOfCare,
    Identifier,
    Observation,
    Patient,
    Reference,
} from '@medplum/fhirtypes'
import { calendarDateOf, type CalendarDate } from '../anc/dates'
import { eddFromLmp } from '../anc/gestation'
import { UCUM, type FhirMappingConfig } from './config'
import {
    preparedCodes,
    upsertEntry,
    urn,
    type MappingProblem,
    type PreparedMapping,
} from './entries'
import type { Contact, Pregnancy } from './pregnancy'

const DECIMAL = /^-?\d+(\.\d+)?$/
const INTEGER = /^-?\d+$/

/** What a contact's resources point at: her Patient and the pregnancy's EpisodeOfCare. */
export interface ContactReferences {
    patient: Reference<Patient>
    episode: Reference<EpisodeOfCare>
}

/** The fullUrl of the Appointment of planned contact `ordinal` (appointment-entries.ts). */
export function appointmentUrn(pregnancy: Pregnancy, ordinal: number): string {
    return urn('appointment', pregnancy.enrollment.enrollment, ordinal)
}

export function contactEntries(
    pregnancy: Pregnancy,
    contact: Contact,
    references: ContactReferences,
    config: FhirMappingConfig,
    problems: MappingProblem[]
): BundleEntry[] {
    const { event, date } = contact
    const codes = preparedCodes(config)
    const entries: BundleEntry[] = []
    const encounterUrl = urn('encounter', event.event)
    const eventIdentifier: Identifier = { system: config.systems.event, value: event.event }
    const encounter: Encounter = {
        resourceType: 'Encounter',
        identifier: [eventIdentifier],
        status: event.status === 'COMPLETED' ? 'finished' : 'in-progress',
        class: config.encounter.class,
        type: codes.encounterType,
        reasonCode: codes.reasonCode,
        subject: references.patient,
        episodeOfCare: [references.episode],
        period: { start: date },
    }
    if (contact.ordinal !== undefined)
        encounter.appointment = [{ reference: appointmentUrn(pregnancy, contact.ordinal) }]
    entries.push(upsertEntry(encounterUrl, encounter, eventIdentifier))
    const observed = {
        event: event.event,
        date,
        subject: references.patient,
        encounter: { reference: encounterUrl } as Reference<Encounter>,
        system: config.systems.dataValue,
    }

    const values = new Map<string, string>()
    for (const dv of event.dataValues ?? [])
        if (typeof dv.value === 'string' && dv.value !== '') values.set(dv.dataElement, dv.value)

    // Blood pressure panel.
    const bp = config.bloodPressure
    const sbp = values.get(bp.systolicDataElement)
    const dbp = values.get(bp.diastolicDataElement)
    if (sbp !== undefined || dbp !== undefined) {
        const component: NonNullable<Observation['component']> = []
        for (const [raw, code, de] of [
            [sbp, codes.bpSystolic, bp.systolicDataElement],
            [dbp, codes.bpDiastolic, bp.diastolicDataElement],
        ] as const) {
            if (raw === undefined) continue
            if (!DECIMAL.test(raw)) {
                problems.push({ source: `dataValue:${event.event}/${de}`, reason: 'not a number' })
                continue
            }
            component.push({
                code,
                valueQuantity: { value: Number(raw), unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
            })
        }
        if (component.length > 0) {
            const id: Identifier = {
                system: observed.system,
                value: `${event.event}-${bp.systolicDataElement}`,
            }
            entries.push(
                upsertEntry(
                    urn('observation', event.event, 0),
                    {
                        resourceType: 'Observation',
                        identifier: [id],
                        status: 'final',
                        category: codes.vitalSigns,
                        code: codes.bpPanel,
                        subject: observed.subject,
                        encounter: observed.encounter,
                        effectiveDateTime: date,
                        component,
                    },
                    id
                )
            )
        }
    }

    for (const pm of codes.mappings) {
        const raw = values.get(pm.mapping.dataElement)
        if (raw === undefined) continue
        const entry = observationEntry(pm, raw, observed, problems)
        if (entry) entries.push(entry)
    }
    // EDD derived from the LMP (Naegele) where it was not recorded.
    const { lmp } = pregnancy
    if (
        event === pregnancy.lmpEvent &&
        lmp &&
        codes.eddMapping &&
        !values.has(codes.eddMapping.mapping.dataElement)
    ) {
        const entry = observationEntry(codes.eddMapping, eddFromLmp(lmp), observed, problems)
        if (entry) entries.push(entry)
    }
    return entries
}

function observationEntry(
    pm: PreparedMapping,
    raw: string,
    observed: {
        event: string
        date: CalendarDate
        subject: Reference<Patient>
        encounter: Reference<Encounter>
        system: string
    },
    problems: MappingProblem[]
): BundleEntry | undefined {
    const { mapping } = pm
    const id: Identifier = {
        system: observed.system,
        value: `${observed.event}-${mapping.dataElement}`,
    }
    const obs: Observation = {
        resourceType: 'Observation',
        identifier: [id],
        status: 'final',
        category: pm.category,
        code: pm.code,
        subject: observed.subject,
        encounter: observed.encounter,
        effectiveDateTime: observed.date,
    }
    const v = mapping.value
    let problem: string | undefined
    switch (v.type) {
        case 'quantity':
            if (DECIMAL.test(raw))
                obs.valueQuantity = { value: Number(raw), unit: v.unit, system: UCUM, code: v.ucum }
            else problem = 'not a number'
            break
        case 'integer':
            if (INTEGER.test(raw)) obs.valueInteger = Number(raw)
            else problem = 'not an integer'
            break
        case 'dateTime': {
            const d = calendarDateOf(raw)
            if (d) obs.valueDateTime = d
            else problem = 'not a date'
            break
        }
        case 'coded':
            obs.valueCodeableConcept = { coding: [{ system: v.system, code: raw }], text: raw }
            break
    }
    if (problem) {
        problems.push({
            source: `dataValue:${observed.event}/${mapping.dataElement}`,
            reason: problem,
        })
        return undefined
    }
    return upsertEntry(urn('observation', observed.event, pm.index), obs, id)
}
