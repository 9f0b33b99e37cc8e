/**
 * A FHIR Bundle (searchset from `Patient/$everything`, the relay's record bundle, or our own
 * transaction bundle) → the view model the doctor and patient apps render. Observations are
 * recognised by the codes in the mapping config (any of a mapping's codings matches), so data
 * written by other systems with the same LOINC or SNOMED codes shows too.
 */
import type {
    Appointment,
    Bundle,
    Condition,
    Encounter,
    EpisodeOfCare,
    Identifier,
    Observation,
    Patient,
    Resource,
} from '@medplum/fhirtypes'
import { ageInYears, calendarDateOf, type CalendarDate } from '../anc/dates'
import { eddFromLmp, gestationalAgeIfAfterLmp, type GestationalAge } from '../anc/gestation'
import { evaluateRiskFlags, type RiskFlag, type UrineProtein } from '../anc/risk'
import { ancSchedule, type AncSchedule } from '../anc/schedule'
import { DEFAULT_FHIR_MAPPING, type FhirMappingConfig } from './config'

/** Who the record is about, as the apps show it (the `PatientBanner` component takes its fields). */
export interface PatientView {
    /** Server id of the Patient (undefined for a bundle not yet stored). */
    id: string | undefined
    name: string | undefined
    given: string | undefined
    family: string | undefined
    phn: string | undefined
    nic: string | undefined
    birthDate: CalendarDate | undefined
    ageYears: number | undefined
    gender: string | undefined
    phone: string | undefined
    email: string | undefined
    address: string | undefined
    /** Identity verified with eSignet at registration (an `urn:esignet:sub` identifier exists). */
    verified: boolean
}

export interface PregnancySummary {
    status: EpisodeOfCare['status'] | undefined
    lmp: CalendarDate | undefined
    edd: CalendarDate | undefined
    gaToday: GestationalAge | undefined
    gravida: number | undefined
    parity: number | undefined
}

export type ObservationValue = number | string

export interface ContactView {
    /** Encounter id, or its fullUrl in an unsaved bundle. */
    id: string
    /** DHIS2 event UID from the `urn:dhis2:event` identifier. */
    eventUid: string | undefined
    date: CalendarDate
    gaWeeks: number | undefined
    status: Encounter['status']
    systolic: number | undefined
    diastolic: number | undefined
    /** Values by mapping key: weight, fundalHeight, haemoglobin, urineProtein, gravida... */
    observations: Record<string, ObservationValue>
}

export interface SeriesPoint {
    date: CalendarDate
    gaWeeks: number | undefined
    value: number
}

export interface AppointmentView {
    status: Appointment['status']
    /** Start of the requested period, or the start day of a booked appointment. */
    date: CalendarDate | undefined
    until: CalendarDate | undefined
    description: string | undefined
}

export interface AncRecordView {
    patient: PatientView | undefined
    pregnancy: PregnancySummary | undefined
    contacts: ContactView[]
    series: {
        bloodPressure: {
            date: CalendarDate
            gaWeeks: number | undefined
            systolic: number | undefined
            diastolic: number | undefined
        }[]
        weight: SeriesPoint[]
        fundalHeight: SeriesPoint[]
        haemoglobin: SeriesPoint[]
    }
    /** Appointments still ahead (proposed, pending, booked), by date. */
    upcomingAppointments: AppointmentView[]
    /** The WHO schedule recomputed for today from the LMP and the contacts. */
    schedule: AncSchedule | undefined
    /** From the latest contact, the woman's age and her history. */
    riskFlags: RiskFlag[]
}

function identifierValue(
    ids: readonly Identifier[] | undefined,
    system: string
): string | undefined {
    return ids?.find((i) => i.system === system)?.value
}

function observationValue(o: Observation): ObservationValue | undefined {
    if (o.valueQuantity?.value !== undefined) return o.valueQuantity.value
    if (o.valueInteger !== undefined) return o.valueInteger
    if (o.valueDateTime !== undefined) return calendarDateOf(o.valueDateTime) ?? o.valueDateTime
    if (o.valueCodeableConcept)
        return o.valueCodeableConcept.coding?.[0]?.code ?? o.valueCodeableConcept.text
    if (o.valueString !== undefined) return o.valueString
    return undefined
}

const num = (v: ObservationValue | undefined): number | undefined =>
    typeof v === 'number' ? v : undefined

