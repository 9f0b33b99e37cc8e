import './websocket-shim'
import {
    globalSchema,
    gone,
    matchesSearchRequest,
    notFound,
    Operator,
    OperationOutcomeError,
    preconditionFailed,
    validateResource,
} from '@medplum/core'
import type { Filter, SearchRequest, WithId } from '@medplum/core'
import { MemoryRepository } from '@medplum/fhir-router'
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes'

import { exactTokenFilters, matchesTokenExactly } from './exact-tokens'
import { referencesOf, targetOf } from './references'

/** One durable change, as written to the journal. */
export type JournalWrite =
    | { op: 'put'; resource: WithId<Resource> }
    | { op: 'delete'; resourceType: string; id: string; versionId: string; at: string }

type CreateSync = (resource: Resource, options?: unknown, update?: boolean) => WithId<Resource>
type SearchSync = (request: SearchRequest) => Bundle<WithId<Resource>>

/**
 * The private state of MemoryRepository 5.2.13 this store builds on. Relying on it is why the
 * Medplum version is pinned exactly in package.json: check these names when upgrading.
 */
interface MemoryRepositoryInternals {
    resources: Map<string, Map<string, Resource>>
    history: Map<string, Map<string, Resource[]>>
    seeding: boolean
    createResourceSync: CreateSync
    searchSync: SearchSync
}

/** A validation failure: HAPI's validating interceptor answers these with 422. */
function unprocessable(issues: OperationOutcomeIssue[]): OperationOutcome {
    return {
        resourceType: 'OperationOutcome',
        // getStatus() in @medplum/core maps this id to 422, also inside batch responses.
        id: 'business-rule',
        issue: issues.map(({ severity, code, details, expression, diagnostics }) => ({
            severity,
            code,
            ...(details ? { details } : {}),
            ...(expression ? { expression } : {}),
            ...(diagnostics ? { diagnostics } : {}),
        })),
    }
}

const keyOf = (resourceType: string, id: string): string => `${resourceType}/${id}`

/** An OperationOutcome HAPI answers with, its message in `diagnostics`; `id` sets the status. */
function hapiOutcome(id: string | undefined, code: 'conflict' | 'processing', text: string) {
    return {
        resourceType: 'OperationOutcome',
        ...(id ? { id } : {}),
        issue: [{ severity: 'error', code, diagnostics: text }],
    } as OperationOutcome
}

/** What the store enforces beyond Medplum's repository (see FhirProfile). */
export interface StoreRules {
    /**
     * HAPI FHIR's answers: 409 on a stale If-Match, no new version for an unchanged update,
     * referential integrity on write, exact token matching. False: the stand-in of before.
     */
    hapi: boolean
    /** This server's base: absolute references on it are local ones. */
    baseUrl: string
    /** Repository validation: the 412 outcome refusing a resource about to be stored, if any. */
    refuseBeforeStore?: (resource: Resource) => OperationOutcome | undefined
}

/**
 * MemoryRepository with what a FHIR server needs on top: HAPI-style integer versions, validation
 * of every write, indexes by identifier and by reference (searches narrow to the candidates
 * before Medplum's FHIRPath matching runs), deletions that leave a 410 tombstone, an undo log so
 * a failed transaction leaves nothing behind, and a list of the writes to make durable.
 */
export class FhirStore extends MemoryRepository {
    /** Last version number per `Type/id` (kept after deletion: HAPI never reuses a version). */
    private readonly versions = new Map<string, number>()
    /** `Type/id` of deleted resources, for 410 Gone. */
    private readonly deleted = new Set<string>()
    /** `Type|system|value` and `Type||value` (lower-cased, as Medplum matches tokens) to ids. */
    private readonly identifierIndex = new Map<string, Set<string>>()
    /** Referenced `Type/id` to the `Type/id` of every resource that references it. */
    private readonly referenceIndex = new Map<string, Set<string>>()
    private undoLog: (() => void)[] | undefined
    private pending: JournalWrite[] = []
    private replaying = false
    private lastTimestamp = 0
    /** `Type/id` created since begin(): a PUT that created answers 201. */
    private created = new Set<string>()
    /** While a transaction runs, references are resolved at its end (entries may point forward). */
    private deferredReferenceChecks: string[] | undefined

