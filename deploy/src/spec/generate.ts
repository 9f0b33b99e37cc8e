/**
 * Writes deploy/spec/ from the code, so the specification cannot drift from what runs:
 *
 * - data-model.md / .json: eSignet claim → tracker attribute → FHIR element, and data element →
 *   FHIR Observation code. Claims come from DEFAULT_CLAIMS_MAPPING, attributes from the metadata
 *   package, FHIR elements from running trackerToFhirBundle on a fixture and finding where each
 *   attribute's value landed.
 * - fhir-profiles.md / .json: for every resource type we write, the elements present, identifier
 *   systems, codes and the conditional request used, from the same generated bundle.
 * - relay-openapi.json: the relay's OpenAPI document (relay/openapi.json, itself generated).
 * - routes/*.json: the two DHIS2 routes as JSON templates (secrets as ${ENV} placeholders).
 *
 * `npx tsx deploy/src/spec/generate.ts` rewrites them; a test fails when they are stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { DEFAULT_CLAIMS_MAPPING, MAPPED_FIELDS } from '@anc/shared/claims'
import {
    DEFAULT_FHIR_MAPPING,
    type ObservationMapping,
    trackerToFhirBundle,
} from '@anc/shared/fhir'
import { fixtureTrackedEntity } from '@anc/shared/test-support'
import { buildMetadata } from '../metadata'
import { buildRoutes, remoteServersAllowed } from '../routes'

export const SPEC_DIR = path.resolve(__dirname, '../../spec')
const RELAY_OPENAPI = path.resolve(__dirname, '../../../relay/openapi.json')
/** A fixed day, so appointment statuses (and so the spec) do not depend on when it is generated. */
const TODAY = '2026-03-01'

type Json = Record<string, unknown>
interface MetadataObject extends Json {
    id: string
    code?: string
    name?: string
    valueType?: string
}

function mappedBundle() {
    const { bundle } = trackerToFhirBundle(
        { trackedEntity: fixtureTrackedEntity(1, 8), today: TODAY },
        { fhir: DEFAULT_FHIR_MAPPING }
    )
    return bundle as unknown as {
        entry: { resource: Json; request?: { method: string; url: string } }[]
    }
}

/** Every leaf of a resource as a FHIR-style path (array indices dropped) with its value. */
function leaves(value: unknown, at: string, out: [string, unknown][]): [string, unknown][] {
    if (Array.isArray(value)) value.forEach((v) => leaves(v, at, out))
    else if (value !== null && typeof value === 'object') {
        for (const [k, v] of Object.entries(value as Json)) leaves(v, `${at}.${k}`, out)
    } else out.push([at, value])
    return out
}

/** Where an attribute's value shows up in the Patient (exact, or through the gender codes). */
function fhirElementsOf(attributeValue: string | undefined, patient: Json): string[] {
    if (attributeValue === undefined) return []
    const candidates = new Set(
        [attributeValue, DEFAULT_FHIR_MAPPING.genderCodes[attributeValue]].filter(Boolean)
    )
    const identifiers =
        (patient.identifier as { system?: string; value?: string }[] | undefined) ?? []
    const found = new Set<string>()
    for (const id of identifiers) {
        if (id.value !== undefined && candidates.has(id.value))
            found.add(`Patient.identifier(system=${id.system}).value`)
    }
    for (const t of (patient.telecom as { system?: string; value?: string }[] | undefined) ?? []) {
        if (t.value !== undefined && candidates.has(t.value))
            found.add(`Patient.telecom(system=${t.system}).value`)
    }
    for (const [p, v] of leaves(patient, 'Patient', [])) {
        if (p === 'Patient.identifier.value' || p === 'Patient.telecom.value') continue
        if (typeof v === 'string' && candidates.has(v)) found.add(p)
    }
    return [...found].sort()
}

