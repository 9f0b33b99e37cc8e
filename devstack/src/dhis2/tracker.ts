import type { FastifyInstance, FastifyReply } from 'fastify'
import { hasAuthority, type User } from './auth'
import type { Db } from './db'
import type { MetadataCache, MetadataObject } from './metadata'
import {
    applyFields,
    asList,
    firstOf,
    generateUid,
    parseFields,
    sendJson,
    sendMessage,
    UID_PATTERN,
} from './util'

type TrackerType = 'TRACKED_ENTITY' | 'ENROLLMENT' | 'EVENT' | 'RELATIONSHIP'
type ImportedType = Exclude<TrackerType, 'RELATIONSHIP'>

/**
 * What the import checks alike for each kind of object it writes: the name DHIS2's messages use,
 * the table it is stored in, and the error codes for "already exists" (on CREATE) and for an
 * org unit that does not exist.
 */
const KINDS: Record<
    ImportedType,
    { name: string; table: string; alreadyExists: string; orgUnitNotFound: string }
> = {
    TRACKED_ENTITY: {
        name: 'TrackedEntity',
        table: 'tracked_entities',
        alreadyExists: 'E1002',
        orgUnitNotFound: 'E1049',
    },
    ENROLLMENT: {
        name: 'Enrollment',
        table: 'enrollments',
        alreadyExists: 'E1080',
        orgUnitNotFound: 'E1070',
    },
    EVENT: { name: 'Event', table: 'events', alreadyExists: 'E1030', orgUnitNotFound: 'E1011' },
}

interface ErrorReport {
    message: string
    errorCode: string
    trackerType: TrackerType
    uid: string
}

interface AttributeValue {
    attribute: string
    value: string | null
    [key: string]: unknown
}

interface DataValue {
    dataElement: string
    value: string | null
    [key: string]: unknown
}

interface EventIn {
    event?: string
    enrollment?: string
    trackedEntity?: string
    program?: string
    programStage?: string
    orgUnit?: string
    occurredAt?: string
    scheduledAt?: string
    status?: string
    dataValues?: DataValue[]
    [key: string]: unknown
}

interface EnrollmentIn {
    enrollment?: string
    trackedEntity?: string
    program?: string
    orgUnit?: string
    enrolledAt?: string
    occurredAt?: string
    status?: string
    attributes?: AttributeValue[]
    events?: EventIn[]
    [key: string]: unknown
}

interface TrackedEntityIn {
    trackedEntity?: string
    trackedEntityType?: string
    orgUnit?: string
    attributes?: AttributeValue[]
    enrollments?: EnrollmentIn[]
    [key: string]: unknown
}

interface Ref {
    id: string
}

const stamp = () => new Date().toISOString().replace('Z', '')

/** What single and list reads return without a `fields` parameter, as DHIS2 does. */
const DEFAULT_FIELDS = {
    trackedEntity: '*,!relationships,!enrollments,!events,!programOwners',
    enrollment: '*,!relationships,!events,!attributes',
}