    constructor(readonly rules: StoreRules = { hapi: false, baseUrl: '' }) {
        super()
        const internals = this.internals
        // Instance properties shadow the private prototype methods every write and search of
        // MemoryRepository goes through (create, update, patch, conditional create/update).
        const baseCreate = internals.createResourceSync.bind(this) as CreateSync
        internals.createResourceSync = (resource, options, update) =>
            this.write(resource, options, update ?? false, baseCreate)
        const baseSearch = internals.searchSync.bind(this) as SearchSync
        internals.searchSync = (request) => this.searchNarrowed(request, baseSearch)
    }

    private get internals(): MemoryRepositoryInternals {
        return this as unknown as MemoryRepositoryInternals
    }

    /** Starts recording undo steps and journal writes for one request. */
    begin(): void {
        this.undoLog = []
        this.pending = []
        this.created = new Set()
        this.deferredReferenceChecks = undefined
    }

    /** Whether this request created `Type/id` (rather than updating it). */
    createdInRequest(resourceType: string, id: string): boolean {
        return this.created.has(keyOf(resourceType, id))
    }

    /**
     * From now until finishDeferredReferenceChecks(), references are resolved only then: HAPI
     * resolves a transaction's references once every entry has its id (entries may point
     * forward).
     */
    deferReferenceChecks(): void {
        this.deferredReferenceChecks = []
    }

    /** Resolves the references held back since deferReferenceChecks(); throws the first failure. */
    finishDeferredReferenceChecks(): void {
        const keys = this.deferredReferenceChecks ?? []
        this.deferredReferenceChecks = undefined
        for (const key of keys) {
            const [type, id] = key.split('/') as [string, string]
            const resource = this.internals.resources.get(type)?.get(id)
            if (resource) {
                this.checkReferences(resource)
            }
        }
    }

    /** Undoes every change since begin(), newest first. */
    rollback(): void {
        const steps = this.undoLog ?? []
        for (let i = steps.length - 1; i >= 0; i--) {
            steps[i]?.()
        }
        this.undoLog = undefined
        this.pending = []
    }

    /** Ends the request's unit of work and hands over the writes that must become durable. */
    commit(): JournalWrite[] {
        const writes = this.pending
        this.pending = []
        this.undoLog = undefined
        return writes
    }

    /** Re-applies journal records at start-up: no validation, versions and times as recorded. */
    async replay(writes: JournalWrite[]): Promise<void> {
        this.replaying = true
        try {
            for (const write of writes) {
                if (write.op === 'put') {
                    await this.createResource(write.resource, undefined, true)
                    // New writes must sort after replayed ones even if the clock went back.
                    const written = Date.parse(write.resource.meta?.lastUpdated ?? '')
                    this.lastTimestamp = Math.max(this.lastTimestamp, written || 0)
                } else {
                    this.applyDelete(write.resourceType, write.id, write.versionId)
                }
            }
        } finally {
            this.replaying = false
            this.pending = []
        }
    }

    override async readResource<T extends Resource>(resourceType: string, id: string): Promise<T> {
        const resource = this.internals.resources.get(resourceType)?.get(id)
        if (!resource) {
            throw new OperationOutcomeError(
                this.deleted.has(keyOf(resourceType, id)) ? gone : notFound
            )
        }
        return structuredClone(resource) as T
    }

    /**
     * HAPI answers a stale version with 409: the If-Match version becomes the id's version
     * (hapi-fhir-server `UpdateMethodBinding.applyETagAsVersion`) and a version other than the
     * current one is `ResourceVersionConflictException` "HAPI-0989: Trying to update ... but this
     * is not the current version" (hapi-fhir-storage `BaseStorageResourceDao
     * .doUpdateForUpdateOrPatch`), wrapped as HAPI-0550 by the transaction service.
     */
    override async updateResource<T extends Resource>(
        resource: T,
        options?: { ifMatch?: string }
    ): Promise<WithId<T>> {
        if (this.rules.hapi && options?.ifMatch && resource.id) {
            const existing = this.internals.resources.get(resource.resourceType)?.get(resource.id)
            if (existing && existing.meta?.versionId !== options.ifMatch) {
                throw new OperationOutcomeError(
                    hapiOutcome(
                        'conflict',
                        'processing',
                        `HAPI-0550: HAPI-0989: Trying to update ${resource.resourceType}/${resource.id}/_history/${options.ifMatch} but this is not the current version`
                    )
                )
            }
        }
        return super.updateResource(resource, options)
    }

