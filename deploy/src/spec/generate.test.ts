import { readFileSync } from 'node:fs'
import path from 'node:path'
import { ATTRIBUTES, ROUTE_CODES } from '@anc/shared/metadata'
import { buildDataModel, buildFhirProfiles, buildSpecFiles, SPEC_DIR } from './generate'

describe('generated specification (deploy/spec)', () => {
    it('is up to date: regenerating changes nothing (run `npx tsx deploy/src/spec/generate.ts`)', () => {
        for (const [relative, content] of Object.entries(buildSpecFiles())) {
            const onDisk = readFileSync(path.join(SPEC_DIR, relative), 'utf8')
            expect({ file: relative, content: onDisk }).toEqual({ file: relative, content })
        }
    })

    it('traces verified claims through tracker attributes to the Patient elements they fill', () => {
        const attributes = buildDataModel().attributes as {
            attribute: string
            esignetClaim: string | null
            fhirElements: string[]
        }[]
        const of = (uid: string) => attributes.find((a) => a.attribute === uid)
        expect(of(ATTRIBUTES.esignetSub)).toMatchObject({
            esignetClaim: 'sub',
            fhirElements: ['Patient.identifier(system=urn:esignet:sub).value'],
        })
        expect(of(ATTRIBUTES.birthDate)).toMatchObject({
            esignetClaim: 'birthdate',
            fhirElements: ['Patient.birthDate'],
        })
        expect(of(ATTRIBUTES.sex)?.fhirElements).toEqual(['Patient.gender'])
        expect(of(ATTRIBUTES.phone)?.fhirElements).toEqual(['Patient.telecom(system=phone).value'])
        // The PHN is ours, not a claim, and is the Patient's business identifier.
        expect(of(ATTRIBUTES.phn)).toMatchObject({ esignetClaim: null })
        expect(of(ATTRIBUTES.phn)?.fhirElements[0]).toMatch(
            /^Patient\.identifier\(system=.*phn\)\.value$/
        )
    })

    it('lists every resource type the mapping writes, each upserted conditionally on an identifier', () => {
        const profiles = buildFhirProfiles() as Record<
            string,
            { requests: string[]; identifierSystems: string[] }
        >
        expect(Object.keys(profiles)).toEqual(
            expect.arrayContaining([
                'Patient',
                'Observation',
                'Encounter',
                'EpisodeOfCare',
                'Condition',
                'Appointment',
            ])
        )
        for (const [type, p] of Object.entries(profiles)) {
            expect(p.requests.length).toBeGreaterThan(0)
            for (const request of p.requests)
                expect(request).toMatch(
                    new RegExp(`^PUT ${type}\\?identifier=[^|]+\\|\\{value\\}$`)
                )
        }
    })

    it('ships route templates without any secret value', () => {
        const files = buildSpecFiles()
        const relay = JSON.parse(files[`routes/${ROUTE_CODES.relay}.json`] ?? '{}') as {
            auth: { headers: Record<string, string> }
        }
        expect(relay.auth.headers).toEqual({ 'X-ANC-Route-Secret': '${ANC_RELAY_ROUTE_SECRET}' })
    })
})