export function registerTracker(app: FastifyInstance, db: Db, cache: MetadataCache): void {
    const captureScope = (user: User) => cache.descendants(user.organisationUnits)
    const searchScope = (user: User) =>
        cache.descendants(
            user.teiSearchOrganisationUnits.length > 0
                ? user.teiSearchOrganisationUnits
                : user.organisationUnits
        )
    const isSuper = (user: User) => user.authorities.includes('ALL')
    /**
     * Where a user may read data of a program: a PROTECTED or CLOSED one only in the capture
     * scope, any other (or none) in the search scope.
     */
    const readScope = (user: User, programId: string | undefined) => {
        const program = programId ? cache.get('programs', programId) : undefined
        return program && ['PROTECTED', 'CLOSED'].includes(String(program.accessLevel))
            ? captureScope(user)
            : searchScope(user)
    }

    app.post('/api/tracker', async (request, reply) => {
        const user = request.user as User
        const query = request.query as Record<string, unknown>
        if (firstOf(query.async) !== 'false') {
            // The apps and the deploy command always import synchronously; say so instead of faking a job.
            return sendMessage(
                reply,
                400,
                'The DHIS2 stand-in supports only async=false tracker imports.'
            )
        }
        const strategy = firstOf(query.importStrategy) ?? 'CREATE'
        const validateOnly = firstOf(query.importMode) === 'VALIDATE'
        const body = (request.body ?? {}) as {
            trackedEntities?: TrackedEntityIn[]
            enrollments?: EnrollmentIn[]
            events?: EventIn[]
        }

        // Flatten the nested payload, assigning UIDs, like DHIS2's TrackerBundle does.
        const entities: TrackedEntityIn[] = []
        const enrollments: EnrollmentIn[] = []
        const events: EventIn[] = []
        const addEvent = (ev: EventIn) => {
            ev.event ??= generateUid()
            events.push(ev)
        }
        const addEnrollment = (en: EnrollmentIn) => {
            en.enrollment ??= generateUid()
            enrollments.push(en)
            for (const ev of en.events ?? []) {
                ev.enrollment = en.enrollment
                ev.program ??= en.program
                addEvent(ev)
            }
        }
        for (const te of body.trackedEntities ?? []) {
            te.trackedEntity ??= generateUid()
            entities.push(te)
            for (const en of te.enrollments ?? []) {
                en.trackedEntity = te.trackedEntity
                addEnrollment(en)
            }
        }
        for (const en of body.enrollments ?? []) addEnrollment(en)
        for (const ev of body.events ?? []) addEvent(ev)

        const errors: ErrorReport[] = []
        const err = (trackerType: TrackerType, uid: string, errorCode: string, message: string) =>
            errors.push({ message, errorCode, trackerType, uid })
        const scope = captureScope(user)
        const inScope = (ou: string) => isSuper(user) || scope.has(ou)
        const exists = async (table: string, uid: string) =>
            (await db.query(`select 1 from ${table} where uid = $1`, [uid])).rows.length > 0
        // The UIDs of each kind that are stored already: the import updates these.
        const existing: Record<ImportedType, Set<string>> = {
            TRACKED_ENTITY: new Set(),
            ENROLLMENT: new Set(),
            EVENT: new Set(),
        }
        /** Whether the object is stored already; with CREATE it must not be. */
        const checkExisting = async (type: ImportedType, uid: string) => {
            const { name, table, alreadyExists } = KINDS[type]
            const found = await exists(table, uid)
            if (found) existing[type].add(uid)
            if (found && strategy === 'CREATE')
                err(type, uid, alreadyExists, `${name}: \`${uid}\`, already exists.`)
            return found
        }
        /**
         * The object's org unit must exist and be in the user's capture scope. True when it
         * exists (whether in scope or not), so the caller may check more about it.
         */
        const checkOrgUnit = (type: ImportedType, uid: string, orgUnit: string | undefined) => {
            const { name, orgUnitNotFound } = KINDS[type]
            if (!orgUnit || !cache.get('organisationUnits', orgUnit)) {
                err(
                    type,
                    uid,
                    orgUnitNotFound,
                    `Could not find OrganisationUnit: \`${orgUnit}\`, linked to ${name}.`
                )
                return false
            }
            if (!inScope(orgUnit))
                err(
                    type,
                    uid,
                    'E1000',
                    `User: \`${user.username}\`, has no write access to OrganisationUnit: \`${orgUnit}\`.`
                )
            return true
        }

        // Attribute values each TE will hold after the import (stored + incoming).
        const finalAttributes = new Map<string, Map<string, string>>()
        const storedAttributes = async (te: string) => {
            const { rows } = await db.query<{ attribute: string; value: string }>(
                'select attribute, value from attribute_values where tracked_entity = $1',
                [te]
            )
            return new Map(rows.map((r) => [r.attribute, r.value]))
        }
        const checkValues = (type: TrackerType, uid: string, values: AttributeValue[]) => {
            for (const av of values) {
                const attribute = cache.get('trackedEntityAttributes', av.attribute)
                if (!attribute) {
                    err(type, uid, 'E1006', `Attribute: \`${av.attribute}\`, does not exist.`)
                    continue
                }
                if (av.value !== null && av.value !== undefined)
                    checkOption(type, uid, attribute, String(av.value), err)
            }
        }

        for (const te of entities) {
            const uid = te.trackedEntity as string
            if (!UID_PATTERN.test(uid))
                err(
                    'TRACKED_ENTITY',
                    uid,
                    'E1048',
                    `Object: \`${uid}\`, uid: \`${uid}\`, has an invalid uid format.`
                )
            const found = await checkExisting('TRACKED_ENTITY', uid)
            if (!found && strategy === 'UPDATE')
                err('TRACKED_ENTITY', uid, 'E1063', `TrackedEntity: \`${uid}\`, does not exist.`)
            const tet = te.trackedEntityType
                ? cache.get('trackedEntityTypes', te.trackedEntityType)
                : undefined
            if (!tet)
                err(
                    'TRACKED_ENTITY',
                    uid,
                    'E1005',
                    `Could not find TrackedEntityType: \`${te.trackedEntityType}\`.`
                )
            checkOrgUnit('TRACKED_ENTITY', uid, te.orgUnit)
            checkValues('TRACKED_ENTITY', uid, te.attributes ?? [])
            const values = found ? await storedAttributes(uid) : new Map<string, string>()
            mergeValues(values, te.attributes ?? [])
            finalAttributes.set(uid, values)
            for (const attribute of missingMandatory(tet?.trackedEntityTypeAttributes, values)) {
                err(
                    'TRACKED_ENTITY',
                    uid,
                    'E1090',
                    `Attribute: \`${attribute}\`, is mandatory in tracked entity type \`${tet?.id}\` but not declared in tracked entity \`${uid}\`.`
                )
            }
        }

        for (const en of enrollments) {
            const uid = en.enrollment as string
            await checkExisting('ENROLLMENT', uid)
            const program = en.program ? cache.get('programs', en.program) : undefined
            if (!program) {
                err(
                    'ENROLLMENT',
                    uid,
                    'E1069',
                    `Could not find Program: \`${en.program}\`, linked to Enrollment.`
                )
                continue
            }
            const te = en.trackedEntity ?? ''
            if (!finalAttributes.has(te)) {
                if (!(await exists('tracked_entities', te))) {
                    err(
                        'ENROLLMENT',
                        uid,
                        'E1068',
                        `Could not find TrackedEntity: \`${te}\`, linked to Enrollment.`
                    )
                    continue
                }
                finalAttributes.set(te, await storedAttributes(te))
            }
            if (checkOrgUnit('ENROLLMENT', uid, en.orgUnit)) {
                const assigned = (program.organisationUnits as Ref[] | undefined) ?? []
                if (assigned.length > 0 && !assigned.some((ou) => ou.id === en.orgUnit)) {
                    err(
                        'ENROLLMENT',
                        uid,
                        'E1041',
                        `OrganisationUnit: \`${en.orgUnit}\`, and Program: \`${program.id}\`, don't match.`
                    )
                }
            }
            checkValues('ENROLLMENT', uid, en.attributes ?? [])
            const values = finalAttributes.get(te) as Map<string, string>
            mergeValues(values, en.attributes ?? [])
            for (const attribute of missingMandatory(
                program.programTrackedEntityAttributes,
                values
            )) {
                err(
                    'ENROLLMENT',
                    uid,
                    'E1018',
                    `Attribute: \`${attribute}\`, is mandatory in program \`${program.id}\` but not declared in enrollment \`${uid}\`.`
                )
            }
        }

        // Unique attributes: against the database and within the payload (E1064).
        const seen = new Map<string, string>()
        for (const [te, values] of finalAttributes) {
            for (const [attributeId, value] of values) {
                const attribute = cache.get('trackedEntityAttributes', attributeId)
                if (attribute?.unique !== true) continue
                const key = `${attributeId}\u0000${value}`
                const clash = seen.get(key)
                const { rows } = await db.query<{ tracked_entity: string }>(
                    'select tracked_entity from unique_attribute_values where attribute = $1 and value = $2',
                    [attributeId, value]
                )
                const owner = rows[0]?.tracked_entity
                if ((owner && owner !== te) || (clash && clash !== te)) {
                    err(
                        'TRACKED_ENTITY',
                        te,
                        'E1064',
                        `Non-unique attribute value \`${value}\` for attribute \`${attributeId}\``
                    )
                }
                seen.set(key, te)
            }
        }

        const stageEventCount = new Map<string, number>()
        for (const ev of events) {
            const uid = ev.event as string
            const found = await checkExisting('EVENT', uid)
            const stage = ev.programStage ? cache.get('programStages', ev.programStage) : undefined
            if (!stage) {
                err(
                    'EVENT',
                    uid,
                    'E1013',
                    `Could not find ProgramStage: \`${ev.programStage}\`, linked to Event.`
                )
                continue
            }
            ev.program ??= (stage.program as Ref).id
            checkOrgUnit('EVENT', uid, ev.orgUnit)
            const enrollment = ev.enrollment ?? ''
            if (
                !enrollments.some((en) => en.enrollment === enrollment) &&
                !(await exists('enrollments', enrollment))
            ) {
                err(
                    'EVENT',
                    uid,
                    'E1033',
                    `Event: \`${uid}\`, Enrollment value is NULL or does not exist.`
                )
                continue
            }
            if (stage.repeatable !== true && !found) {
                const key = `${enrollment}/${stage.id}`
                const stored = (
                    await db.query(
                        'select 1 from events where enrollment = $1 and program_stage = $2 and uid <> $3',
                        [enrollment, stage.id, uid]
                    )
                ).rows.length
                const count = (stageEventCount.get(key) ?? stored) + 1
                stageEventCount.set(key, count)
                if (count > 1)
                    err(
                        'EVENT',
                        uid,
                        'E1039',
                        `ProgramStage: \`${stage.id}\`, is not repeatable and an event already exists.`
                    )
            }
            for (const dv of ev.dataValues ?? []) {
                const de = cache.get('dataElements', dv.dataElement)
                if (!de)
                    err(
                        'EVENT',
                        uid,
                        'E1304',
                        `DataElement: \`${dv.dataElement}\`, does not exist.`
                    )
                else if (dv.value !== null && dv.value !== undefined)
                    checkOption('EVENT', uid, de, String(dv.value), err)
            }
        }

        const statsFor = (list: { [k: string]: unknown }[], key: string, stored: Set<string>) => {
            const created = list.filter((o) => !stored.has(o[key] as string)).length
            return {
                created,
                updated: list.length - created,
                deleted: 0,
                ignored: 0,
                total: list.length,
            }
        }
        const respond = (status: 'OK' | 'ERROR', reportErrors: ErrorReport[]) => {
            const ok = status === 'OK' && !validateOnly
            /** One tracker type's stats (what is stored already counts as updated) and objects. */
            const typeReport = (
                type: TrackerType,
                list: { [k: string]: unknown }[],
                key: string,
                stored: Set<string>
            ) => ({
                trackerType: type,
                stats: ok ? statsFor(list, key, stored) : ignoredStats(list.length),
                objectReports: list.map((o, index) => ({
                    trackerType: type,
                    uid: o[key],
                    index,
                    errorReports: reportErrors.filter(
                        (e) => e.trackerType === type && e.uid === o[key]
                    ),
                })),
            })
            const typeReportMap = {
                TRACKED_ENTITY: typeReport(
                    'TRACKED_ENTITY',
                    entities,
                    'trackedEntity',
                    existing.TRACKED_ENTITY
                ),
                ENROLLMENT: typeReport(
                    'ENROLLMENT',
                    enrollments,
                    'enrollment',
                    existing.ENROLLMENT
                ),
                EVENT: typeReport('EVENT', events, 'event', existing.EVENT),
                // The stand-in imports no relationships.
                RELATIONSHIP: typeReport('RELATIONSHIP', [], 'relationship', new Set()),
            }
            const stats = Object.values(typeReportMap).reduce(
                (sum, { stats: s }) => ({
                    created: sum.created + s.created,
                    updated: sum.updated + s.updated,
                    deleted: 0,
                    ignored: sum.ignored + s.ignored,
                    total: sum.total + s.total,
                }),
                ignoredStats(0)
            )
            return sendJson(
                reply,
                {
                    status,
                    validationReport: { errorReports: reportErrors, warningReports: [] },
                    stats,
                    bundleReport: ok
                        ? {
                              status: 'OK',
                              typeReportMap,
                              stats,
                          }
                        : undefined,
                },
                status === 'ERROR' ? 409 : 200
            )
        }

        // atomicMode=ALL (the default): any error rejects the whole payload.
        if (errors.length > 0) return respond('ERROR', errors)
        if (validateOnly) return respond('OK', [])

        try {
            await db.transaction(async (tx) => {
                const now = stamp()
                for (const te of entities) {
                    const uid = te.trackedEntity as string
                    const { enrollments: _nested, attributes: _attrs, ...plain } = te
                    const data = {
                        ...plain,
                        trackedEntity: uid,
                        updatedAt: now,
                        createdAt: existing.TRACKED_ENTITY.has(uid) ? undefined : now,
                    }
                    await tx.query(
                        `insert into tracked_entities (uid, tracked_entity_type, org_unit, data) values ($1, $2, $3, $4)
                         on conflict (uid) do update set tracked_entity_type = excluded.tracked_entity_type,
                           org_unit = excluded.org_unit,
                           data = tracked_entities.data || excluded.data - 'createdAt'`,
                        [uid, te.trackedEntityType, te.orgUnit, JSON.stringify(data)]
                    )
                }
                for (const [te, values] of finalAttributes) {
                    await tx.query('delete from attribute_values where tracked_entity = $1', [te])
                    await tx.query(
                        'delete from unique_attribute_values where tracked_entity = $1',
                        [te]
                    )
                    for (const [attribute, value] of values) {
                        await tx.query(
                            'insert into attribute_values (tracked_entity, attribute, value) values ($1, $2, $3)',
                            [te, attribute, value]
                        )
                        if (cache.get('trackedEntityAttributes', attribute)?.unique === true) {
                            // The primary key rejects a duplicate that slipped past validation (a race).
                            await tx.query(
                                'insert into unique_attribute_values (attribute, value, tracked_entity) values ($1, $2, $3)',
                                [attribute, value, te]
                            )
                        }
                    }
                }
                for (const en of enrollments) {
                    const { events: _nested, attributes: _attrs, ...plain } = en
                    const data = {
                        status: 'ACTIVE',
                        ...plain,
                        updatedAt: now,
                        createdAt: existing.ENROLLMENT.has(en.enrollment as string)
                            ? undefined
                            : now,
                    }
                    await tx.query(
                        `insert into enrollments (uid, tracked_entity, program, org_unit, data) values ($1, $2, $3, $4, $5)
                         on conflict (uid) do update set org_unit = excluded.org_unit, data = enrollments.data || excluded.data - 'createdAt'`,
                        [
                            en.enrollment,
                            en.trackedEntity,
                            en.program,
                            en.orgUnit,
                            JSON.stringify(data),
                        ]
                    )
                }
                for (const ev of events) {
                    const te =
                        ev.trackedEntity ??
                        enrollments.find((en) => en.enrollment === ev.enrollment)?.trackedEntity ??
                        (
                            await tx.query<{ tracked_entity: string }>(
                                'select tracked_entity from enrollments where uid = $1',
                                [ev.enrollment]
                            )
                        ).rows[0]?.tracked_entity
                    const data = {
                        status: 'ACTIVE',
                        ...ev,
                        trackedEntity: te,
                        updatedAt: now,
                        createdAt: existing.EVENT.has(ev.event as string) ? undefined : now,
                    }
                    await tx.query(
                        `insert into events (uid, enrollment, tracked_entity, program, program_stage, org_unit, data) values ($1, $2, $3, $4, $5, $6, $7)
                         on conflict (uid) do update set org_unit = excluded.org_unit, data = events.data || excluded.data - 'createdAt'`,
                        [
                            ev.event,
                            ev.enrollment,
                            te,
                            ev.program,
                            ev.programStage,
                            ev.orgUnit,
                            JSON.stringify(data),
                        ]
                    )
                }
            })
        } catch (error) {
            if ((error as { code?: string }).code === '23505') {
                return respond('ERROR', [
                    {
                        message: 'Non-unique attribute value (rejected by the database)',
                        errorCode: 'E1064',
                        trackerType: 'TRACKED_ENTITY',
                        uid: entities[0]?.trackedEntity ?? '',
                    },
                ])
            }
            throw error
        }
        return respond('OK', [])
    })

    // ---- reads --------------------------------------------------------------------------------

    const loadEntity = async (uid: string): Promise<Record<string, unknown> | undefined> => {
        const { rows } = await db.query<{ data: Record<string, unknown> }>(
            'select data from tracked_entities where uid = $1',
            [uid]
        )
        const row = rows[0]
        if (!row) return undefined
        const values = await db.query<{ attribute: string; value: string }>(
            'select attribute, value from attribute_values where tracked_entity = $1 order by attribute',
            [uid]
        )
        const attributes = values.rows.map((v) => attributeOut(cache, v.attribute, v.value))
        const enrollmentRows = await db.query<{ uid: string }>(
            'select uid from enrollments where tracked_entity = $1',
            [uid]
        )
        const enrollmentList = []
        for (const en of enrollmentRows.rows)
            enrollmentList.push(await loadEnrollment(en.uid, attributes))
        return {
            ...row.data,
            attributes,
            enrollments: enrollmentList,
            relationships: [],
            programOwners: [],
        }
    }
    const loadEnrollment = async (
        uid: string,
        teAttributes?: Record<string, unknown>[]
    ): Promise<Record<string, unknown>> => {
        const { rows } = await db.query<{
            data: Record<string, unknown>
            tracked_entity: string
            program: string
        }>('select data, tracked_entity, program from enrollments where uid = $1', [uid])
        const row = rows[0]
        if (!row) return {}
        const program = cache.get('programs', row.program)
        const programAttributes = new Set(
            (
                (program?.programTrackedEntityAttributes as { trackedEntityAttribute: Ref }[]) ?? []
            ).map((p) => p.trackedEntityAttribute.id)
        )
        let attrs = teAttributes
        if (!attrs) {
            const values = await db.query<{ attribute: string; value: string }>(
                'select attribute, value from attribute_values where tracked_entity = $1',
                [row.tracked_entity]
            )
            attrs = values.rows.map((v) => attributeOut(cache, v.attribute, v.value))
        }
        const eventRows = await db.query<{ data: Record<string, unknown> }>(
            `select data from events where enrollment = $1 order by data->>'occurredAt', uid`,
            [uid]
        )
        return {
            ...row.data,
            trackedEntity: row.tracked_entity,
            attributes: attrs.filter((a) => programAttributes.has(a.attribute as string)),
            events: eventRows.rows.map((e) => e.data),
            relationships: [],
            notes: [],
        }
    }
    const canRead = (user: User, orgUnit: string, programId?: string) =>
        isSuper(user) || readScope(user, programId).has(orgUnit)
    const notFound = (reply: FastifyReply, type: string, uid: string) =>
        sendMessage(reply, 404, `${type} with id ${uid} could not be found.`)

    app.get('/api/tracker/trackedEntities/:uid', async (request, reply) => {
        const { uid } = request.params as { uid: string }
        const query = request.query as Record<string, unknown>
        const te = await loadEntity(uid)
        if (!te || !canRead(request.user as User, te.orgUnit as string, firstOf(query.program)))
            return notFound(reply, 'TrackedEntity', uid)
        const fields = parseFields(firstOf(query.fields) ?? DEFAULT_FIELDS.trackedEntity)
        return sendJson(reply, applyFields(te, fields))
    })

    app.get('/api/tracker/trackedEntities', async (request, reply) => {
        const user = request.user as User
        const query = request.query as Record<string, unknown>
        const program = firstOf(query.program)
        const tet = firstOf(query.trackedEntityType)
        const uids = listParameter(query.trackedEntities)
        if (!program && !tet && uids.length === 0) {
            return sendMessage(
                reply,
                400,
                'Either `program`, `trackedEntityType` or `trackedEntities` should be specified'
            )
        }
        if (program && !cache.get('programs', program))
            return sendMessage(reply, 400, `Program is specified but does not exist: ${program}`)
        const orgUnits = listParameter(query.orgUnits)
        const mode = firstOf(query.orgUnitMode) ?? (orgUnits.length > 0 ? 'SELECTED' : 'ACCESSIBLE')
        if (
            mode === 'ALL' &&
            !hasAuthority(user, 'F_TRACKED_ENTITY_INSTANCE_SEARCH_IN_ALL_ORGUNITS')
        ) {
            return sendMessage(
                reply,
                403,
                'Current user is not authorized to query across all organisation units'
            )
        }
        if (['SELECTED', 'DESCENDANTS', 'CHILDREN'].includes(mode) && orgUnits.length === 0) {
            return sendMessage(
                reply,
                400,
                `At least one org unit is required for orgUnitMode: ${mode}. Please add an orgUnits parameter or use a different orgUnitMode.`
            )
        }

        const where: string[] = []
        const params: unknown[] = []
        const param = (value: unknown) => {
            params.push(value)
            return `$${params.length}`
        }
        if (tet) where.push(`te.tracked_entity_type = ${param(tet)}`)
        if (program)
            where.push(
                `exists (select 1 from enrollments en where en.tracked_entity = te.uid and en.program = ${param(program)})`
            )
        if (uids.length > 0) where.push(`te.uid = any(${param(uids)})`)
        for (const filter of asList(query.filter).flatMap(splitFilters)) {
            const [attribute, ...parts] = filter
            if (!attribute) continue
            for (let i = 0; i < parts.length;) {
                const op = (parts[i] ?? '').toLowerCase()
                const takesValue = op !== 'null' && op !== '!null'
                const value = parts[i + 1] ?? ''
                i += takesValue ? 2 : 1
                const sql = filterSql(op, value, param)
                if (!sql)
                    return sendMessage(
                        reply,
                        400,
                        `Query item or filter is invalid: ${filter.join(':')}`
                    )
                const prefix = `select 1 from attribute_values av where av.tracked_entity = te.uid and av.attribute = ${param(attribute)}`
                where.push(
                    op === 'null' ? `not exists (${prefix})` : `exists (${prefix} and ${sql})`
                )
            }
        }

        // Org unit scope: what the request asks for, intersected with what the user may see.
        let allowed: Set<string> | undefined
        const selected = new Set(orgUnits)
        if (mode === 'SELECTED') allowed = selected
        else if (mode === 'DESCENDANTS') allowed = cache.descendants(orgUnits)
        else if (mode === 'CHILDREN') {
            allowed = new Set([
                ...orgUnits,
                ...cache
                    .list('organisationUnits')
                    .filter((ou) => orgUnits.includes((ou.parent as Ref | undefined)?.id ?? ''))
                    .map((ou) => ou.id),
            ])
        } else if (mode === 'CAPTURE') allowed = captureScope(user)
        else if (mode === 'ACCESSIBLE') allowed = searchScope(user)
        if (!isSuper(user)) {
            const userScope = readScope(user, program)
            allowed = new Set([...(allowed ?? userScope)].filter((ou) => userScope.has(ou)))
        }
        if (allowed) where.push(`te.org_unit = any(${param([...allowed])})`)

        const whereSql = where.length > 0 ? `where ${where.join(' and ')}` : ''
        const paging = firstOf(query.paging) !== 'false' && firstOf(query.skipPaging) !== 'true'
        const page = Math.max(1, Number(firstOf(query.page) ?? 1))
        const pageSize = Math.max(1, Math.min(1000, Number(firstOf(query.pageSize) ?? 50)))
        const limit = paging ? `limit ${pageSize} offset ${(page - 1) * pageSize}` : ''
        const { rows } = await db.query<{ uid: string }>(
            `select te.uid from tracked_entities te ${whereSql} order by te.data->>'createdAt', te.uid ${limit}`,
            params
        )
        const fields = parseFields(firstOf(query.fields) ?? DEFAULT_FIELDS.trackedEntity)
        const list = []
        for (const row of rows) list.push(applyFields(await loadEntity(row.uid), fields))
        const body: Record<string, unknown> = {}
        if (paging) {
            const pager: Record<string, unknown> = { page, pageSize }
            if (firstOf(query.totalPages) === 'true') {
                const count = await db.query<{ n: number }>(
                    `select count(*)::int as n from tracked_entities te ${whereSql}`,
                    params
                )
                const total = count.rows[0]?.n ?? 0
                pager.total = total
                pager.pageCount = Math.ceil(total / pageSize)
            }
            body.pager = pager
            Object.assign(body, { page, pageSize })
        }
        body.trackedEntities = list
        return sendJson(reply, body)
    })

    app.get('/api/tracker/enrollments/:uid', async (request, reply) => {
        const { uid } = request.params as { uid: string }
        const en = await loadEnrollment(uid)
        if (
            !en.enrollment ||
            !canRead(request.user as User, en.orgUnit as string, en.program as string)
        )
            return notFound(reply, 'Enrollment', uid)
        const fields = parseFields(
            firstOf((request.query as Record<string, unknown>).fields) ?? DEFAULT_FIELDS.enrollment
        )
        return sendJson(reply, applyFields(en, fields))
    })
    app.get('/api/tracker/enrollments', async (request, reply) => {
        const query = request.query as Record<string, unknown>
        const user = request.user as User
        const { where, params } = equalityFilters(query, [
            ['trackedEntity', 'tracked_entity'],
            ['program', 'program'],
        ])
        const { rows } = await db.query<{ uid: string }>(
            `select uid from enrollments ${where} order by uid`,
            params
        )
        const fields = parseFields(firstOf(query.fields) ?? DEFAULT_FIELDS.enrollment)
        const list = []
        for (const row of rows) {
            const en = await loadEnrollment(row.uid)
            if (canRead(user, en.orgUnit as string, en.program as string))
                list.push(applyFields(en, fields))
        }
        return sendJson(reply, { pager: { page: 1, pageSize: list.length }, enrollments: list })
    })
    app.get('/api/tracker/events/:uid', async (request, reply) => {
        const { uid } = request.params as { uid: string }
        const { rows } = await db.query<{ data: Record<string, unknown> }>(
            'select data from events where uid = $1',
            [uid]
        )
        const ev = rows[0]?.data
        if (!ev || !canRead(request.user as User, ev.orgUnit as string, ev.program as string))
            return notFound(reply, 'Event', uid)
        return sendJson(
            reply,
            applyFields(ev, parseFields(firstOf((request.query as Record<string, unknown>).fields)))
        )
    })
    app.get('/api/tracker/events', async (request, reply) => {
        const query = request.query as Record<string, unknown>
        const user = request.user as User
        const { where, params } = equalityFilters(query, [
            ['trackedEntity', 'tracked_entity'],
            ['program', 'program'],
            ['programStage', 'program_stage'],
            ['enrollments', 'enrollment'],
            ['orgUnit', 'org_unit'],
        ])
        const { rows } = await db.query<{ data: Record<string, unknown> }>(
            `select data from events ${where} order by data->>'occurredAt', uid`,
            params
        )
        const fields = parseFields(firstOf(query.fields))
        const list = rows
            .map((r) => r.data)
            .filter((ev) => canRead(user, ev.orgUnit as string, ev.program as string))
        return sendJson(reply, {
            pager: { page: 1, pageSize: list.length },
            events: list.map((ev) => applyFields(ev, fields)),
        })
    })
}