    /** Newest version first; MemoryRepository 5.2.13 reverses its stored array in place instead. */
    override async readHistory<T extends Resource>(
        resourceType: string,
        id: string
    ): Promise<Bundle<T>> {
        const versions = this.internals.history.get(resourceType)?.get(id)
        if (!versions?.length) {
            throw new OperationOutcomeError(notFound)
        }
        const entry = versions
            .slice()
            .reverse()
            .map((version) => ({ resource: structuredClone(version) as T }))
        return { resourceType: 'Bundle', type: 'history', total: entry.length, entry }
    }

    override async deleteResource(
        resourceType: string,
        id: string,
        options?: { ifMatch?: string }
    ): Promise<void> {
        const existing = this.internals.resources.get(resourceType)?.get(id)
        if (!existing) {
            throw new OperationOutcomeError(
                this.deleted.has(keyOf(resourceType, id)) ? gone : notFound
            )
        }
        if (options?.ifMatch && existing.meta?.versionId !== options.ifMatch) {
            throw new OperationOutcomeError(preconditionFailed)
        }
        const key = keyOf(resourceType, id)
        this.applyDelete(resourceType, id, String((this.versions.get(key) ?? 0) + 1))
    }

    /**
     * The Patient compartment of one patient: every resource of a compartment type that refers to
     * the patient through one of the compartment's parameters, found through the reference index.
     */
    compartmentOf(patientId: string, compartment: Map<string, string[]>): WithId<Resource>[] {
        const patientRef = keyOf('Patient', patientId)
        const members: WithId<Resource>[] = []
        for (const sourceKey of this.referenceIndex.get(patientRef) ?? []) {
            const [type, id] = sourceKey.split('/') as [string, string]
            const params = compartment.get(type)
            const resource = this.internals.resources.get(type)?.get(id)
            if (!params || !resource) {
                continue
            }
            const inCompartment = params.some((code) =>
                matchesSearchRequest(resource, {
                    resourceType: type,
                    filters: [{ code, operator: Operator.EQUALS, value: patientRef }],
                } as SearchRequest)
            )
            if (inCompartment) {
                members.push(structuredClone(resource) as WithId<Resource>)
            }
        }
        return members
    }

    private nextTimestamp(): string {
        // Strictly increasing, so _sort=_lastUpdated orders writes of the same millisecond too.
        this.lastTimestamp = Math.max(Date.now(), this.lastTimestamp + 1)
        return new Date(this.lastTimestamp).toISOString()
    }

