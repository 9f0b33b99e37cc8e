import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { optionsFromEnv } from './config'
import { esignetProfile } from './profile'
import { startEsignet } from './server'

const root = mkdtempSync(path.join(tmpdir(), 'anc-esignet-profile-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('the eSignet version the stand-in reproduces (ESIGNET_VERSION)', () => {
    it('is 1.6.2 with the mock identity system and the <= 1.7 token issuer unless told otherwise', () => {
        expect(esignetProfile({})).toEqual({
            version: { text: '1.6.2', parts: [1, 6, 2] },
            legacyIssuer: true,
            identitySystem: 'mock',
            fapi2: false,
        })
        expect(esignetProfile({ version: '1.6.0', legacyIssuer: false })).toMatchObject({
            version: { text: '1.6.0', parts: [1, 6, 0] },
            legacyIssuer: false,
        })
        // 1.8 fixed the issuer (mosip/esignet PR #1624).
        expect(esignetProfile({ version: '1.8.0' }).legacyIssuer).toBe(false)
        expect(esignetProfile({ version: '1.7.1', identitySystem: 'ida' })).toMatchObject({
            legacyIssuer: true,
            identitySystem: 'ida',
        })
    })

    it('refuses a version it does not model before it listens or writes, and says why', async () => {
        const dataDir = path.join(root, 'refused')
        const options = { ...optionsFromEnv({ ESIGNET_VERSION: '1.4.1' }), port: 0, dataDir }
        await expect(startEsignet(options)).rejects.toThrow(
            'ESIGNET_VERSION=1.4.1: eSignet 1.4.1 is not modelled. The eSignet stand-in models 1.5 (from 1.5.1), 1.6 (from 1.6.0), 1.7 (from 1.7.0), 1.8 (from 1.8.0); unset ESIGNET_VERSION for 1.6.2.'
        )
        expect(existsSync(dataDir)).toBe(false)
    })
})