function ignoredStats(ignored: number) {
    return { created: 0, updated: 0, deleted: 0, ignored, total: ignored }
}

/**
 * The mandatory attributes among a tracked entity type's or a program's attributes
 * (`trackedEntityTypeAttributes`, `programTrackedEntityAttributes`) that `values` lacks.
 */
function missingMandatory(attributes: unknown, values: Map<string, string>): string[] {
    return ((attributes as { trackedEntityAttribute: Ref; mandatory?: boolean }[]) ?? [])
        .filter((a) => a.mandatory && !values.has(a.trackedEntityAttribute.id))
        .map((a) => a.trackedEntityAttribute.id)
}

/**
 * `column = $n` for each of these query parameters the request gives (its first value), as a
 * where clause (empty when none is given) and its parameters.
 */
function equalityFilters(
    query: Record<string, unknown>,
    columns: [parameter: string, column: string][]
): { where: string; params: unknown[] } {
    const conditions: string[] = []
    const params: unknown[] = []
    for (const [parameter, column] of columns) {
        const value = firstOf(query[parameter])
        if (value) {
            params.push(value)
            conditions.push(`${column} = $${params.length}`)
        }
    }
    return { where: conditions.length ? `where ${conditions.join(' and ')}` : '', params }
}

function mergeValues(values: Map<string, string>, incoming: AttributeValue[]): void {
    for (const av of incoming) {
        // `value: null` deletes the value, as in DHIS2.
        if (av.value === null || av.value === undefined || av.value === '')
            values.delete(av.attribute)
        else values.set(av.attribute, String(av.value))
    }
}