    private write(
        resource: Resource,
        options: unknown,
        update: boolean,
        baseCreate: CreateSync
    ): WithId<Resource> {
        const internals = this.internals
        const type = resource.resourceType
        const id = resource.id ?? this.generateId()
        const key = keyOf(type, id)
        const previous = internals.resources.get(type)?.get(id)
        if (previous && !update) {
            // Let MemoryRepository report the clash in its own words.
            return baseCreate({ ...resource, id }, options, false)
        }

        let stored: Resource
        if (this.replaying) {
            stored = { ...resource, id }
        } else {
            if (this.rules.hapi && previous && update && sameContent(previous, resource)) {
                // HAPI keeps the version of an update that changes nothing (JpaStorageSettings
                // suppressUpdatesWithNoChange, default true; BaseHapiFhirDao.updateEntity).
                return structuredClone(previous) as WithId<Resource>
            }
            const version = (this.versions.get(key) ?? 0) + 1
            // resourceType, id and meta first, as HAPI writes them.
            stored = {
                resourceType: resource.resourceType,
                id,
                meta: {
                    ...resource.meta,
                    versionId: String(version),
                    lastUpdated: this.nextTimestamp(),
                },
                ...withoutIdentity(resource),
            } as Resource
            this.validate(stored)
            const refusal = this.rules.refuseBeforeStore?.(stored)
            if (refusal) {
                throw new OperationOutcomeError(refusal)
            }
            if (this.rules.hapi) {
                if (this.deferredReferenceChecks) {
                    this.deferredReferenceChecks.push(key)
                } else {
                    this.checkReferences(stored)
                }
            }
        }

        const previousVersion = this.versions.get(key)
        const wasDeleted = this.deleted.has(key)
        const historyLength = internals.history.get(type)?.get(id)?.length ?? 0

        // Seeding mode makes MemoryRepository keep the versionId and lastUpdated given here.
        const wasSeeding = internals.seeding
        internals.seeding = true
        let result: WithId<Resource>
        try {
            result = baseCreate(stored, options, update)
        } finally {
            internals.seeding = wasSeeding
        }
        const current = internals.resources.get(type)?.get(id) as WithId<Resource>

        if (previous) {
            this.unindex(previous)
        }
        this.index(current)
        this.versions.set(key, Number(current.meta?.versionId ?? 0) || (previousVersion ?? 0) + 1)
        this.deleted.delete(key)
        if (!this.replaying) {
            this.pending.push({ op: 'put', resource: current })
            if (!previous) {
                this.created.add(key)
            }
        }

        this.undoLog?.push(() => {
            this.created.delete(key)
            const byId = internals.resources.get(type)
            this.unindex(current)
            if (previous) {
                byId?.set(id, previous)
                this.index(previous)
            } else {
                byId?.delete(id)
            }
            const versions = internals.history.get(type)?.get(id)
            if (versions) {
                versions.length = historyLength
                if (historyLength === 0) {
                    internals.history.get(type)?.delete(id)
                }
            }
            if (previousVersion === undefined) {
                this.versions.delete(key)
            } else {
                this.versions.set(key, previousVersion)
            }
            if (wasDeleted) {
                this.deleted.add(key)
            }
        })
        return result
    }

    private applyDelete(resourceType: string, id: string, versionId: string): void {
        const internals = this.internals
        const key = keyOf(resourceType, id)
        const previous = internals.resources.get(resourceType)?.get(id)
        const previousVersion = this.versions.get(key)
        const wasDeleted = this.deleted.has(key)
        const at = this.replaying ? '' : this.nextTimestamp()

        internals.resources.get(resourceType)?.delete(id)
        if (previous) {
            this.unindex(previous)
        }
        this.versions.set(key, Number(versionId))
        this.deleted.add(key)
        if (!this.replaying) {
            this.pending.push({ op: 'delete', resourceType, id, versionId, at })
        }

        this.undoLog?.push(() => {
            if (previous) {
                let byId = internals.resources.get(resourceType)
                if (!byId) {
                    byId = new Map()
                    internals.resources.set(resourceType, byId)
                }
                byId.set(id, previous)
                this.index(previous)
            }
            if (previousVersion === undefined) {
                this.versions.delete(key)
            } else {
                this.versions.set(key, previousVersion)
            }
            if (!wasDeleted) {
                this.deleted.delete(key)
            }
        })
    }

