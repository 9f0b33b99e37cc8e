import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes'

import { type FhirServerOptions, startFhir } from '../src/fhir/server'

/** Test-only helpers: a tiny FHIR HTTP client that keeps status and headers. */
export interface FhirReply<T = Resource> {
    status: number
    headers: Headers
    body: T
}

export function fhirClient(baseUrl: string, defaultHeaders: Record<string, string> = {}) {
    return async function request<T = Resource>(
        method: string,
        path: string,
        body?: unknown,
        headers: Record<string, string> = {}
    ): Promise<FhirReply<T>> {
        const url = /^https?:/.test(path) ? path : `${baseUrl}/${path}`
        const response = await fetch(url, {
            method,
            headers: {
                accept: 'application/fhir+json',
                ...(body !== undefined && typeof body !== 'string'
                    ? { 'content-type': 'application/fhir+json' }
                    : {}),
                ...defaultHeaders,
                ...headers,
            },
            ...(body === undefined
                ? {}
                : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        })
        const text = await response.text()
        return {
            status: response.status,
            headers: response.headers,
            body: (text ? JSON.parse(text) : undefined) as T,
        }
    }
}

export const PHN = 'http://fhir.health.gov.lk/ips/identifier/phn'

export function patient(phn: string, family = 'Perera'): Resource {
    return {
        resourceType: 'Patient',
        identifier: [{ system: PHN, value: phn }],
        name: [{ family, given: ['Nimali'] }],
        gender: 'female',
        birthDate: '1995-04-12',
    }
}

export function observation(subject: string, id: string, value = 120): Resource {
    return {
        resourceType: 'Observation',
        identifier: [{ system: 'urn:dhis2:event', value: id }],
        status: 'final',
        code: {
            coding: [
                { system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' },
            ],
        },
        subject: { reference: subject },
        valueQuantity: {
            value,
            unit: 'mm[Hg]',
            system: 'http://unitsofmeasure.org',
            code: 'mm[Hg]',
        },
    } as Resource
}

export function transaction(
    entry: BundleEntry[],
    type: 'transaction' | 'batch' = 'transaction'
): Bundle {
    return { resourceType: 'Bundle', type, entry }
}

export function issuesText(outcome: OperationOutcome): string {
    return (outcome.issue ?? [])
        .map(
            (issue) =>
                `${issue.details?.text ?? ''} ${issue.diagnostics ?? ''} ${issue.expression?.join(',') ?? ''}`
        )
        .join(' | ')
}

export function resourcesOf(bundle: Bundle): Resource[] {
    return (bundle.entry ?? []).map((entry) => entry.resource as Resource)
}

/** A FHIR stand-in in this process over a temporary data directory, and a client for it. */
export async function startTestFhir(options: Omit<FhirServerOptions, 'port' | 'dataDir'> = {}) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'anc-fhir-test-'))
    const server = await startFhir({ port: 0, dataDir, ...options })
    return {
        server,
        url: server.url,
        fhir: fhirClient(server.url),
        close: async () => {
            await server.close()
            rmSync(dataDir, { recursive: true, force: true })
        },
    }
}

export type TestFhir = Awaited<ReturnType<typeof startTestFhir>>

/** A PHN-like number, different each call. */
export const uniquePhn = (): string => String(Math.floor(Math.random() * 9e9) + 1e9)

/** The diagnostics of an OperationOutcome, joined. */
export function diagnosticsOf(outcome: OperationOutcome): string {
    return (outcome.issue ?? []).map((issue) => issue.diagnostics ?? '').join(' | ')
}