function attributeOut(
    cache: MetadataCache,
    attribute: string,
    value: string
): Record<string, unknown> {
    const meta = cache.get('trackedEntityAttributes', attribute)
    return {
        attribute,
        code: meta?.code,
        displayName: meta?.name,
        valueType: meta?.valueType,
        value,
    }
}

function checkOption(
    type: TrackerType,
    uid: string,
    object: MetadataObject,
    value: string,
    err: (type: TrackerType, uid: string, code: string, message: string) => void
): void {
    const optionSetId = (object.optionSet as Ref | undefined)?.id
    if (!optionSetId) return
    const codes = (globalCacheRef?.list('options') ?? [])
        .filter((o) => (o.optionSet as Ref | undefined)?.id === optionSetId)
        .map((o) => o.code)
    if (!codes.includes(value)) {
        err(
            type,
            uid,
            'E1125',
            `Value \`${value}\` is not a valid option code in option set \`${optionSetId}\``
        )
    }
}

let globalCacheRef: MetadataCache | undefined
/** checkOption needs the option list; the server sets this once at start. */
export function setOptionSource(cache: MetadataCache): void {
    globalCacheRef = cache
}

/** A list parameter's values: the parameter repeated, or values joined by `,` or `;`. */
function listParameter(value: unknown): string[] {
    return asList(value)
        .flatMap((s) => s.split(/[,;]/))
        .filter(Boolean)
}

