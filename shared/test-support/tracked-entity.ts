/**
 * A realistic tracked entity with an ANC enrollment and contacts, in DHIS2 v41 JSON, for tests
 * and the mapping benchmark. UIDs are derived from the index so many distinct patients can be
 * generated.
 */
import { addDays } from '../src/anc/dates'
import { dateAtGestationalAge } from '../src/anc/gestation'
import {
    ATTRIBUTES,
    DATA_ELEMENTS,
    PROGRAM_ANC,
    PROGRAM_STAGES,
    TRACKED_ENTITY_TYPE_PERSON,
} from '../src/metadata/ids'
import type { DataValue, TrackedEntity, TrackerEvent } from '../src/tracker/types'

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** An 11-character DHIS2 UID: a letter prefix + the number in base 62. */
export function fixtureUid(prefix: string, n: number): string {
    let s = ''
    let v = n
    do {
        s = ALNUM[v % 62] + s
        v = Math.floor(v / 62)
    } while (v > 0)
    return (prefix + s.padStart(11 - prefix.length, '0')).slice(0, 11)
}

export const FIXTURE_LMP = '2026-01-05'
/** GA weeks of the 8 contacts of the WHO example (first contact at 12 weeks). */
export const FIXTURE_CONTACT_WEEKS = [12, 20, 26, 30, 34, 36, 38, 40]

export function fixtureTrackedEntity(n = 1, contacts = 8, lmp = FIXTURE_LMP): TrackedEntity {
    const DE = DATA_ELEMENTS
    const events: TrackerEvent[] = FIXTURE_CONTACT_WEEKS.slice(0, contacts).map((weeks, i) => {
        const date = dateAtGestationalAge(lmp, weeks, i % 3)
        const dataValues: DataValue[] = [
            { dataElement: DE.weightKg, value: String(58 + i * 1.5) },
            { dataElement: DE.systolicBp, value: String(112 + i * 3) },
            { dataElement: DE.diastolicBp, value: String(72 + i * 2) },
            { dataElement: DE.gestationalAgeWeeks, value: String(weeks) },
            { dataElement: DE.haemoglobin, value: (11.8 - i * 0.2).toFixed(1) },
            { dataElement: DE.urineProtein, value: 'NEGATIVE' },
        ]
        if (weeks >= 20) {
            dataValues.push(
                { dataElement: DE.fundalHeightCm, value: String(weeks - 1) },
                { dataElement: DE.fetalHeartRate, value: String(140 + (i % 3) * 4) }
            )
        }
        if (i === 0) {
            dataValues.push(
                { dataElement: DE.lmp, value: lmp },
                { dataElement: DE.gravida, value: '2' },
                { dataElement: DE.parity, value: '1' },
                { dataElement: DE.heightCm, value: '158' }
            )
        }
        return {
            event: fixtureUid('Ev', n * 16 + i),
            programStage: i === 0 ? PROGRAM_STAGES.registration : PROGRAM_STAGES.contact,
            status: 'COMPLETED',
            occurredAt: `${date}T00:00:00.000`,
            orgUnit: 'DiszpKrYNg8',
            dataValues,
        }
    })
    return {
        trackedEntity: fixtureUid('Te', n),
        trackedEntityType: TRACKED_ENTITY_TYPE_PERSON,
        orgUnit: 'DiszpKrYNg8',
        attributes: [
            { attribute: ATTRIBUTES.phn, value: String(1_000_000_000 + n) },
            {
                attribute: ATTRIBUTES.esignetSub,
                value: `Zq3vN7b2c1kS9yQmY0xw5o8L6pRtUaHgEjIdKf${String(n).padStart(6, '0')}`,
            },
            { attribute: ATTRIBUTES.nic, value: '199663510742' },
            { attribute: ATTRIBUTES.fullName, value: 'Nimali Perera' },
            { attribute: ATTRIBUTES.givenName, value: 'Nimali' },
            { attribute: ATTRIBUTES.familyName, value: 'Perera' },
            { attribute: ATTRIBUTES.birthDate, value: '1996-05-14' },
            { attribute: ATTRIBUTES.sex, value: 'FEMALE' },
            { attribute: ATTRIBUTES.phone, value: '+94771234503' },
            { attribute: ATTRIBUTES.email, value: 'nimali.perera@example.lk' },
            {
                attribute: ATTRIBUTES.address,
                value: '24 Lake Road, Gampaha, Western Province, 11000, Sri Lanka',
            },
            { attribute: ATTRIBUTES.verificationStatus, value: 'VERIFIED' },
        ],
        enrollments: [
            {
                enrollment: fixtureUid('En', n),
                program: PROGRAM_ANC,
                status: 'ACTIVE',
                enrolledAt: `${addDays(lmp, 84)}T00:00:00.000`,
                occurredAt: `${lmp}T00:00:00.000`,
                orgUnit: 'DiszpKrYNg8',
                events,
            },
        ],
    }
}
