import { ATTRIBUTES, TRACKED_ENTITY_TYPE_PERSON } from '@anc/shared/metadata'
import { ORG_UNITS } from './seed'
import { ADMIN, MIDWIFE, spawnDhis2, tempDataRoot } from '../../test-support/dhis2'

jest.setTimeout(120_000)

const data = tempDataRoot()
afterAll(() => data.remove())

const post = (url: string, path: string, body: unknown, auth = MIDWIFE) =>
    fetch(url + path, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
    })

it('keeps every acknowledged write across SIGKILL and a graceful restart', async () => {
    let dhis2 = await spawnDhis2(data.dir)
    const generated = await (
        await fetch(`${dhis2.url}/api/trackedEntityAttributes/${ATTRIBUTES.phnSerial}/generate`, {
            headers: { authorization: MIDWIFE },
        })
    ).json()
    const te = {
        trackedEntities: [
            {
                trackedEntity: 'aaaaaaaaaa1',
                trackedEntityType: TRACKED_ENTITY_TYPE_PERSON,
                orgUnit: ORG_UNITS.clinicA,
                attributes: [
                    { attribute: ATTRIBUTES.phn, value: '7000000016' },
                    { attribute: ATTRIBUTES.phnSerial, value: generated.value },
                ],
            },
        ],
    }
    expect(
        (await post(dhis2.url, '/api/tracker?async=false&importStrategy=CREATE_AND_UPDATE', te))
            .status
    ).toBe(200)
    expect(
        (await post(dhis2.url, '/api/dataStore/restart/key', { kept: true }, ADMIN)).status
    ).toBe(201)
    // Killed right after the acknowledgements: nothing may be lost.
    await dhis2.kill()

    dhis2 = await spawnDhis2(data.dir)
    const read = await fetch(
        `${dhis2.url}/api/tracker/trackedEntities/aaaaaaaaaa1?fields=attributes`,
        { headers: { authorization: MIDWIFE } }
    )
    expect(read.status).toBe(200)
    expect(JSON.stringify(await read.json())).toContain('7000000016')
    expect(
        await (
            await fetch(`${dhis2.url}/api/dataStore/restart/key`, {
                headers: { authorization: ADMIN },
            })
        ).json()
    ).toEqual({ kept: true })
    // The generator continues after the value issued before the kill.
    const next = await (
        await fetch(`${dhis2.url}/api/trackedEntityAttributes/${ATTRIBUTES.phnSerial}/generate`, {
            headers: { authorization: MIDWIFE },
        })
    ).json()
    expect(Number(next.value)).toBeGreaterThan(Number(generated.value))
    // Uniqueness still holds after recovery.
    const duplicate = structuredClone(te)
    const dupTe = duplicate.trackedEntities[0]
    if (dupTe) dupTe.trackedEntity = 'aaaaaaaaaa2'
    expect(
        (
            await post(
                dhis2.url,
                '/api/tracker?async=false&importStrategy=CREATE_AND_UPDATE',
                duplicate
            )
        ).status
    ).toBe(409)
    await dhis2.stop()

    dhis2 = await spawnDhis2(data.dir)
    const search = await fetch(
        `${dhis2.url}/api/tracker/trackedEntities?trackedEntityType=${TRACKED_ENTITY_TYPE_PERSON}&orgUnitMode=ACCESSIBLE&filter=${ATTRIBUTES.phn}:eq:7000000016`,
        { headers: { authorization: MIDWIFE } }
    )
    expect((await search.json()).trackedEntities).toHaveLength(1)
    await dhis2.stop()
})