export function buildDataModel(): Json {
    const metadata = buildMetadata() as Record<string, MetadataObject[]>
    const teas = metadata.trackedEntityAttributes ?? []
    const fixture = fixtureTrackedEntity(1, 8)
    const patient =
        mappedBundle()
            .entry.map((e) => e.resource)
            .find((r) => r.resourceType === 'Patient') ?? {}
    const fieldOfAttribute = new Map(
        MAPPED_FIELDS.flatMap((f) => {
            const uid = DEFAULT_CLAIMS_MAPPING.attributeOf[f]
            return uid ? [[uid, f] as const] : []
        })
    )
    const attributes = teas.map((a) => {
        const field = fieldOfAttribute.get(a.id)
        const claim = field ? DEFAULT_CLAIMS_MAPPING.claimOf[field] : undefined
        const requested = DEFAULT_CLAIMS_MAPPING.requestedClaims.find((c) => c.claim === claim)
        const value = fixture.attributes?.find((v) => v.attribute === a.id)?.value
        return {
            attribute: a.id,
            code: a.code,
            name: a.name,
            valueType: a.valueType,
            unique: a.unique === true,
            esignetClaim: claim ?? null,
            claimRequest:
                claim === 'sub'
                    ? 'always (subject)'
                    : requested
                      ? requested.essential
                          ? 'essential'
                          : 'voluntary'
                      : claim
                        ? 'not requested by default'
                        : null,
            fhirElements: fhirElementsOf(value ?? undefined, patient),
        }
    })
    const stagesOf = (de: string) =>
        (metadata.programStages ?? [])
            .filter((s) =>
                ((s.programStageDataElements as { dataElement: { id: string } }[]) ?? []).some(
                    (p) => p.dataElement.id === de
                )
            )
            .map((s) => String(s.name))
    const observation = (m: ObservationMapping, resource: string) => ({
        key: m.key,
        resource,
        category: m.category,
        codes: m.code.map((c) => `${c.system}|${c.code}`),
        value: m.value,
    })
    const bp = DEFAULT_FHIR_MAPPING.bloodPressure
    const fhirOfDe = new Map<string, Json>()
    for (const m of DEFAULT_FHIR_MAPPING.pregnancy.observations)
        fhirOfDe.set(m.dataElement, observation(m, 'Observation (pregnancy, per enrollment)'))
    for (const m of DEFAULT_FHIR_MAPPING.observations)
        fhirOfDe.set(m.dataElement, observation(m, 'Observation (per contact)'))
    const bpEntry = (component: 'systolic' | 'diastolic') => ({
        key: `bloodPressure.${component}`,
        resource: `Observation (blood pressure panel ${bp.panel.map((c) => `${c.system}|${c.code}`).join(', ')}), component`,
        category: 'vital-signs',
        codes: bp[component].map((c) => `${c.system}|${c.code}`),
        value: { type: 'quantity', ucum: 'mm[Hg]' },
    })
    fhirOfDe.set(bp.systolicDataElement, bpEntry('systolic'))
    fhirOfDe.set(bp.diastolicDataElement, bpEntry('diastolic'))
    const dataElements = (metadata.dataElements ?? []).map((d) => ({
        dataElement: d.id,
        code: d.code,
        name: d.name,
        valueType: d.valueType,
        stages: stagesOf(d.id),
        fhir: fhirOfDe.get(d.id) ?? null,
    }))
    return { identifierSystems: DEFAULT_FHIR_MAPPING.systems, attributes, dataElements }
}

