import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

import type { Bundle, Resource } from '@medplum/fhirtypes'

import { startFhir } from './server'
import {
    fhirClient,
    observation,
    patient,
    PHN,
    resourcesOf,
    transaction,
} from '../../test-support/fhir-client'

// Every acknowledged write must survive a restart, also when the process is killed with SIGKILL
// right after its response: main.ts runs as a real child process here.

jest.setTimeout(60_000)

const repoRoot = path.resolve(__dirname, '../../..')
const mainScript = path.join(__dirname, 'main.ts')

interface Child {
    process: ChildProcess
    url: string
}

function startChild(dataRoot: string): Promise<Child> {
    // `node --import tsx` keeps the server in this one process, so SIGKILL reaches it.
    const child = spawn(process.execPath, ['--import', 'tsx', mainScript], {
        cwd: repoRoot,
        env: { ...process.env, ANC_DATA_DIR: dataRoot, FHIR_PORT: '0', NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
    })
    return new Promise((resolve, reject) => {
        let output = ''
        const onData = (chunk: Buffer): void => {
            output += chunk.toString()
            const match = /listening on (http:\/\/\S+)/.exec(output)
            if (match?.[1]) {
                child.stdout?.off('data', onData)
                resolve({ process: child, url: match[1] })
            }
        }
        child.stdout?.on('data', onData)
        child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
        child.once('exit', (code) =>
            reject(new Error(`FHIR stand-in exited (${code}) before listening:\n${output}`))
        )
    })
}

function killHard(child: Child): Promise<void> {
    return new Promise((resolve) => {
        child.process.once('exit', () => resolve())
        child.process.kill('SIGKILL')
    })
}

let dataRoot: string

beforeEach(() => {
    dataRoot = mkdtempSync(path.join(tmpdir(), 'fhir-persist-'))
})

afterEach(() => {
    rmSync(dataRoot, { recursive: true, force: true })
})

test('writes acknowledged just before SIGKILL are all there after a restart', async () => {
    const first = await startChild(dataRoot)
    const phn = String(Date.now()).slice(-10)
    const patientUrn = `urn:uuid:${randomUUID()}`
    let fhir = fhirClient(first.url)
    try {
        const tx = await fhir<Bundle>(
            'POST',
            '',
            transaction([
                {
                    fullUrl: patientUrn,
                    resource: patient(phn),
                    request: { method: 'PUT', url: `Patient?identifier=${PHN}|${phn}` },
                },
                {
                    resource: observation(patientUrn, 'event-1'),
                    request: { method: 'POST', url: 'Observation' },
                },
            ])
        )
        expect(tx.status).toBe(200)
        const patientId = tx.body.entry?.[0]?.response?.location?.split('/')[1] as string
        const current = await fhir('GET', `Patient/${patientId}`)
        const updated = await fhir('PUT', `Patient/${patientId}`, {
            ...current.body,
            gender: 'other',
        })
        expect(updated.status).toBe(200)
        const deleted = await fhir(
            'POST',
            'Observation',
            observation(`Patient/${patientId}`, 'event-2')
        )
        expect((await fhir('DELETE', `Observation/${deleted.body.id}`)).status).toBe(200)
        // The very last acknowledged write, then no grace at all.
        const last = await fhir('PUT', `Patient/${patientId}`, {
            ...updated.body,
            birthDate: '1994-02-03',
        })
        expect(last.status).toBe(200)
        await killHard(first)

        // Restarted in this process (it only has to read what the killed one acknowledged).
        const second = await startFhir({ port: 0, dataDir: path.join(dataRoot, 'fhir') })
        fhir = fhirClient(second.url)
        try {
            const read = await fhir('GET', `Patient/${patientId}`)
            expect(read.status).toBe(200)
            expect(read.body).toMatchObject({
                gender: 'other',
                birthDate: '1994-02-03',
                meta: { versionId: '3' },
            })
            expect(read.body.meta?.lastUpdated).toBe(last.body.meta?.lastUpdated)
            const history = await fhir<Bundle>('GET', `Patient/${patientId}/_history`)
            expect(resourcesOf(history.body).map((r) => r.meta?.versionId)).toEqual(['3', '2', '1'])
            // The indexes are rebuilt: identifier search and the compartment find the data.
            const found = await fhir<Bundle>('GET', `Patient?identifier=${PHN}|${phn}`)
            expect(found.body.total).toBe(1)
            const everything = await fhir<Bundle>('GET', `Patient/${patientId}/$everything`)
            expect(
                resourcesOf(everything.body)
                    .map((r) => r.resourceType)
                    .sort()
            ).toEqual(['Observation', 'Patient'])
            expect((await fhir('GET', `Observation/${deleted.body.id}`)).status).toBe(410)
            // Versions continue where they were.
            const next = await fhir('PUT', `Patient/${patientId}`, {
                ...read.body,
                gender: 'female',
            })
            expect(next.body.meta?.versionId).toBe('4')
        } finally {
            await second.close()
        }
    } finally {
        if (first.process.exitCode === null && first.process.signalCode === null) {
            await killHard(first)
        }
    }
})

test('a torn last journal line (a write cut off by a crash) is dropped and appends continue cleanly', async () => {
    const dir = path.join(dataRoot, 'fhir')
    let server = await startFhir({ port: 0, dataDir: dir })
    let fhir = fhirClient(server.url)
    const created = await fhir('POST', 'Patient', patient('1111111111'))
    await server.close()
    const journal = path.join(dir, 'journal.ndjson')
    appendFileSync(
        journal,
        '{"at":"2026-01-01T00:00:00Z","writes":[{"op":"put","resource":{"resourceTy'
    )

    server = await startFhir({ port: 0, dataDir: dir })
    fhir = fhirClient(server.url)
    expect((await fhir('GET', `Patient/${created.body.id}`)).status).toBe(200)
    const later = await fhir('POST', 'Patient', patient('2222222222'))
    await server.close()
    expect(readFileSync(journal, 'utf8').split('\n').filter(Boolean)).toHaveLength(2)

    server = await startFhir({ port: 0, dataDir: dir })
    fhir = fhirClient(server.url)
    try {
        expect((await fhir('GET', `Patient/${later.body.id}`)).status).toBe(200)
        expect((await fhir<Bundle>('GET', 'Patient')).body.total).toBe(2)
    } finally {
        await server.close()
    }
})

test('a failed transaction writes nothing to the journal', async () => {
    const dir = path.join(dataRoot, 'fhir')
    const server = await startFhir({ port: 0, dataDir: dir })
    const fhir = fhirClient(server.url)
    try {
        await fhir('POST', 'Patient', patient('3333333333'))
        const before = readFileSync(path.join(dir, 'journal.ndjson'), 'utf8')
        const failed = await fhir(
            'POST',
            '',
            transaction([
                { resource: patient('4444444444'), request: { method: 'POST', url: 'Patient' } },
                {
                    resource: { resourceType: 'Patient', colour: 'red' } as Resource,
                    request: { method: 'POST', url: 'Patient' },
                },
            ])
        )
        expect(failed.status).toBe(422)
        expect(readFileSync(path.join(dir, 'journal.ndjson'), 'utf8')).toBe(before)
    } finally {
        await server.close()
    }
})