    /**
     * Referential integrity on write, as the jpaserver-starter configures HAPI
     * (`enforce_referential_integrity_on_write` true, `auto_create_placeholder_reference_targets`
     * false, `allow_external_references` false in `AppProperties`): a placeholder no entry
     * resolved is 400 "HAPI-0541: Unable to satisfy placeholder ID ..." (hapi-fhir-storage
     * `BaseTransactionProcessor`), a missing target 400 "HAPI-1094: Resource Type/id not found,
     * specified in path: ..." and a deleted one 400 HAPI-1096 (`DaoResourceLinkResolver
     * .findTargetResource`), an absolute URL on another server 400 HAPI-0507.
     */
    private checkReferences(resource: Resource): void {
        const resources = this.internals.resources
        for (const { path, reference } of referencesOf(resource)) {
            const target = targetOf(reference, this.rules.baseUrl)
            let text: string | undefined
            if (target.kind === 'placeholder') {
                const element = path.slice(path.lastIndexOf('.') + 1)
                text = `HAPI-0541: Unable to satisfy placeholder ID ${reference} found in element named '${element}' within resource of type: ${resource.resourceType}`
            } else if (target.kind === 'external') {
                text = `HAPI-0507: Resource contains external reference to URL "${reference}" but this server is not configured to allow external references`
            } else if (target.kind === 'local') {
                const [type, id] = target.key.split('/') as [string, string]
                if (this.deleted.has(target.key) && !resources.get(type)?.has(id)) {
                    text = `HAPI-1096: Resource ${target.key} is deleted, specified in path: ${path}`
                } else if (!resources.get(type)?.has(id)) {
                    text = `HAPI-1094: Resource ${target.key} not found, specified in path: ${path}`
                }
            }
            if (text) {
                throw new OperationOutcomeError(hapiOutcome(undefined, 'processing', text))
            }
        }
    }

    private validate(resource: Resource): void {
        try {
            validateResource(resource)
        } catch (error) {
            if (error instanceof OperationOutcomeError) {
                const issues = error.outcome.issue ?? []
                // An unknown resourceType cannot be parsed at all: 400, like HAPI's parser.
                if (issues.some((issue) => issue.details?.text === 'Invalid resource type')) {
                    throw error
                }
                throw new OperationOutcomeError(unprocessable(issues))
            }
            throw error
        }
    }

    private index(resource: Resource): void {
        const source = keyOf(resource.resourceType, resource.id as string)
        for (const key of identifierKeys(resource)) {
            addTo(this.identifierIndex, key, resource.id as string)
        }
        for (const target of referencesIn(resource)) {
            addTo(this.referenceIndex, target, source)
        }
    }

    private unindex(resource: Resource): void {
        const source = keyOf(resource.resourceType, resource.id as string)
        for (const key of identifierKeys(resource)) {
            removeFrom(this.identifierIndex, key, resource.id as string)
        }
        for (const target of referencesIn(resource)) {
            removeFrom(this.referenceIndex, target, source)
        }
    }

    /**
     * Runs Medplum's search over the candidates the indexes allow (a superset of the matches:
     * Medplum's own matching still decides), or over everything when no filter is indexed.
     */
    private searchNarrowed(
        request: SearchRequest,
        baseSearch: SearchSync
    ): Bundle<WithId<Resource>> {
        const type = request.resourceType
        const all = this.internals.resources.get(type)
        const candidates = all ? this.candidates(request) : undefined
        // Medplum matches tokens case-insensitively; HAPI exactly: drop what only case matches.
        const exact = this.rules.hapi ? exactTokenFilters(request) : []
        if (!all || (!candidates && exact.length === 0)) {
            return baseSearch(request)
        }
        const narrowed = new Map<string, Resource>()
        for (const id of candidates ?? all.keys()) {
            const resource = all.get(id)
            if (resource && exact.every((filter) => matchesTokenExactly(resource, filter))) {
                narrowed.set(id, resource)
            }
        }
        // Synchronous, so no other request can observe the narrowed map.
        this.internals.resources.set(type, narrowed)
        try {
            return baseSearch(request)
        } finally {
            this.internals.resources.set(type, all)
        }
    }

    private candidates(request: SearchRequest): Set<string> | undefined {
        // Chained filters look up other resources in the same maps: leave those unnarrowed.
        if (
            request.filters?.some(
                (filter) => filter.code.includes('.') || filter.code.startsWith('_has')
            )
        ) {
            return undefined
        }
        let best: Set<string> | undefined
        for (const filter of request.filters ?? []) {
            const set = this.candidatesFor(request.resourceType, filter)
            if (set && (!best || set.size < best.size)) {
                best = set
            }
        }
        return best
    }

