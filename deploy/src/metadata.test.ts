import { readFileSync } from 'node:fs'
import { ATTRIBUTES, DATA_ELEMENTS, PROGRAM_STAGES } from '@anc/shared/metadata'
import { buildDatastoreDefaults, buildMetadata, DATASTORE_FILE, METADATA_FILE } from './metadata'

type Obj = Record<string, unknown> & { id: string }
const list = (key: string) => buildMetadata()[key] as Obj[]

describe('ANC metadata package', () => {
    it('committed JSON files match the generator (run `npx tsx deploy/src/metadata.ts`)', () => {
        // Compared as data: the bytes are Prettier's business (prettier --check covers them).
        const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value))
        expect(JSON.parse(readFileSync(METADATA_FILE, 'utf8'))).toEqual(asJson(buildMetadata()))
        const defaults = asJson(buildDatastoreDefaults())
        expect(JSON.parse(readFileSync(DATASTORE_FILE, 'utf8'))).toEqual(defaults)
    })

    it('uses valid, unique DHIS2 UIDs everywhere', () => {
        const ids: string[] = []
        JSON.stringify(buildMetadata(), (key, value: unknown) => {
            if (key === 'id' && typeof value === 'string') ids.push(value)
            return value
        })
        for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/)
        // Definitions (not references) must be unique per object.
        const defined = Object.values(buildMetadata())
            .filter(Array.isArray)
            .flatMap((objects) => (objects as Obj[]).map((o) => o.id))
        expect(new Set(defined).size).toBe(defined.length)
    })

    it('makes PHN, serial, eSignet subject and NIC unique, and the serial generated', () => {
        const teas = list('trackedEntityAttributes')
        const byId = (id: string) => teas.find((a) => a.id === id)
        for (const id of [
            ATTRIBUTES.phn,
            ATTRIBUTES.phnSerial,
            ATTRIBUTES.esignetSub,
            ATTRIBUTES.nic,
        ]) {
            expect(byId(id)?.unique).toBe(true)
        }
        expect(byId(ATTRIBUTES.phnSerial)).toMatchObject({
            generated: true,
            pattern: 'SEQUENTIAL(#########)',
        })
        expect(byId(ATTRIBUTES.fullName)?.unique).toBe(false)
        const program = list('programs')[0] as unknown as {
            programTrackedEntityAttributes: {
                trackedEntityAttribute: { id: string }
                mandatory: boolean
            }[]
        }
        const nic = program.programTrackedEntityAttributes.find(
            (p) => p.trackedEntityAttribute.id === ATTRIBUTES.nic
        )
        expect(nic?.mandatory).toBe(false)
    })

    it('has a non-repeatable registration stage and a repeatable contact stage with coded elements', () => {
        const stages = list('programStages')
        expect(stages.find((s) => s.id === PROGRAM_STAGES.registration)?.repeatable).toBe(false)
        expect(stages.find((s) => s.id === PROGRAM_STAGES.contact)?.repeatable).toBe(true)
        const lmp = list('dataElements').find((d) => d.id === DATA_ELEMENTS.lmp)
        expect(lmp?.code).toBe('LOINC_8665-2')
        expect(JSON.stringify(lmp?.attributeValues)).toContain('21840007')
    })

    it('gives each role only its app, its routes and the tracker authorities it needs', () => {
        const roles = list('userRoles') as unknown as { code: string; authorities: string[] }[]
        const midwife = roles.find((r) => r.code === 'ANC_MIDWIFE')?.authorities ?? []
        const doctor = roles.find((r) => r.code === 'ANC_DOCTOR')?.authorities ?? []
        expect(midwife).toEqual(
            expect.arrayContaining(['M_ancregistration', 'ANC_USE_RELAY', 'ANC_USE_FHIR'])
        )
        expect(midwife).not.toContain('M_ancdoctor')
        expect(doctor).toEqual(expect.arrayContaining(['M_ancdoctor', 'ANC_USE_FHIR']))
        expect(doctor).not.toContain('M_ancregistration')
        for (const authority of [...midwife, ...doctor]) {
            expect(authority).not.toBe('ALL')
            expect(authority).not.toMatch(/^F_(USER|METADATA|SYSTEM|ROUTE)/)
        }
    })
})
