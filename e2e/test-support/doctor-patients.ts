/**
 * Test setup for the doctor journey: a woman registered the way the registration app leaves her,
 * through the real APIs of the local stack. As the midwife, DHIS2 issues a PHN serial (TextPattern
 * generator), the check digit comes from shared/phn, and one tracker import creates her, her ANC
 * enrollment and her contacts; her record is then read back from DHIS2 and mapped by shared/fhir's
 * trackerToFhirBundle into the FHIR transaction the registration app sends.
 */
import { addDays, clinicToday } from '@anc/shared/anc'
import { fixtureTrackedEntity } from '@anc/shared/test-support'
import { trackerToFhirBundle } from '@anc/shared/fhir'
import {
    ATTRIBUTES,
    DATA_ELEMENTS,
    OPTION_SETS,
    PROGRAM_ANC,
    PROGRAM_STAGES,
    TRACKED_ENTITY_TYPE_PERSON,
} from '@anc/shared/metadata'
import { phnFromSerial } from '@anc/shared/phn'
import { generateUid, TRACKED_ENTITY_FIELDS, type TrackedEntity } from '@anc/shared/tracker'
import { DEV_SECRETS } from '../../devstack/src/stack/dev-secrets'

export const MIDWIFE = { username: 'midwife', password: 'Anc#2026dev' }
/** Colombo ANC Clinic A: one of the midwife's clinics in the seeded DHIS2. */
export const CLINIC_A = 'ancOuClinA0'

export const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

export const FHIR_AUTH = basic(DEV_SECRETS.fhirUsername, DEV_SECRETS.fhirPassword)

export interface Urls {
    dhis2: string
    fhir: string
}

export interface DoctorPatient {
    phn: string
    fullName: string
    trackedEntity: string
    enrollment: string
    lmp: string
}

async function asMidwife(urls: Urls, pathAndQuery: string, init: RequestInit = {}) {
    const response = await fetch(`${urls.dhis2}${pathAndQuery}`, {
        ...init,
        headers: {
            Authorization: basic(MIDWIFE.username, MIDWIFE.password),
            Accept: 'application/json',
            ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        },
    })
    if (!response.ok) {
        throw new Error(
            `DHIS2 ${pathAndQuery} answered ${response.status}: ${await response.text()}`
        )
    }
    return response.json() as Promise<unknown>
}

/**
 * Registers her in DHIS2 (about 21 weeks pregnant, `contacts` contacts behind her) and in the
 * national FHIR record. Returns what the doctor needs to find her.
 */
export async function registerForDoctor(
    urls: Urls,
    n: number,
    given: string,
    family: string,
    contacts = 2
): Promise<DoctorPatient> {
    const today = clinicToday()
    const lmp = addDays(today, -150)
    const reserved = (await asMidwife(
        urls,
        `/api/trackedEntityAttributes/${ATTRIBUTES.phnSerial}/generate?expiration=3`
    )) as { value: string }
    const phn = phnFromSerial(reserved.value)
    // The option code as the installed metadata spells it (the package owns the codes).
    const sexOptions = (await asMidwife(
        urls,
        `/api/optionSets/${OPTION_SETS.sex}?fields=options[code,name]`
    )) as { options: { code: string; name: string }[] }
    const female = sexOptions.options.find((o) => o.name === 'Female')?.code ?? 'FEMALE'

    // The fixture's realistic contacts, under fresh UIDs in the midwife's clinic.
    const fixture = fixtureTrackedEntity(n, contacts, lmp)
    const events = (fixture.enrollments?.[0]?.events ?? []).map((e) => ({
        ...e,
        event: generateUid(),
        orgUnit: CLINIC_A,
    }))
    const te: TrackedEntity = {
        trackedEntity: generateUid(),
        trackedEntityType: TRACKED_ENTITY_TYPE_PERSON,
        orgUnit: CLINIC_A,
        attributes: [
            { attribute: ATTRIBUTES.phnSerial, value: reserved.value },
            { attribute: ATTRIBUTES.phn, value: phn },
            { attribute: ATTRIBUTES.fullName, value: `${given} ${family}` },
            { attribute: ATTRIBUTES.givenName, value: given },
            { attribute: ATTRIBUTES.familyName, value: family },
            { attribute: ATTRIBUTES.birthDate, value: '1996-05-14' },
            { attribute: ATTRIBUTES.sex, value: female },
            { attribute: ATTRIBUTES.phone, value: '+94771234503' },
            { attribute: ATTRIBUTES.verificationStatus, value: 'UNVERIFIED' },
        ],
        enrollments: [
            {
                enrollment: generateUid(),
                program: PROGRAM_ANC,
                status: 'ACTIVE',
                orgUnit: CLINIC_A,
                enrolledAt: `${events[0]?.occurredAt?.slice(0, 10) ?? today}T00:00:00.000`,
                occurredAt: `${lmp}T00:00:00.000`,
                events,
            },
        ],
    }
    const report = (await asMidwife(
        urls,
        '/api/tracker?async=false&importStrategy=CREATE_AND_UPDATE&atomicMode=ALL',
        { method: 'POST', body: JSON.stringify({ trackedEntities: [te] }) }
    )) as { status?: string }
    if (report.status !== 'OK') throw new Error(`tracker import: ${JSON.stringify(report)}`)

    await pushToFhir(urls, te.trackedEntity, today)
    return {
        phn,
        fullName: `${given} ${family}`,
        trackedEntity: te.trackedEntity,
        enrollment: te.enrollments?.[0]?.enrollment ?? '',
        lmp,
    }
}