    private candidatesFor(type: string, filter: Filter): Set<string> | undefined {
        if (filter.operator !== Operator.EQUALS || filter.value.includes('\\')) {
            return undefined
        }
        const values = filter.value.split(',')
        const result = new Set<string>()
        if (filter.code === '_id') {
            values.forEach((value) => result.add(value))
            return result
        }
        if (filter.code === 'identifier') {
            for (const value of values) {
                const bar = value.indexOf('|')
                const system = bar < 0 ? '' : value.slice(0, bar)
                const code = bar < 0 ? value : value.slice(bar + 1)
                if ((bar >= 0 && !system) || !code) {
                    return undefined
                }
                const key = `${type}|${system.toLowerCase()}|${code.toLowerCase()}`
                for (const id of this.identifierIndex.get(key) ?? []) {
                    result.add(id)
                }
            }
            return result
        }
        const parameter = globalSchema.types[type]?.searchParams?.[filter.code]
        if (parameter?.type === 'reference') {
            for (const value of values) {
                if (!/^[A-Za-z]+\/[^/]+$/.test(value)) {
                    return undefined
                }
                for (const source of this.referenceIndex.get(value) ?? []) {
                    const slash = source.indexOf('/')
                    if (source.slice(0, slash) === type) {
                        result.add(source.slice(slash + 1))
                    }
                }
            }
            return result
        }
        return undefined
    }
}

/** The resource as HAPI compares versions: without versionId and lastUpdated, keys sorted. */
function canonical(resource: Resource): string {
    const { versionId: _version, lastUpdated: _updated, ...meta } = resource.meta ?? {}
    const sorted = (value: unknown): unknown => {
        if (Array.isArray(value)) {
            return value.map(sorted)
        }
        if (value && typeof value === 'object') {
            return Object.fromEntries(
                Object.keys(value)
                    .sort()
                    .map((key) => [key, sorted((value as Record<string, unknown>)[key])])
            )
        }
        return value
    }
    const { meta: _meta, ...rest } = resource as Resource & Record<string, unknown>
    return JSON.stringify(sorted({ ...rest, ...(Object.keys(meta).length ? { meta } : {}) }))
}

/** Whether an update would store exactly what is stored already (ids aside, as the URL sets it). */
function sameContent(previous: Resource, next: Resource): boolean {
    return canonical(previous) === canonical({ ...next, id: previous.id } as Resource)
}

function withoutIdentity(resource: Resource): Record<string, unknown> {
    const {
        resourceType: _type,
        id: _id,
        meta: _meta,
        ...rest
    } = resource as Resource & Record<string, unknown>
    return rest
}

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
    let set = index.get(key)
    if (!set) {
        set = new Set()
        index.set(key, set)
    }
    set.add(value)
}

function removeFrom(index: Map<string, Set<string>>, key: string, value: string): void {
    const set = index.get(key)
    if (set) {
        set.delete(value)
        if (set.size === 0) {
            index.delete(key)
        }
    }
}

function identifierKeys(resource: Resource): string[] {
    const identifiers = (resource as { identifier?: unknown }).identifier
    const list = Array.isArray(identifiers) ? identifiers : identifiers ? [identifiers] : []
    const keys: string[] = []
    for (const identifier of list as { system?: string; value?: string }[]) {
        if (typeof identifier?.value !== 'string') {
            continue
        }
        const value = identifier.value.toLowerCase()
        keys.push(`${resource.resourceType}||${value}`)
        if (identifier.system) {
            keys.push(`${resource.resourceType}|${identifier.system.toLowerCase()}|${value}`)
        }
    }
    return keys
}

/**
 * Every `reference` string anywhere in the resource (contained resources and extensions too),
 * as `Type/id`: a superset of what any reference search parameter can match.
 */
function referencesIn(resource: Resource): Set<string> {
    const found = new Set<string>()
    const visit = (value: unknown): void => {
        if (Array.isArray(value)) {
            value.forEach(visit)
        } else if (value && typeof value === 'object') {
            for (const [key, child] of Object.entries(value)) {
                if (key === 'reference' && typeof child === 'string') {
                    const match = /([A-Za-z]+\/[^/]+)(\/_history\/[^/]+)?$/.exec(child)
                    if (match?.[1]) {
                        found.add(match[1])
                    }
                    found.add(child)
                } else if (typeof child === 'object') {
                    visit(child)
                }
            }
        }
    }
    visit(resource)
    return found
}
