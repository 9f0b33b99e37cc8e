import type { User } from '../auth'
import type { Db } from '../db'
import type { MetadataCache, MetadataObject } from '../metadata'
import { UID_PATTERN } from '../util'
import {
    type AttributeValue,
    type EnrollmentIn,
    type ErrorReport,
    type EventIn,
    type ImportedType,
    KINDS,
    type Ref,
    type TrackedEntityIn,
    type TrackerBundle,
    type TrackerType,
} from './model'
import { isSuperuser, type TrackerScopes } from './scope'

/** What validating a bundle found: the errors, and what the import then writes. */
export interface ImportValidation {
    errors: ErrorReport[]
    /** The UIDs of each kind that are stored already: the import updates these. */
    existing: Record<ImportedType, Set<string>>
    /** Attribute values each tracked entity holds after the import (stored + incoming). */
    finalAttributes: Map<string, Map<string, string>>
}

/**
 * Validates a flattened bundle the way DHIS2's tracker validation does, in its order: tracked
 * entities, enrollments, unique attribute values (against the database and within the payload),
 * then events. Reads only; nothing is written.
 */
export async function validateImport(
    db: Db,
    cache: MetadataCache,
    scopes: TrackerScopes,
    user: User,
    strategy: string,
    bundle: TrackerBundle
): Promise<ImportValidation> {
    const validator = new ImportValidator(db, cache, scopes, user, strategy)
    for (const te of bundle.entities) await validator.trackedEntity(te)
    for (const en of bundle.enrollments) await validator.enrollment(en)
    await validator.uniqueAttributes()
    for (const ev of bundle.events) await validator.event(ev, bundle.enrollments)
    return validator.result
}

class ImportValidator {
    readonly result: ImportValidation = {
        errors: [],
        existing: { TRACKED_ENTITY: new Set(), ENROLLMENT: new Set(), EVENT: new Set() },
        finalAttributes: new Map(),
    }
    private readonly captureScope: Set<string>
    /** Events of a non-repeatable stage per `enrollment/stage`, stored and in this payload. */
    private readonly stageEventCount = new Map<string, number>()

    constructor(
        private readonly db: Db,
        private readonly cache: MetadataCache,
        scopes: TrackerScopes,
        private readonly user: User,
        private readonly strategy: string
    ) {
        this.captureScope = scopes.capture(user)
    }

    private err(trackerType: TrackerType, uid: string, errorCode: string, message: string) {
        this.result.errors.push({ message, errorCode, trackerType, uid })
    }

    private async exists(table: string, uid: string): Promise<boolean> {
        return (await this.db.query(`select 1 from ${table} where uid = $1`, [uid])).rows.length > 0
    }

    /** Whether the object is stored already; with CREATE it must not be. */
    private async checkExisting(type: ImportedType, uid: string): Promise<boolean> {
        const { name, table, alreadyExists } = KINDS[type]
        const found = await this.exists(table, uid)
        if (found) this.result.existing[type].add(uid)
        if (found && this.strategy === 'CREATE')
            this.err(type, uid, alreadyExists, `${name}: \`${uid}\`, already exists.`)
        return found
    }

    /**
     * The object's org unit must exist and be in the user's capture scope. True when it
     * exists (whether in scope or not), so the caller may check more about it.
     */
    private checkOrgUnit(type: ImportedType, uid: string, orgUnit: string | undefined): boolean {
        const { name, orgUnitNotFound } = KINDS[type]
        if (!orgUnit || !this.cache.get('organisationUnits', orgUnit)) {
            this.err(
                type,
                uid,
                orgUnitNotFound,
                `Could not find OrganisationUnit: \`${orgUnit}\`, linked to ${name}.`
            )
            return false
        }
        if (!isSuperuser(this.user) && !this.captureScope.has(orgUnit))
            this.err(
                type,
                uid,
                'E1000',
                `User: \`${this.user.username}\`, has no write access to OrganisationUnit: \`${orgUnit}\`.`
            )
        return true
    }

