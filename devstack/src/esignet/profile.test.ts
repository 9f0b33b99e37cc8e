import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { optionsFromEnv } from './config'
import { esignetProfile } from './profile'
import { startEsignet } from './server'

const root = mkdtempSync(path.join(tmpdir(), 'anc-esignet-profile-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('the eSignet version the stand-in reproduces (ESIGNET_VERSION)', () => {
    it('is 1.6.2 with the <= 1.7 token issuer unless told otherwise', () => {
        expect(esignetProfile({})).toEqual({
            version: { text: '1.6.2', parts: [1, 6, 2] },
            legacyIssuer: true,
        })
        expect(esignetProfile({ version: '1.6.0', legacyIssuer: false })).toEqual({
            version: { text: '1.6.0', parts: [1, 6, 0] },
            legacyIssuer: false,
        })
    })

    it('refuses a version it does not model before it listens or writes, and says why', async () => {
        const dataDir = path.join(root, 'refused')
        const options = { ...optionsFromEnv({ ESIGNET_VERSION: '1.8.0' }), port: 0, dataDir }
        await expect(startEsignet(options)).rejects.toThrow(
            'ESIGNET_VERSION=1.8.0: eSignet 1.8.0 is not modelled. The eSignet stand-in models 1.6 (from 1.6.0); unset ESIGNET_VERSION for 1.6.2.'
        )
        expect(existsSync(dataDir)).toBe(false)
    })
})
