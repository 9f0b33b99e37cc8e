import { DataEngine, RestAPILink } from '@dhis2/data-engine'
import { DEFAULT_CLAIMS_MAPPING } from '../claims/config'
import { DEFAULT_FHIR_MAPPING } from '../fhir/config'
import { DEFAULT_PHN_CONFIG, phnFromSerial } from '../phn/phn'
import { mergeAncConfig, readAncConfig } from './anc-config'

/**
 * A real DataEngine over app-runtime's REST link; only `fetch` is replaced, by a datastore that
 * answers as DHIS2 does (JSON bodies, 404 with httpStatusCode for a missing key).
 */
function dhis2Datastore(stored: Record<string, unknown>, failWith?: number) {
    const requested: string[] = []
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
        const url = new URL(String(input))
        requested.push(url.pathname)
        const json = (status: number, body: unknown) =>
            new Response(JSON.stringify(body), {
                status,
                headers: { 'Content-Type': 'application/json;charset=UTF-8' },
            })
        if (failWith) {
            return json(failWith, { httpStatusCode: failWith, message: 'Internal error' })
        }
        const key = /^\/api\/41\/dataStore\/anc\/([^/]+)$/.exec(url.pathname)?.[1]
        if (key && Object.hasOwn(stored, key)) return json(200, stored[key])
        return json(404, {
            httpStatus: 'Not Found',
            httpStatusCode: 404,
            status: 'ERROR',
            message: `Key '${key}' not found in namespace 'anc'`,
        })
    })
    const engine = new DataEngine(
        new RestAPILink({ baseUrl: 'http://dhis2.test', apiVersion: 41 } as never)
    )
    return { engine, requested }
}

afterEach(() => jest.restoreAllMocks())

describe('readAncConfig', () => {
    it('nothing stored: the shipped defaults, no problem, one request per key', async () => {
        const { engine, requested } = dhis2Datastore({})
        const config = await readAncConfig(engine)
        expect(config).toEqual(mergeAncConfig({}))
        expect(config.phn).toEqual(DEFAULT_PHN_CONFIG)
        expect(config.fhir).toEqual(DEFAULT_FHIR_MAPPING)
        expect(config.claims).toEqual(DEFAULT_CLAIMS_MAPPING)
        expect(config.problems).toEqual([])
        expect(requested.sort()).toEqual([
            '/api/41/dataStore/anc/claims-mapping',
            '/api/41/dataStore/anc/fhir-config',
            '/api/41/dataStore/anc/phn-config',
        ])
    })

    it("uses the operator's overrides of each key", async () => {
        const { engine } = dhis2Datastore({
            'phn-config': { algorithm: 'luhn', displayGroups: [5, 5] },
            'fhir-config': { systems: { phn: 'https://nehr.example.lk/phn' } },
            'claims-mapping': { phone: { defaultCountryCode: '91', nationalNumberLengths: [10] } },
        })
        const config = await readAncConfig(engine)
        expect(config.problems).toEqual([])
        expect(phnFromSerial('000000001', config.phn)).toBe('0000000018') // Luhn, not Verhoeff's 6
        expect(config.phn.displayGroups).toEqual([5, 5])
        expect(config.fhir.systems.phn).toBe('https://nehr.example.lk/phn')
        // Sections not overridden keep their defaults.
        expect(config.fhir.systems.nic).toBe(DEFAULT_FHIR_MAPPING.systems.nic)
        expect(config.claims.phone.defaultCountryCode).toBe('91')
    })

    it('an invalid stored setting keeps its default and is reported under its key', async () => {
        const { engine } = dhis2Datastore({
            'phn-config': { algorithm: 'crc32', serialLength: 8 },
            'fhir-config': 'not an object',
        })
        const config = await readAncConfig(engine)
        expect(config.phn.algorithm).toBe('verhoeff')
        expect(config.phn.serialLength).toBe(8) // the valid part of the same key is used
        expect(config.fhir).toEqual(DEFAULT_FHIR_MAPPING)
        expect(config.problems).toEqual([
            { path: 'fhir-config', reason: 'not an object' },
            { path: 'phn-config.algorithm', reason: expect.stringContaining('verhoeff') },
        ])
    })

    it('a failing datastore (500) is an error, not silent defaults', async () => {
        const { engine } = dhis2Datastore({}, 500)
        await expect(readAncConfig(engine)).rejects.toThrow(/500/)
    })

    it('no access to the namespace (403) is an error too', async () => {
        const { engine } = dhis2Datastore({}, 403)
        await expect(readAncConfig(engine)).rejects.toThrow()
    })
})