/**
 * `filter` values: `attr:op:value[:op:value]`, several joined by `,`; `/` escapes `:` `,` `/`.
 */
function splitFilters(raw: string): string[][] {
    const filters: string[][] = []
    let parts: string[] = []
    let current = ''
    for (let i = 0; i < raw.length; i++) {
        const c = raw[i] as string
        if (c === '/' && i + 1 < raw.length && ':,/'.includes(raw[i + 1] as string)) {
            current += raw[++i]
        } else if (c === ':') {
            parts.push(current)
            current = ''
        } else if (c === ',') {
            parts.push(current)
            filters.push(parts)
            parts = []
            current = ''
        } else current += c
    }
    parts.push(current)
    filters.push(parts)
    return filters
}

function filterSql(op: string, value: string, param: (v: unknown) => string): string | undefined {
    // Tracker filters are case-insensitive.
    const v = value.toLowerCase()
    const like = (pattern: string) => `lower(av.value) like ${param(pattern)} escape '\\'`
    const escaped = v.replace(/[\\%_]/g, (m) => `\\${m}`)
    switch (op) {
        case 'eq':
            return `lower(av.value) = ${param(v)}`
        case 'ne':
            return `lower(av.value) <> ${param(v)}`
        case 'like':
            return like(`%${escaped}%`)
        case 'sw':
            return like(`${escaped}%`)
        case 'ew':
            return like(`%${escaped}`)
        case 'in':
            return `lower(av.value) = any(${param(v.split(';'))})`
        case 'gt':
        case 'ge':
        case 'lt':
        case 'le': {
            const sqlOp = { gt: '>', ge: '>=', lt: '<', le: '<=' }[op]
            return `av.value ${sqlOp} ${param(value)}`
        }
        case '!null':
            return 'true'
        case 'null':
            return 'true'
        default:
            return undefined
    }
}
