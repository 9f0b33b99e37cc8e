import {
    ATTRIBUTES,
    DATA_ELEMENTS,
    DHIS2_UID_PATTERN as UID_PATTERN,
    PROGRAM_ANC,
    PROGRAM_STAGES,
} from '../metadata/ids'
import { hasValidCheckDigit } from '../phn/check-digits'
import {
    escapeFilterValue,
    getTrackedEntity,
    importTracker,
    issuePhn,
    searchTrackedEntities,
} from './api'
import { importProblems } from './import-report'
import { registrationPayload } from './registration'
import { httpError, recordingEngine } from '../../test-support/data-engine'
import type { TrackerImportReport } from './types'
import { generateUid, isValidUid } from './uid'

describe('generateUid', () => {
    it('makes 11-character DHIS2 UIDs starting with a letter', () => {
        const uids = Array.from({ length: 2000 }, generateUid)
        for (const uid of uids) expect(uid).toMatch(UID_PATTERN)
        expect(new Set(uids).size).toBe(uids.length)
    })

    it('uses every allowed character, without favouring any', () => {
        const counts = new Map<string, number>()
        for (let i = 0; i < 3000; i++) {
            for (const char of generateUid().slice(1)) counts.set(char, (counts.get(char) ?? 0) + 1)
        }
        expect(counts.size).toBe(62)
        const expected = (3000 * 10) / 62
        for (const count of counts.values()) {
            expect(count).toBeGreaterThan(expected * 0.7)
            expect(count).toBeLessThan(expected * 1.3)
        }
    })

    it.each(['1abcdefghij', 'abcdefghij', 'abcdefghijk1', 'abc-efghijk', ''])(
        'rejects %j',
        (value) => expect(isValidUid(value)).toBe(false)
    )
})

describe('searchTrackedEntities', () => {
    it('sends an explicit scope, the program, escaped eq filters, fields and paging', async () => {
        const { engine, requests } = recordingEngine(() => ({
            trackedEntities: [{ trackedEntity: 'teAAAAAAAA1', attributes: [] }],
            pager: { page: 1, pageSize: 5 },
        }))
        const page = await searchTrackedEntities(engine, {
            program: PROGRAM_ANC,
            orgUnitMode: 'ACCESSIBLE',
            filters: [{ attribute: ATTRIBUTES.nic, value: '1990:12,3/4' }],
            pageSize: 5,
        })
        expect(requests).toEqual([
            {
                type: 'read',
                resource: 'tracker/trackedEntities',
                params: {
                    program: PROGRAM_ANC,
                    orgUnitMode: 'ACCESSIBLE',
                    filter: [`${ATTRIBUTES.nic}:eq:1990/:12/,3//4`],
                    fields: expect.stringContaining('attributes[attribute,value'),
                    page: 1,
                    pageSize: 5,
                    totalPages: false,
                },
            },
        ])
        expect(page.trackedEntities).toHaveLength(1)
    })

    it('refuses a search without filters (it would list everyone in scope)', async () => {
        const { engine, requests } = recordingEngine(() => ({}))
        await expect(
            searchTrackedEntities(engine, { program: PROGRAM_ANC, orgUnitMode: 'ALL', filters: [] })
        ).rejects.toThrow(/filter/)
        expect(requests).toHaveLength(0)
    })

    it('escapes the separators the tracker filter syntax uses', () => {
        expect(escapeFilterValue('a:b,c/d')).toBe('a/:b/,c//d')
    })
})

