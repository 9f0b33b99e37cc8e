import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Bundle } from '@medplum/fhirtypes'

import { patient, startTestFhir, uniquePhn } from '../../test-support/fhir-client'
import { fhirProfile } from './profile'
import { startFhir } from './server'

const root = mkdtempSync(path.join(tmpdir(), 'anc-fhir-profile-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('the HAPI FHIR version the stand-in reproduces (FHIR_HAPI_VERSION)', () => {
    it('is 8.2 unless told otherwise', () => {
        expect(fhirProfile().version).toEqual({ text: '8.2', parts: [8, 2] })
        expect(fhirProfile({ hapiVersion: '8.4.0' }).version.text).toBe('8.4.0')
    })

    it('refuses a version it does not model before it reads or writes, and says why', async () => {
        const dataDir = path.join(root, 'refused')
        await expect(startFhir({ hapiVersion: '7.6.0', port: 0, dataDir })).rejects.toThrow(
            'FHIR_HAPI_VERSION=7.6.0: HAPI FHIR 7.6.0 is not modelled. The HAPI FHIR stand-in models 8 (from 8.0); unset FHIR_HAPI_VERSION for 8.2.'
        )
        expect(existsSync(dataDir)).toBe(false)
    })
})

describe('the mode (FHIR_MODE) and the NEHR profiles (FHIR_NEHR_VALIDATION)', () => {
    it('answers as HAPI FHIR unless told otherwise, and refuses values it does not know', () => {
        expect(fhirProfile()).toMatchObject({ mode: 'hapi', nehrValidation: 'off' })
        expect(() => fhirProfile({ mode: 'strict' })).toThrow(
            'FHIR_MODE=strict is not one of hapi, lenient; unset it for hapi.'
        )
        expect(() => fhirProfile({ nehrValidation: 'on' })).toThrow(
            'FHIR_NEHR_VALIDATION=on is not one of off, repository, request; unset it for off.'
        )
    })

    it('lenient keeps the stand-in of before: 412 on a stale version, offset links', async () => {
        const stand = await startTestFhir({ mode: 'lenient' })
        try {
            const created = await stand.fhir('POST', 'Patient', patient(uniquePhn()))
            await stand.fhir('PUT', `Patient/${created.body.id}`, {
                ...created.body,
                gender: 'other',
            })
            const stale = await stand.fhir(
                'PUT',
                `Patient/${created.body.id}`,
                { ...created.body, gender: 'unknown' },
                { 'if-match': 'W/"1"' }
            )
            expect(stale.status).toBe(412)
            for (let i = 0; i < 2; i++) {
                await stand.fhir('POST', 'Patient', patient(uniquePhn(), 'Lenient'))
            }
            const page = await stand.fhir<Bundle>('GET', 'Patient?family=Lenient&_count=1')
            expect(page.body.link?.find((l) => l.relation === 'next')?.url).toBe(
                `${stand.url}/Patient?_count=1&_offset=1&family=Lenient`
            )
        } finally {
            await stand.close()
        }
    })
})