    private async storedAttributes(te: string): Promise<Map<string, string>> {
        const { rows } = await this.db.query<{ attribute: string; value: string }>(
            'select attribute, value from attribute_values where tracked_entity = $1',
            [te]
        )
        return new Map(rows.map((r) => [r.attribute, r.value]))
    }

    private checkValues(type: TrackerType, uid: string, values: AttributeValue[]): void {
        for (const av of values) {
            const attribute = this.cache.get('trackedEntityAttributes', av.attribute)
            if (!attribute) {
                this.err(type, uid, 'E1006', `Attribute: \`${av.attribute}\`, does not exist.`)
                continue
            }
            if (av.value !== null && av.value !== undefined)
                this.checkOption(type, uid, attribute, String(av.value))
        }
    }

    /** A value of an attribute or data element with an option set must be one of its codes. */
    private checkOption(
        type: TrackerType,
        uid: string,
        object: MetadataObject,
        value: string
    ): void {
        const optionSetId = (object.optionSet as Ref | undefined)?.id
        if (!optionSetId) return
        const codes = this.cache
            .list('options')
            .filter((o) => (o.optionSet as Ref | undefined)?.id === optionSetId)
            .map((o) => o.code)
        if (!codes.includes(value)) {
            this.err(
                type,
                uid,
                'E1125',
                `Value \`${value}\` is not a valid option code in option set \`${optionSetId}\``
            )
        }
    }

    async trackedEntity(te: TrackedEntityIn): Promise<void> {
        const uid = te.trackedEntity as string
        if (!UID_PATTERN.test(uid))
            this.err(
                'TRACKED_ENTITY',
                uid,
                'E1048',
                `Object: \`${uid}\`, uid: \`${uid}\`, has an invalid uid format.`
            )
        const found = await this.checkExisting('TRACKED_ENTITY', uid)
        if (!found && this.strategy === 'UPDATE')
            this.err('TRACKED_ENTITY', uid, 'E1063', `TrackedEntity: \`${uid}\`, does not exist.`)
        const tet = te.trackedEntityType
            ? this.cache.get('trackedEntityTypes', te.trackedEntityType)
            : undefined
        if (!tet)
            this.err(
                'TRACKED_ENTITY',
                uid,
                'E1005',
                `Could not find TrackedEntityType: \`${te.trackedEntityType}\`.`
            )
        this.checkOrgUnit('TRACKED_ENTITY', uid, te.orgUnit)
        this.checkValues('TRACKED_ENTITY', uid, te.attributes ?? [])
        const values = found ? await this.storedAttributes(uid) : new Map<string, string>()
        mergeValues(values, te.attributes ?? [])
        this.result.finalAttributes.set(uid, values)
        for (const attribute of missingMandatory(tet?.trackedEntityTypeAttributes, values)) {
            this.err(
                'TRACKED_ENTITY',
                uid,
                'E1090',
                `Attribute: \`${attribute}\`, is mandatory in tracked entity type \`${tet?.id}\` but not declared in tracked entity \`${uid}\`.`
            )
        }
    }

    async enrollment(en: EnrollmentIn): Promise<void> {
        const uid = en.enrollment as string
        await this.checkExisting('ENROLLMENT', uid)
        const program = en.program ? this.cache.get('programs', en.program) : undefined
        if (!program) {
            this.err(
                'ENROLLMENT',
                uid,
                'E1069',
                `Could not find Program: \`${en.program}\`, linked to Enrollment.`
            )
            return
        }
        const te = en.trackedEntity ?? ''
        const { finalAttributes } = this.result
        if (!finalAttributes.has(te)) {
            if (!(await this.exists('tracked_entities', te))) {
                this.err(
                    'ENROLLMENT',
                    uid,
                    'E1068',
                    `Could not find TrackedEntity: \`${te}\`, linked to Enrollment.`
                )
                return
            }
            finalAttributes.set(te, await this.storedAttributes(te))
        }
        if (this.checkOrgUnit('ENROLLMENT', uid, en.orgUnit)) {
            const assigned = (program.organisationUnits as Ref[] | undefined) ?? []
            if (assigned.length > 0 && !assigned.some((ou) => ou.id === en.orgUnit)) {
                this.err(
                    'ENROLLMENT',
                    uid,
                    'E1041',
                    `OrganisationUnit: \`${en.orgUnit}\`, and Program: \`${program.id}\`, don't match.`
                )
            }
        }
        this.checkValues('ENROLLMENT', uid, en.attributes ?? [])
        const values = finalAttributes.get(te) as Map<string, string>
        mergeValues(values, en.attributes ?? [])
        for (const attribute of missingMandatory(program.programTrackedEntityAttributes, values)) {
            this.err(
                'ENROLLMENT',
                uid,
                'E1018',
                `Attribute: \`${attribute}\`, is mandatory in program \`${program.id}\` but not declared in enrollment \`${uid}\`.`
            )
        }
    }