/** What DHIS2 holds now, mapped by shared/fhir and sent as the apps send it. */
async function pushToFhir(urls: Urls, trackedEntity: string, today: string): Promise<void> {
    const stored = (await asMidwife(
        urls,
        `/api/tracker/trackedEntities/${trackedEntity}?program=${PROGRAM_ANC}&fields=${encodeURIComponent(TRACKED_ENTITY_FIELDS)}`
    )) as TrackedEntity
    const { bundle } = trackerToFhirBundle({ trackedEntity: stored, today })
    const response = await fetch(`${urls.fhir}/fhir`, {
        method: 'POST',
        headers: {
            Authorization: FHIR_AUTH,
            'Content-Type': 'application/fhir+json',
            Accept: 'application/fhir+json',
        },
        body: JSON.stringify(bundle),
    })
    if (!response.ok) {
        throw new Error(`FHIR transaction answered ${response.status}: ${await response.text()}`)
    }
}

/**
 * Another clinician records a contact for her today (blood pressure only), in DHIS2 and in the
 * national record, as their app would. Returns the new event's UID.
 */
export async function recordContactElsewhere(
    urls: Urls,
    patient: DoctorPatient,
    bp: { systolic: number; diastolic: number }
): Promise<string> {
    const today = clinicToday()
    const event = generateUid()
    const report = (await asMidwife(urls, '/api/tracker?async=false&atomicMode=ALL', {
        method: 'POST',
        body: JSON.stringify({
            events: [
                {
                    event,
                    program: PROGRAM_ANC,
                    programStage: PROGRAM_STAGES.contact,
                    enrollment: patient.enrollment,
                    trackedEntity: patient.trackedEntity,
                    orgUnit: CLINIC_A,
                    occurredAt: today,
                    status: 'COMPLETED',
                    dataValues: [
                        { dataElement: DATA_ELEMENTS.systolicBp, value: String(bp.systolic) },
                        { dataElement: DATA_ELEMENTS.diastolicBp, value: String(bp.diastolic) },
                    ],
                },
            ],
        }),
    })) as { status?: string }
    if (report.status !== 'OK') throw new Error(`tracker import: ${JSON.stringify(report)}`)
    await pushToFhir(urls, patient.trackedEntity, today)
    return event
}

/** A FHIR search straight at the FHIR stand-in, with its development credentials. */
export async function fhirSearch<T = { entry?: { resource: Record<string, unknown> }[] }>(
    urls: Urls,
    query: string
): Promise<T> {
    const response = await fetch(`${urls.fhir}/fhir/${query}`, {
        headers: { Authorization: FHIR_AUTH, Accept: 'application/fhir+json' },
    })
    if (!response.ok) throw new Error(`FHIR ${query} answered ${response.status}`)
    return (await response.json()) as T
}
