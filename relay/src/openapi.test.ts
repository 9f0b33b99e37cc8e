import { readFileSync } from 'node:fs'
import { OPENAPI_PATH, renderOpenApi } from './openapi'

describe('relay/openapi.json', () => {
    it('matches the route schemas (regenerate with: npx tsx relay/src/write-openapi.ts)', async () => {
        const committed = readFileSync(OPENAPI_PATH, 'utf8')
        expect(committed).toBe(await renderOpenApi())
    })

    it('describes every endpoint of the contract', async () => {
        const document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'))
        expect(Object.keys(document.paths).sort()).toEqual([
            '/config',
            '/health',
            '/patient/logout',
            '/patient/record',
            '/patient/resource/{type}/{id}',
            '/patient/session',
            '/staff/exchange',
        ])
        expect(document.paths['/staff/exchange'].post.security).toEqual([{ routeSecret: [] }])
    })
})