export function bundleToAncRecord(
    bundle: Bundle,
    today: CalendarDate,
    config: FhirMappingConfig = DEFAULT_FHIR_MAPPING
): AncRecordView {
    const resources: Resource[] = []
    const byRef = new Map<string, Resource>()
    for (const e of bundle.entry ?? []) {
        const r = e.resource
        if (!r) continue
        resources.push(r)
        if (e.fullUrl) byRef.set(e.fullUrl, r)
        if (r.id) byRef.set(`${r.resourceType}/${r.id}`, r)
    }
    const resolve = (ref: string | undefined): Resource | undefined => {
        if (!ref) return undefined
        const direct = byRef.get(ref)
        if (direct) return direct
        // Absolute references: keep the trailing Type/id.
        const m = /([A-Za-z]+\/[^/]+)$/.exec(ref)
        return m ? byRef.get(m[1]!) : undefined
    }

    // Code → mapping key.
    const keyOf = new Map<string, string>()
    for (const m of [...config.pregnancy.observations, ...config.observations])
        for (const c of m.code) keyOf.set(`${c.system}|${c.code}`, m.key)
    const bpPanel = new Set(config.bloodPressure.panel.map((c) => `${c.system}|${c.code}`))
    const bpSys = new Set(config.bloodPressure.systolic.map((c) => `${c.system}|${c.code}`))
    const bpDia = new Set(config.bloodPressure.diastolic.map((c) => `${c.system}|${c.code}`))
    const codesOf = (o: { code?: { coding?: { system?: string; code?: string }[] } }): string[] =>
        (o.code?.coding ?? []).map((c) => `${c.system}|${c.code}`)

    const patient = resources.find((r): r is Patient => r.resourceType === 'Patient')
    const episode =
        resources.find(
            (r): r is EpisodeOfCare =>
                r.resourceType === 'EpisodeOfCare' &&
                (r.status === 'active' || r.status === 'planned')
        ) ?? resources.find((r): r is EpisodeOfCare => r.resourceType === 'EpisodeOfCare')
    const condition = resources.find(
        (r): r is Condition =>
            r.resourceType === 'Condition' &&
            codesOf(r).some((c) =>
                config.pregnancy.conditionCode.some((k) => `${k.system}|${k.code}` === c)
            )
    )

    // Contacts from encounters; observations attached by reference.
    const contactsByEncounter = new Map<Resource, ContactView>()
    for (const r of resources) {
        if (r.resourceType !== 'Encounter') continue
        const date = calendarDateOf(r.period?.start)
        if (!date) continue
        contactsByEncounter.set(r, {
            id: r.id ?? [...byRef.entries()].find(([, v]) => v === r)?.[0] ?? '',
            eventUid: identifierValue(r.identifier, config.systems.event),
            date,
            gaWeeks: undefined,
            status: r.status,
            systolic: undefined,
            diastolic: undefined,
            observations: {},
        })
    }
    const pregnancyValues: Record<string, ObservationValue> = {}
    for (const r of resources) {
        if (r.resourceType !== 'Observation' || r.status === 'entered-in-error') continue
        const codes = codesOf(r)
        const contact = contactsByEncounter.get(resolve(r.encounter?.reference) as Resource)
        if (codes.some((c) => bpPanel.has(c)) || r.component) {
            let s: number | undefined
            let d: number | undefined
            for (const comp of r.component ?? []) {
                const cc = codesOf(comp)
                if (cc.some((c) => bpSys.has(c))) s = comp.valueQuantity?.value
                if (cc.some((c) => bpDia.has(c))) d = comp.valueQuantity?.value
            }
            if (contact && (s !== undefined || d !== undefined)) {
                contact.systolic = s
                contact.diastolic = d
                continue
            }
        }
        const key = codes.map((c) => keyOf.get(c)).find((k) => k !== undefined)
        if (!key) continue
        const value = observationValue(r)
        if (value === undefined) continue
        if (contact) contact.observations[key] = value
        if (config.pregnancy.observations.some((m) => m.key === key)) pregnancyValues[key] = value
    }
    const contacts = [...contactsByEncounter.values()].sort((a, b) =>
        a.date < b.date ? -1 : a.date > b.date ? 1 : 0
    )

    const lmp =
        calendarDateOf(typeof pregnancyValues.lmp === 'string' ? pregnancyValues.lmp : undefined) ??
        calendarDateOf(condition?.onsetDateTime)
    const edd =
        calendarDateOf(typeof pregnancyValues.edd === 'string' ? pregnancyValues.edd : undefined) ??
        (lmp ? eddFromLmp(lmp) : undefined)
    for (const c of contacts) {
        c.gaWeeks = lmp
            ? gestationalAgeIfAfterLmp(lmp, c.date)?.weeks
            : num(c.observations.gestationalAge)
    }

    const series: AncRecordView['series'] = {
        bloodPressure: [],
        weight: [],
        fundalHeight: [],
        haemoglobin: [],
    }
    for (const c of contacts) {
        if (c.systolic !== undefined || c.diastolic !== undefined) {
            series.bloodPressure.push({
                date: c.date,
                gaWeeks: c.gaWeeks,
                systolic: c.systolic,
                diastolic: c.diastolic,
            })
        }
        for (const key of ['weight', 'fundalHeight', 'haemoglobin'] as const) {
            const v = num(c.observations[key])
            if (v !== undefined) series[key].push({ date: c.date, gaWeeks: c.gaWeeks, value: v })
        }
    }

    const birthDate = calendarDateOf(patient?.birthDate)
    const ageYears = birthDate ? ageInYears(birthDate, today) : undefined
    const name = patient?.name?.find((n) => n.use === 'official') ?? patient?.name?.[0]
    const patientView: PatientView | undefined = patient && {
        id: patient.id,
        name:
            name?.text ??
            ([...(name?.given ?? []), name?.family].filter(Boolean).join(' ') || undefined),
        given: name?.given?.join(' '),
        family: name?.family,
        phn: identifierValue(patient.identifier, config.systems.phn),
        nic: identifierValue(patient.identifier, config.systems.nic),
        birthDate,
        ageYears,
        gender: patient.gender,
        phone: patient.telecom?.find((t) => t.system === 'phone')?.value,
        email: patient.telecom?.find((t) => t.system === 'email')?.value,
        address: patient.address?.[0]?.text ?? patient.address?.[0]?.line?.join(', '),
        verified: identifierValue(patient.identifier, config.systems.esignetSub) !== undefined,
    }

    const gravida = num(pregnancyValues.gravida)
    const parity = num(pregnancyValues.parity)
    const pregnancy: PregnancySummary | undefined =
        episode || condition || lmp
            ? {
                  status: episode?.status,
                  lmp,
                  edd,
                  gaToday: lmp ? gestationalAgeIfAfterLmp(lmp, today) : undefined,
                  gravida,
                  parity,
              }
            : undefined

    const upcomingAppointments: AppointmentView[] = resources
        .filter(
            (r): r is Appointment =>
                r.resourceType === 'Appointment' &&
                (r.status === 'proposed' || r.status === 'pending' || r.status === 'booked')
        )
        .map((a) => ({
            status: a.status,
            date: calendarDateOf(a.start) ?? calendarDateOf(a.requestedPeriod?.[0]?.start),
            until: calendarDateOf(a.end) ?? calendarDateOf(a.requestedPeriod?.[0]?.end),
            description: a.description,
        }))
        .filter((a) => a.date !== undefined && (a.until ?? a.date) >= today)
        .sort((a, b) => (a.date! < b.date! ? -1 : a.date! > b.date! ? 1 : 0))

    const schedule = lmp
        ? ancSchedule({ lmp, contactDates: contacts.map((c) => c.date), today })
        : undefined
    const latest = contacts[contacts.length - 1]
    const urine = latest?.observations.urineProtein
    const riskFlags = evaluateRiskFlags({
        ageYears,
        gravida,
        parity,
        gaWeeks: latest?.gaWeeks,
        systolic: latest?.systolic,
        diastolic: latest?.diastolic,
        fetalHeartRate: num(latest?.observations.fetalHeartRate),
        haemoglobinGdl: num(latest?.observations.haemoglobin),
        urineProtein:
            typeof urine === 'string' && /^(NEGATIVE|TRACE|PLUS[1-4])$/.test(urine)
                ? (urine as UrineProtein)
                : undefined,
    })
    return {
        patient: patientView,
        pregnancy,
        contacts,
        series,
        upcomingAppointments,
        schedule,
        riskFlags,
    }
}