    /** Unique attributes: against the database and within the payload (E1064). */
    async uniqueAttributes(): Promise<void> {
        const seen = new Map<string, string>()
        for (const [te, values] of this.result.finalAttributes) {
            for (const [attributeId, value] of values) {
                const attribute = this.cache.get('trackedEntityAttributes', attributeId)
                if (attribute?.unique !== true) continue
                const key = `${attributeId}\u0000${value}`
                const clash = seen.get(key)
                const { rows } = await this.db.query<{ tracked_entity: string }>(
                    'select tracked_entity from unique_attribute_values where attribute = $1 and value = $2',
                    [attributeId, value]
                )
                const owner = rows[0]?.tracked_entity
                if ((owner && owner !== te) || (clash && clash !== te)) {
                    this.err(
                        'TRACKED_ENTITY',
                        te,
                        'E1064',
                        `Non-unique attribute value \`${value}\` for attribute \`${attributeId}\``
                    )
                }
                seen.set(key, te)
            }
        }
    }

    /** An event; `enrollments` are the payload's, which it may belong to. */
    async event(ev: EventIn, enrollments: EnrollmentIn[]): Promise<void> {
        const uid = ev.event as string
        const found = await this.checkExisting('EVENT', uid)
        const stage = ev.programStage ? this.cache.get('programStages', ev.programStage) : undefined
        if (!stage) {
            this.err(
                'EVENT',
                uid,
                'E1013',
                `Could not find ProgramStage: \`${ev.programStage}\`, linked to Event.`
            )
            return
        }
        ev.program ??= (stage.program as Ref).id
        this.checkOrgUnit('EVENT', uid, ev.orgUnit)
        const enrollment = ev.enrollment ?? ''
        if (
            !enrollments.some((en) => en.enrollment === enrollment) &&
            !(await this.exists('enrollments', enrollment))
        ) {
            this.err(
                'EVENT',
                uid,
                'E1033',
                `Event: \`${uid}\`, Enrollment value is NULL or does not exist.`
            )
            return
        }
        if (stage.repeatable !== true && !found) {
            const key = `${enrollment}/${stage.id}`
            const stored = (
                await this.db.query(
                    'select 1 from events where enrollment = $1 and program_stage = $2 and uid <> $3',
                    [enrollment, stage.id, uid]
                )
            ).rows.length
            const count = (this.stageEventCount.get(key) ?? stored) + 1
            this.stageEventCount.set(key, count)
            if (count > 1)
                this.err(
                    'EVENT',
                    uid,
                    'E1039',
                    `ProgramStage: \`${stage.id}\`, is not repeatable and an event already exists.`
                )
        }
        for (const dv of ev.dataValues ?? []) {
            const de = this.cache.get('dataElements', dv.dataElement)
            if (!de)
                this.err(
                    'EVENT',
                    uid,
                    'E1304',
                    `DataElement: \`${dv.dataElement}\`, does not exist.`
                )
            else if (dv.value !== null && dv.value !== undefined)
                this.checkOption('EVENT', uid, de, String(dv.value))
        }
    }
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

function mergeValues(values: Map<string, string>, incoming: AttributeValue[]): void {
    for (const av of incoming) {
        // `value: null` deletes the value, as in DHIS2.
        if (av.value === null || av.value === undefined || av.value === '')
            values.delete(av.attribute)
        else values.set(av.attribute, String(av.value))
    }
}