/** Per resource type: elements, identifier systems, codings and requests of the mapped bundle. */
export function buildFhirProfiles(): Json {
    const byType = new Map<
        string,
        {
            count: number
            elements: Set<string>
            identifierSystems: Set<string>
            codes: Set<string>
            profiles: Set<string>
            requests: Set<string>
        }
    >()
    for (const entry of mappedBundle().entry) {
        const type = String(entry.resource.resourceType)
        const t = byType.get(type) ?? {
            count: 0,
            elements: new Set(),
            identifierSystems: new Set(),
            codes: new Set(),
            profiles: new Set(),
            requests: new Set(),
        }
        byType.set(type, t)
        t.count++
        for (const [p] of leaves(entry.resource, type, [])) t.elements.add(p)
        for (const id of (entry.resource.identifier as { system?: string }[] | undefined) ?? [])
            if (id.system) t.identifierSystems.add(id.system)
        for (const profile of ((entry.resource.meta as Json | undefined)?.profile as
            string[] | undefined) ?? [])
            t.profiles.add(profile)
        const visit = (v: unknown, key: string) => {
            if (Array.isArray(v)) v.forEach((x) => visit(x, key))
            else if (v && typeof v === 'object') {
                const o = v as Json
                if (typeof o.system === 'string' && typeof o.code === 'string')
                    t.codes.add(
                        `${key}: ${o.system}|${o.code}${o.display ? ` (${String(o.display)})` : ''}`
                    )
                for (const [k, x] of Object.entries(o))
                    visit(x, k === 'coding' ? key : `${key === '' ? type : key}.${k}`)
            } else if (key.endsWith('.code') && typeof v === 'string' && !key.includes('coding')) {
                // Plain `code` elements (status codes) are listed with the elements.
            }
        }
        visit(entry.resource, '')
        if (entry.request) {
            // Values differ per record; the shape of the conditional request is the contract.
            t.requests.add(
                `${entry.request.method} ${entry.request.url.replace(/\|[^&]*/g, '|{value}').replace(/^(\w+)\/[A-Za-z0-9-]+$/, '$1/{id}')}`
            )
        }
    }
    return Object.fromEntries(
        [...byType.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([type, t]) => [
                type,
                {
                    countInFixture: t.count,
                    profiles: [...t.profiles].sort(),
                    requests: [...t.requests].sort(),
                    identifierSystems: [...t.identifierSystems].sort(),
                    codes: [...t.codes].sort(),
                    elements: [...t.elements].sort(),
                },
            ])
    )
}

const cell = (v: unknown) =>
    v === null || v === undefined || v === '' ? '—' : String(v).replace(/\|/g, '\\|')

function dataModelMarkdown(model: Json): string {
    const attributes = model.attributes as Json[]
    const des = model.dataElements as Json[]
    const systems = model.identifierSystems as Record<string, string>
    return [
        '# Data model: eSignet claims → DHIS2 tracker → FHIR R4',
        '',
        'Generated by `npx tsx deploy/src/spec/generate.ts` from `shared/src/claims` (DEFAULT_CLAIMS_MAPPING),',
        '`shared/src/metadata/ids.ts` (through the metadata package) and `shared/src/fhir` (the mapping run on a',
        'fixture). Do not edit by hand: a test fails when this file is stale. Operators (superusers) may override',
        'the claims and FHIR mappings and the PHN format in the DHIS2 datastore (`anc/claims-mapping`,',
        '`anc/fhir-config`, `anc/phn-config`); `npm run deploy` keeps what they stored (deploy/README.md).',
        '',
        '## Person attributes',
        '',
        '| attribute (code) | UID | value type | unique | eSignet claim | request | FHIR Patient element |',
        '|---|---|---|---|---|---|---|',
        ...attributes.map(
            (a) =>
                `| ${cell(a.name)} (\`${cell(a.code)}\`) | \`${cell(a.attribute)}\` | ${cell(a.valueType)} | ${a.unique ? 'yes' : 'no'} | ${a.esignetClaim ? `\`${cell(a.esignetClaim)}\`` : '—'} | ${cell(a.claimRequest)} | ${(a.fhirElements as string[]).map((e) => `\`${cell(e)}\``).join('<br>') || 'not written to FHIR'} |`
        ),
        '',
        '## Data elements',
        '',
        '| data element (code) | UID | value type | stages | FHIR | codes | category |',
        '|---|---|---|---|---|---|---|',
        ...des.map((d) => {
            const f = d.fhir as Json | null
            return `| ${cell(d.name)} (\`${cell(d.code)}\`) | \`${cell(d.dataElement)}\` | ${cell(d.valueType)} | ${(d.stages as string[]).join(', ')} | ${f ? cell(f.resource) : 'no Observation (see fhir-profiles.md)'} | ${f ? (f.codes as string[]).map((c) => `\`${cell(c)}\``).join('<br>') : '—'} | ${f ? cell(f.category) : '—'} |`
        }),
        '',
        '## Identifier systems',
        '',
        '| identifier | system |',
        '|---|---|',
        ...Object.entries(systems).map(([k, v]) => `| ${k} | \`${v}\` |`),
        '',
    ].join('\n')
}

