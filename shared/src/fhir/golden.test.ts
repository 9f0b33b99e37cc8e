/**
 * Temporary: the bundles of trackerToFhirBundle as they were before the mapping was split into
 * builders (golden.json: SHA-256 of each bundle's JSON, written by the old code with
 * WRITE_GOLDEN=1), compared byte for byte.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { addDays } from '../anc/dates'
import { dateAtGestationalAge } from '../anc/gestation'
import { ATTRIBUTES, DATA_ELEMENTS } from '../metadata/ids'
import type { TrackedEntity } from '../tracker/types'
import { FIXTURE_LMP, fixtureTrackedEntity } from '../../test-support/tracked-entity'
import { defaultFhirMapping } from './config'
import { trackerToFhirBundle } from './to-bundle'

const GOLDEN = path.join(__dirname, 'golden.json')

function cases(): Record<string, () => unknown> {
    const at = (weeks: number, days = 0) => dateAtGestationalAge(FIXTURE_LMP, weeks, days)
    const run = (te: TrackedEntity, today: string, extra: Record<string, unknown> = {}) =>
        trackerToFhirBundle({ trackedEntity: te, today, ...extra })
    const out: Record<string, () => unknown> = {}
    for (const [n, contacts, today] of [
        [1, 8, at(41, 1)],
        [2, 3, at(27)],
        [3, 1, at(12)],
        [4, 5, at(31, 3)],
        [5, 8, at(44)],
        [6, 2, at(12, 4)],
    ] as const) {
        out[`fixture ${n} ${contacts} contacts at ${today}`] = () =>
            run(fixtureTrackedEntity(n, contacts), today)
    }
    out['no enrollment'] = () => {
        const te = fixtureTrackedEntity(7, 2)
        te.enrollments = []
        return run(te, at(20))
    }
    out['no PHN, odd sex, bad birth date, bad values'] = () => {
        const te = fixtureTrackedEntity(8, 4)
        te.attributes = te.attributes
            .filter((a) => a.attribute !== ATTRIBUTES.phn && a.attribute !== ATTRIBUTES.email)
            .map((a) =>
                a.attribute === ATTRIBUTES.sex
                    ? { ...a, value: 'X' }
                    : a.attribute === ATTRIBUTES.birthDate
                      ? { ...a, value: '1996-13-40' }
                      : a
            )
        const events = te.enrollments![0]!.events!
        events[1]!.dataValues = [
            { dataElement: DATA_ELEMENTS.weightKg, value: 'heavy' },
            { dataElement: DATA_ELEMENTS.systolicBp, value: '12o' },
            { dataElement: DATA_ELEMENTS.diastolicBp, value: '80' },
            { dataElement: DATA_ELEMENTS.gravida, value: '2.5' },
            { dataElement: DATA_ELEMENTS.edd, value: 'soon' },
        ]
        events[2]!.occurredAt = 'yesterday'
        events[3]!.status = 'SCHEDULE'
        return run(te, at(30))
    }
    out['cancelled enrollment, deleted and skipped events'] = () => {
        const te = fixtureTrackedEntity(9, 5)
        const enrollment = te.enrollments![0]!
        enrollment.status = 'CANCELLED'
        enrollment.events![1]!.deleted = true
        enrollment.events![2]!.status = 'SKIPPED'
        return run(te, at(36))
    }
    out['completed enrollment'] = () => {
        const te = fixtureTrackedEntity(10, 8)
        te.enrollments![0]!.status = 'COMPLETED'
        return run(te, at(42))
    }
    out['LMP from the enrollment date only; recorded EDD kept'] = () => {
        const te = fixtureTrackedEntity(11, 3)
        const events = te.enrollments![0]!.events!
        events[0]!.dataValues = events[0]!.dataValues.filter(
            (dv) => dv.dataElement !== DATA_ELEMENTS.lmp
        )
        events[1]!.dataValues.push({ dataElement: DATA_ELEMENTS.edd, value: '2026-10-12' })
        return run(te, at(28))
    }
    out['no LMP at all'] = () => {
        const te = fixtureTrackedEntity(12, 2)
        const enrollment = te.enrollments![0]!
        delete enrollment.occurredAt
        enrollment.events![0]!.dataValues = enrollment.events![0]!.dataValues.filter(
            (dv) => dv.dataElement !== DATA_ELEMENTS.lmp
        )
        return run(te, at(22))
    }
    out['events passed apart, a contact after today, two enrollments'] = () => {
        const te = fixtureTrackedEntity(13, 6)
        const enrollment = te.enrollments![0]!
        const older = { ...enrollment, enrollment: 'EnOlder0001', enrolledAt: '2024-01-01' }
        te.enrollments = [older, enrollment]
        const events = [...enrollment.events!]
        events[5]!.occurredAt = `${addDays(at(36), 30)}T00:00:00.000`
        return run(te, at(36), { events: events.reverse() })
    }
    out['operator settings: profiles, no NIC, other systems and codes'] = () => {
        const config = defaultFhirMapping()
        config.patientProfiles = ['http://fhir.health.gov.lk/ips/StructureDefinition/ips-patient']
        config.shareNic = false
        config.systems.phn = 'urn:test:phn'
        config.systems.appointment = 'urn:test:contact'
        config.appointment.timeZoneOffset = '+06:00'
        config.observations = config.observations.slice(2)
        config.genderCodes = { FEMALE: 'other' }
        return trackerToFhirBundle(
            { trackedEntity: fixtureTrackedEntity(14, 7), today: at(38) },
            { fhir: config }
        )
    }
    return out
}

describe('trackerToFhirBundle, byte for byte as before the builders', () => {
    const all = cases()
    const digest = (value: unknown) =>
        createHash('sha256').update(JSON.stringify(value)).digest('hex')
    if (process.env.WRITE_GOLDEN === '1') {
        it('writes golden.json', () => {
            const full = Object.fromEntries(
                Object.entries(all).map(([name, make]) => [name, make()])
            )
            const golden = Object.fromEntries(
                Object.entries(full).map(([name, value]) => [name, digest(value)])
            )
            writeFileSync(GOLDEN, `${JSON.stringify(golden, null, 1)}\n`)
            if (process.env.GOLDEN_DUMP)
                writeFileSync(process.env.GOLDEN_DUMP, JSON.stringify(full))
        })
        return
    }
    const golden = existsSync(GOLDEN)
        ? (JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, string>)
        : {}
    it.each(Object.keys(all))('%s', (name) => {
        expect(golden[name]).toBeDefined()
        expect(digest(all[name]!())).toBe(golden[name])
    })
})
