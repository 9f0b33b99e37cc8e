import type { CalendarDate } from '@anc/shared/anc'
import type { AncConfig } from '@anc/shared/config'
import { mapClaimsToAttributes, requiredAttribute } from '@anc/shared/claims'
import type { VerifiedIdentity } from '@anc/shared/esignet'
import { trackerToFhirBundle } from '@anc/shared/fhir'
import { ATTRIBUTES, PROGRAM_ANC } from '@anc/shared/metadata'
import {
    getTrackedEntity,
    importTracker,
    pushOrQueue,
    searchTrackedEntities,
    type AttributeValue,
    type Engine,
    type FhirOutbox,
    type ImportProblems,
    type TrackedEntity,
} from '@anc/shared/tracker'
import type { Bundle } from '@medplum/fhirtypes'
import type { FhirDelivery } from '../register/save'

export type VerifyLaterOutcome =
    | { kind: 'verified'; trackedEntity: TrackedEntity; fhir: FhirDelivery }
    /** This identity already belongs to another record: nothing was changed. */
    | { kind: 'duplicate'; existing: TrackedEntity[] }
    | { kind: 'rejected'; problems: ImportProblems }

async function recordsWithSub(
    engine: Engine,
    attribute: string,
    sub: string,
    except: string
): Promise<TrackedEntity[]> {
    const page = await searchTrackedEntities(engine, {
        program: PROGRAM_ANC,
        orgUnitMode: 'ACCESSIBLE',
        filters: [{ attribute, value: sub }],
    })
    return page.trackedEntities.filter((te) => te.trackedEntity !== except)
}

/**
 * Verifies a record registered without eSignet: verified claims replace what was typed, the
 * record is marked VERIFIED, and the FHIR record is updated. Refused when the identity already
 * belongs to another record (checked first, and enforced by DHIS2's unique attribute: E1064).
 */
export async function verifyExistingRecord(options: {
    engine: Engine
    trackedEntity: TrackedEntity
    identity: VerifiedIdentity
    locale: string
    today: CalendarDate
    now: Date
    outbox: FhirOutbox<Bundle>
    pushFhir: (bundle: Bundle) => Promise<unknown>
    config: AncConfig
}): Promise<VerifyLaterOutcome> {
    const { engine, trackedEntity: te, identity } = options
    const subAttribute = requiredAttribute(options.config.claims, 'sub')
    const others = await recordsWithSub(engine, subAttribute, identity.sub, te.trackedEntity)
    if (others.length > 0) return { kind: 'duplicate', existing: others }
    const mapped = mapClaimsToAttributes(
        { ...identity.claims, sub: identity.sub },
        { config: options.config.claims, locale: options.locale, today: options.today }
    )
    const verifiedAt = (
        identity.authTime ? new Date(identity.authTime * 1000) : options.now
    ).toISOString()
    const updates: AttributeValue[] = [
        ...Object.entries(mapped.values).map(([attribute, value]) => ({ attribute, value })),
        { attribute: subAttribute, value: identity.sub },
        { attribute: ATTRIBUTES.verificationStatus, value: 'VERIFIED' },
        { attribute: ATTRIBUTES.verifiedAt, value: verifiedAt },
    ]
    const byAttribute = new Map(updates.map((a) => [a.attribute, a]))
    const result = await importTracker(engine, {
        trackedEntities: [
            {
                trackedEntity: te.trackedEntity,
                trackedEntityType: te.trackedEntityType,
                orgUnit: te.orgUnit,
                attributes: [...byAttribute.values()],
            },
        ],
    })
    if (!result.ok) {
        if (result.problems.duplicateAttributes.includes(subAttribute)) {
            return {
                kind: 'duplicate',
                existing: await recordsWithSub(
                    engine,
                    subAttribute,
                    identity.sub,
                    te.trackedEntity
                ),
            }
        }
        return { kind: 'rejected', problems: result.problems }
    }
    const updated =
        (await getTrackedEntity(engine, te.trackedEntity, { program: PROGRAM_ANC })) ?? te
    return { kind: 'verified', trackedEntity: updated, fhir: await sendToFhir(options, updated) }
}

/** Pushes a record's FHIR bundle now, or keeps it in the outbox. */
export async function sendToFhir(
    options: {
        today: CalendarDate
        outbox: FhirOutbox<Bundle>
        pushFhir: (b: Bundle) => Promise<unknown>
        config: Pick<AncConfig, 'fhir' | 'claims'>
    },
    trackedEntity: TrackedEntity
): Promise<FhirDelivery> {
    const { bundle } = trackerToFhirBundle({ trackedEntity, today: options.today }, options.config)
    try {
        const phn = trackedEntity.attributes.find((a) => a.attribute === ATTRIBUTES.phn)?.value
        const delivery = await pushOrQueue(options.outbox, options.pushFhir, bundle, {
            trackedEntity: trackedEntity.trackedEntity,
            ...(phn ? { label: phn } : {}),
        })
        return delivery.kind
    } catch {
        return 'notQueued'
    }
}