function profilesMarkdown(profiles: Json): string {
    const out = [
        '# FHIR R4 resources written by the ANC apps',
        '',
        'Generated by `npx tsx deploy/src/spec/generate.ts` from `shared/src/fhir` `trackerToFhirBundle`, run on',
        'the fixture record (one woman, eight contacts). One transaction Bundle per push; every entry is a',
        'conditional update on a business identifier, so repeating a push never duplicates. The FHIR server must',
        'support R4 `transaction` Bundles with conditional update (`PUT <type>?identifier=<system>|<value>`).',
        'Do not edit by hand.',
        '',
    ]
    for (const [type, raw] of Object.entries(profiles)) {
        const p = raw as Record<string, string[] | number>
        const list = (title: string, values: string[]) =>
            values.length ? [`**${title}**`, '', ...values.map((v) => `- \`${v}\``), ''] : []
        out.push(
            `## ${type}`,
            '',
            `${String(p.countInFixture)} in the fixture bundle.`,
            '',
            ...list('Profiles (meta.profile)', p.profiles as string[]),
            ...list('Requests', p.requests as string[]),
            ...list('Identifier systems', p.identifierSystems as string[]),
            ...list('Codes', p.codes as string[]),
            ...list('Elements', p.elements as string[])
        )
    }
    return out.join('\n')
}

function routeTemplates(): Record<string, string> {
    const routes = buildRoutes({
        relayUrl: '${ANC_RELAY_URL}',
        relaySecret: '${ANC_RELAY_ROUTE_SECRET}',
        fhirUrl: '${ANC_FHIR_URL}',
        fhirUsername: '${ANC_FHIR_USERNAME}',
        fhirPassword: '${ANC_FHIR_PASSWORD}',
    })
    return Object.fromEntries(
        routes.map((r) => [`routes/${r.code}.json`, `${JSON.stringify(r, null, 4)}\n`])
    )
}

/** Every generated file: path relative to deploy/spec → content. */
export function buildSpecFiles(): Record<string, string> {
    const model = buildDataModel()
    const profiles = buildFhirProfiles()
    const example = remoteServersAllowed(
        buildRoutes({
            relayUrl: 'http://anc-relay:8095',
            relaySecret: '',
            fhirUrl: 'https://nehr.example.org/fhir',
            fhirUsername: '',
            fhirPassword: '',
        })
    )
    return {
        'data-model.md': dataModelMarkdown(model),
        'data-model.json': `${JSON.stringify(model, null, 4)}\n`,
        'fhir-profiles.md': profilesMarkdown(profiles),
        'fhir-profiles.json': `${JSON.stringify(profiles, null, 4)}\n`,
        'relay-openapi.json': readFileSync(RELAY_OPENAPI, 'utf8'),
        ...routeTemplates(),
        'README.md': [
            '# Interface specification (generated)',
            '',
            'Written by `npx tsx deploy/src/spec/generate.ts`; `npx jest deploy/src/spec --selectProjects node` fails',
            'when any file here is stale.',
            '',
            '- [data-model.md](data-model.md) ([json](data-model.json)): eSignet claim → tracker attribute → FHIR element, data element → FHIR code',
            '- [fhir-profiles.md](fhir-profiles.md) ([json](fhir-profiles.json)): every FHIR resource type we write: elements, identifier systems, codes, requests',
            '- [relay-openapi.json](relay-openapi.json): the relay API (copy of `relay/openapi.json`)',
            '- [routes/](routes/): the DHIS2 routes `anc-relay` and `anc-fhir` as JSON (`${...}` = deployment settings);',
            `  their upstream origins must be listed in \`route.remote_servers_allowed\` (e.g. \`${example}\`)`,
            '',
        ].join('\n'),
    }
}

export function writeSpec(): string[] {
    const files = buildSpecFiles()
    for (const [relative, content] of Object.entries(files)) {
        const file = path.join(SPEC_DIR, relative)
        mkdirSync(path.dirname(file), { recursive: true })
        writeFileSync(file, content)
    }
    return Object.keys(files)
}

if (require.main === module) {
    const written = writeSpec()
    process.stdout.write(
        `Wrote ${written.length} files to ${path.relative(process.cwd(), SPEC_DIR)}\n`
    )
}
