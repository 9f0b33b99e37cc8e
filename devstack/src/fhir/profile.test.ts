import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fhirProfile } from './profile'
import { startFhir } from './server'

const root = mkdtempSync(path.join(tmpdir(), 'anc-fhir-profile-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('the HAPI FHIR version the stand-in reproduces (FHIR_HAPI_VERSION)', () => {
    it('is 8.2 unless told otherwise', () => {
        expect(fhirProfile(undefined).version).toEqual({ text: '8.2', parts: [8, 2] })
        expect(fhirProfile('8.4.0').version.text).toBe('8.4.0')
    })

    it('refuses a version it does not model before it reads or writes, and says why', async () => {
        const dataDir = path.join(root, 'refused')
        await expect(startFhir({ hapiVersion: '7.6.0', port: 0, dataDir })).rejects.toThrow(
            'FHIR_HAPI_VERSION=7.6.0: HAPI FHIR 7.6.0 is not modelled. The HAPI FHIR stand-in models 8 (from 8.0); unset FHIR_HAPI_VERSION for 8.2.'
        )
        expect(existsSync(dataDir)).toBe(false)
    })
})
