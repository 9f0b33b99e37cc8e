import { existsSync } from 'node:fs'
import path from 'node:path'
import { MIDWIFE, spawnDhis2, tempDataRoot } from '../../test-support/dhis2'
import { dhis2Profile } from './profile'

jest.setTimeout(120_000)

const data = tempDataRoot()
afterAll(() => data.remove())

describe('the DHIS2 version the stand-in reproduces (DHIS2_VERSION)', () => {
    it('is 2.41.4 with route query re-decoding unless the environment says otherwise', () => {
        expect(dhis2Profile({})).toEqual({
            version: { text: '2.41.4', parts: [2, 41, 4] },
            routeQueryRedecoding: true,
        })
        expect(dhis2Profile({ DHIS2_ROUTE_QUERY_REDECODING: 'off' }).routeQueryRedecoding).toBe(
            false
        )
    })

    it('refuses a version it does not model before it writes anything, and says why', async () => {
        const root = path.join(data.dir, 'refused')
        await expect(spawnDhis2(root, { DHIS2_VERSION: '2.40.9' })).rejects.toThrow(
            'DHIS2_VERSION=2.40.9: DHIS2 2.40.9 is not modelled. The DHIS2 stand-in models 2.41 (from 2.41.4); unset DHIS2_VERSION for 2.41.4.'
        )
        expect(existsSync(path.join(root, 'dhis2'))).toBe(false)
    })

    it('answers the chosen version where the app shell and login app read it', async () => {
        const dhis2 = await spawnDhis2(path.join(data.dir, 'chosen'), {
            DHIS2_VERSION: '2.41.9.1',
        })
        try {
            const info = await (
                await fetch(`${dhis2.url}/api/system/info`, { headers: { authorization: MIDWIFE } })
            ).json()
            const login = await (await fetch(`${dhis2.url}/api/loginConfig`)).json()
            expect([info.version, login.apiVersion]).toEqual(['2.41.9.1', '2.41.9.1'])
        } finally {
            await dhis2.stop()
        }
    })
})