describe('getTrackedEntity', () => {
    it('reads one person with enrollments and events', async () => {
        const { engine, requests } = recordingEngine(() => ({ trackedEntity: 'teAAAAAAAA1' }))
        await getTrackedEntity(engine, 'teAAAAAAAA1', { program: PROGRAM_ANC })
        expect(requests[0]).toMatchObject({
            resource: 'tracker/trackedEntities',
            id: 'teAAAAAAAA1',
            params: {
                program: PROGRAM_ANC,
                fields: expect.stringMatching(/enrollments\[.*events\[/),
            },
        })
    })

    it('returns null for a person that does not exist', async () => {
        const { engine } = recordingEngine(() => {
            throw httpError(404, { message: 'not found' })
        })
        await expect(getTrackedEntity(engine, 'teAAAAAAAA1')).resolves.toBeNull()
    })

    it('does not hide other failures', async () => {
        const { engine } = recordingEngine(() => {
            throw httpError(500)
        })
        await expect(getTrackedEntity(engine, 'teAAAAAAAA1')).rejects.toThrow()
    })
})

const REJECTED: TrackerImportReport = {
    status: 'ERROR',
    validationReport: {
        errorReports: [
            {
                message: `Non-unique attribute value \`200512345678\` for attribute \`${ATTRIBUTES.nic}\`.`,
                errorCode: 'E1064',
                trackerType: 'TRACKED_ENTITY',
                uid: 'teAAAAAAAA1',
            },
            {
                message: `Mandatory DataElement \`${DATA_ELEMENTS.lmp}\` is not present.`,
                errorCode: 'E1303',
                trackerType: 'EVENT',
                uid: 'evAAAAAAAA1',
            },
            {
                message:
                    'User: `midwife` has no capture scope access to OrganisationUnit: `ouAAAAAAAA1`.',
                errorCode: 'E1000',
                trackerType: 'TRACKED_ENTITY',
                uid: 'teAAAAAAAA1',
            },
            {
                message: `Value \`Robot\` is not a valid option code in OptionSet \`ancOsSex000\`.`,
                errorCode: 'E1125',
                trackerType: 'TRACKED_ENTITY',
                uid: 'teAAAAAAAA1',
                args: ['Robot', 'ancOsSex000', ATTRIBUTES.sex],
            },
        ],
    },
}

describe('importTracker', () => {
    const { payload, ids } = registrationPayload({
        orgUnit: 'ouAAAAAAAA1',
        attributes: [{ attribute: ATTRIBUTES.fullName, value: 'Nadeesha Perera' }],
        enrolledAt: '2026-11-20',
        occurredAt: '2026-09-01',
        firstContact: {
            occurredAt: '2026-11-20',
            dataValues: [{ dataElement: DATA_ELEMENTS.lmp, value: '2026-09-01' }],
        },
    })

    it('posts one synchronous, atomic CREATE_AND_UPDATE import with client UIDs', async () => {
        const { engine, requests } = recordingEngine(() => ({
            status: 'OK',
            stats: { created: 3 },
        }))
        const result = await importTracker(engine, payload)
        expect(result.ok).toBe(true)
        expect(requests).toEqual([
            {
                type: 'create',
                resource: 'tracker',
                params: { async: false, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL' },
                data: payload,
            },
        ])
        const te = payload.trackedEntities?.[0]
        expect(te?.trackedEntity).toBe(ids.trackedEntity)
        expect(te?.enrollments?.[0]?.enrollment).toBe(ids.enrollment)
        expect(te?.enrollments?.[0]?.events?.[0]).toMatchObject({
            event: ids.firstContactEvent,
            programStage: PROGRAM_STAGES.registration,
        })
        for (const uid of Object.values(ids)) expect(uid).toMatch(UID_PATTERN)
    })

    it('turns a 409 validation report into field-level and general problems', async () => {
        const { engine } = recordingEngine(() => {
            throw httpError(409, REJECTED as unknown as Record<string, unknown>)
        })
        const result = await importTracker(engine, payload, {
            knownFields: [...Object.values(ATTRIBUTES), ...Object.values(DATA_ELEMENTS)],
        })
        expect(result.ok).toBe(false)
        if (result.ok) return
        expect(result.problems.fields).toEqual({
            [ATTRIBUTES.nic]: ['This value is already registered for another person.'],
            [DATA_ELEMENTS.lmp]: ['This field is required.'],
            [ATTRIBUTES.sex]: ['This value is not one of the allowed options.'],
        })
        expect(result.problems.duplicateAttributes).toEqual([ATTRIBUTES.nic])
        expect(result.problems.general).toEqual([
            expect.objectContaining({
                errorCode: 'E1000',
                message: expect.stringMatching(/permission/),
                detail: expect.stringContaining('capture scope'),
            }),
        ])
    })

    it('rethrows failures that carry no import report', async () => {
        const { engine } = recordingEngine(() => {
            throw httpError(403, { message: 'Forbidden' })
        })
        await expect(importTracker(engine, payload)).rejects.toThrow('Forbidden')
    })
})

describe('importProblems', () => {
    it('does not key a problem by an argument that is not a UID', () => {
        const problems = importProblems({
            status: 'ERROR',
            validationReport: {
                errorReports: [
                    {
                        message: 'Non-unique attribute value `x` for attribute `<script>`.',
                        errorCode: 'E1064',
                        trackerType: 'TRACKED_ENTITY',
                        uid: 'teAAAAAAAA1',
                    },
                ],
            },
        })
        expect(problems.fields).toEqual({})
        expect(problems.general).toHaveLength(1)
    })
})

describe('issuePhn', () => {
    it('asks DHIS2 for the next serial and appends the check digit', async () => {
        const { engine, requests } = recordingEngine(() => ({
            ownerUid: ATTRIBUTES.phnSerial,
            key: 'SEQUENTIAL(#########)',
            value: '000000042',
        }))
        const { serial, phn } = await issuePhn(engine)
        expect(requests[0]).toMatchObject({
            type: 'read',
            resource: `trackedEntityAttributes/${ATTRIBUTES.phnSerial}/generate`,
        })
        expect(serial).toBe('000000042')
        expect(phn).toHaveLength(10)
        expect(phn.startsWith('000000042')).toBe(true)
        expect(hasValidCheckDigit('verhoeff', phn)).toBe(true)
    })

    it('refuses a non-numeric serial', async () => {
        const { engine } = recordingEngine(() => ({ value: '12A' }))
        await expect(issuePhn(engine)).rejects.toThrow(/numeric/)
    })
})
