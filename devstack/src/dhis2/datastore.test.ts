import { CONFIG_PUBLIC_ACCESS } from '../../../deploy/src/metadata'
import { DEFAULT_PHN_CONFIG } from '@anc/shared/phn'
import { SEED_USERS } from './seed'
import {
    ADMIN,
    DOCTOR,
    MIDWIFE,
    spawnDhis2,
    type SpawnedDhis2,
    tempDataRoot,
} from '../../test-support/dhis2'
import { UID_PATTERN } from './util'

// Datastore sharing as DHIS2 enforces it: who may read, change and re-share a key.
jest.setTimeout(60_000)

let dhis2: SpawnedDhis2
const data = tempDataRoot()

beforeAll(async () => {
    dhis2 = await spawnDhis2(data.dir)
})

afterAll(async () => {
    await dhis2?.stop()
    data.remove()
})

const call = async (auth: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(dhis2.url + path, {
        method,
        headers: {
            authorization: auth,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    return {
        status: response.status,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
    }
}

const uidOf = async (path: string) =>
    ((await call(ADMIN, 'GET', `${path}/metaData`)).body as { id: string }).id

const sharingOf = async (auth: string, path: string) =>
    call(auth, 'GET', `/api/sharing?type=dataStore&id=${await uidOf(path)}`)

const share = async (auth: string, path: string, object: Record<string, unknown>) =>
    call(auth, 'POST', `/api/sharing?type=dataStore&id=${await uidOf(path)}`, { object })

describe('the seeded configuration', () => {
    const PHN = '/api/dataStore/anc/phn-config'

    it('is readable by a midwife, who gets a DHIS2 403 when she changes or deletes it', async () => {
        expect(await call(MIDWIFE, 'GET', PHN)).toEqual({
            status: 200,
            body: JSON.parse(JSON.stringify(DEFAULT_PHN_CONFIG)),
        })
        const denied = {
            status: 403,
            body: expect.objectContaining({
                httpStatusCode: 403,
                status: 'ERROR',
                message: "Access denied for key 'phn-config' in namespace 'anc'",
            }),
        }
        const forged = { ...DEFAULT_PHN_CONFIG, algorithm: 'none' }
        expect(await call(MIDWIFE, 'PUT', PHN, forged)).toEqual(denied)
        expect(await call(MIDWIFE, 'DELETE', PHN)).toEqual(denied)
        expect(await call(DOCTOR, 'DELETE', '/api/dataStore/anc')).toEqual({
            status: 403,
            body: expect.objectContaining({ httpStatusCode: 403 }),
        })
        expect((await call(ADMIN, 'GET', PHN)).body).toEqual(
            JSON.parse(JSON.stringify(DEFAULT_PHN_CONFIG))
        )
    })

    it('is read-only for everyone but its owner, the superuser who seeded it, who may write it', async () => {
        const sharing = await sharingOf(MIDWIFE, PHN)
        expect(sharing).toEqual({
            status: 200,
            body: {
                meta: expect.any(Object),
                object: expect.objectContaining({
                    id: expect.stringMatching(UID_PATTERN),
                    publicAccess: CONFIG_PUBLIC_ACCESS,
                    externalAccess: false,
                    user: expect.objectContaining({ id: SEED_USERS.admin.id }),
                    userAccesses: [],
                    userGroupAccesses: [],
                }),
            },
        })
        const edited = { ...DEFAULT_PHN_CONFIG, serialLength: 8 }
        expect((await call(ADMIN, 'PUT', PHN, edited)).status).toBe(200)
        expect((await call(MIDWIFE, 'GET', PHN)).body).toEqual(edited)
        expect((await call(ADMIN, 'PUT', PHN, DEFAULT_PHN_CONFIG)).status).toBe(200)
    })

    it('cannot be re-shared by a midwife', async () => {
        expect(await share(MIDWIFE, PHN, { publicAccess: 'rw------' })).toEqual({
            status: 403,
            body: expect.objectContaining({
                message: 'You do not have manage access to this object.',
            }),
        })
        expect(((await sharingOf(ADMIN, PHN)).body as { object: object }).object).toEqual(
            expect.objectContaining({ publicAccess: CONFIG_PUBLIC_ACCESS })
        )
    })
})

describe('a key staff create (the outbox)', () => {
    const OUTBOX = '/api/dataStore/anc-outbox/fhir-20260101T000000000Z-abcdefghijk'

    it('gets DHIS2 default sharing: the midwife who wrote it and any other user may change it', async () => {
        expect((await call(MIDWIFE, 'POST', OUTBOX, { attempts: 0 })).status).toBe(201)
        expect((await call(MIDWIFE, 'PUT', OUTBOX, { attempts: 1 })).status).toBe(200)
        expect((await call(DOCTOR, 'PUT', OUTBOX, { attempts: 2 })).status).toBe(200)
        const meta = (await call(MIDWIFE, 'GET', `${OUTBOX}/metaData`)).body
        expect(meta).toEqual(
            expect.objectContaining({
                id: expect.stringMatching(UID_PATTERN),
                namespace: 'anc-outbox',
                createdBy: { id: SEED_USERS.midwife.id },
                sharing: expect.objectContaining({ public: 'rw------' }),
            })
        )
        expect((await call(MIDWIFE, 'DELETE', OUTBOX)).status).toBe(200)
    })

    it('follows its sharing once changed: owner, grants and public access', async () => {
        const KEY = '/api/dataStore/anc-test/private'
        expect((await call(MIDWIFE, 'POST', KEY, { secret: 1 })).status).toBe(201)
        expect((await share(MIDWIFE, KEY, { publicAccess: '--------' })).status).toBe(200)
        // The owner keeps access; anyone else loses it, reading included.
        expect((await call(MIDWIFE, 'GET', KEY)).status).toBe(200)
        expect((await call(DOCTOR, 'GET', KEY)).status).toBe(403)
        expect((await call(DOCTOR, 'GET', `${KEY}/metaData`)).status).toBe(403)
        // A grant to one user gives that user access.
        const grant = { id: SEED_USERS.doctor.id, access: 'rw------' }
        expect(
            (await share(MIDWIFE, KEY, { publicAccess: '--------', userAccesses: [grant] })).status
        ).toBe(200)
        expect((await call(DOCTOR, 'PUT', KEY, { secret: 2 })).status).toBe(200)
        // Superusers always; a malformed access string is refused without a change.
        expect((await share(ADMIN, KEY, { publicAccess: 'rwx' })).status).toBe(409)
        expect((await call(ADMIN, 'DELETE', KEY)).status).toBe(200)
    })

    it('answers unknown types and ids like DHIS2', async () => {
        expect((await call(ADMIN, 'GET', '/api/sharing?type=route&id=ancRouteRly')).status).toBe(
            409
        )
        expect(await call(ADMIN, 'GET', '/api/sharing?type=dataStore&id=noSuchUid00')).toEqual({
            status: 404,
            body: expect.objectContaining({
                message: 'Object of type dataStore with ID noSuchUid00 was not found.',
            }),
        })
    })
})
