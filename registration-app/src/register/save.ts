import type { CalendarDate } from '@anc/shared/anc'
import type { AncConfig } from '@anc/shared/config'
import { trackerToFhirBundle } from '@anc/shared/fhir'
import { requiredAttribute } from '@anc/shared/claims'
import { ATTRIBUTES, PROGRAM_ANC } from '@anc/shared/metadata'
import {
    importTracker,
    issuePhn,
    pushOrQueue,
    registrationPayload,
    searchTrackedEntities,
    type Engine,
    type FhirOutbox,
    type ImportProblems,
    type RegistrationIds,
    type TrackedEntity,
} from '@anc/shared/tracker'
import type { Bundle } from '@medplum/fhirtypes'
import {
    firstContactDataValues,
    pregnancySummary,
    registrationAttributes,
    storedPersonFields,
    type RegistrationForm,
} from './form'

/**
 * What one registration has already obtained from the server. Kept across retries: a retry
 * after a lost response reuses the PHN and the UIDs, so CREATE_AND_UPDATE finds the record it
 * may already have created instead of creating a second one, and no PHN is wasted.
 */
export interface SaveAttempt {
    ids?: RegistrationIds
    phn?: { serial: string; phn: string }
}

export type FhirDelivery = 'sent' | 'queued' | 'notQueued'

export type SaveOutcome =
    | {
          kind: 'saved'
          trackedEntity: TrackedEntity
          phn: string
          fhir: FhirDelivery
      }
    /** DHIS2 refused a second record for this identity (E1064): here is the existing one. */
    | { kind: 'duplicate'; attribute: string; existing: TrackedEntity[] }
    | { kind: 'rejected'; problems: ImportProblems }

/**
 * Saves a completed registration in at most three requests: issue the PHN, one atomic tracker
 * import (person + ANC enrollment + first contact), one FHIR transaction through the route
 * (queued in the outbox when it fails). Network failures before the tracker import succeeds
 * throw: nothing is lost, the form stays as it is and the midwife can retry. The PHN format, the
 * claims mapping and the FHIR mapping are the operator's (`config`).
 */
export async function saveRegistration(options: {
    engine: Engine
    form: RegistrationForm
    today: CalendarDate
    attempt: SaveAttempt
    outbox: FhirOutbox<Bundle>
    pushFhir: (bundle: Bundle) => Promise<unknown>
    config: AncConfig
    signal?: AbortSignal
}): Promise<SaveOutcome> {
    const { engine, form, today, attempt, config, signal } = options
    const sub = requiredAttribute(config.claims, 'sub')
    // Attributes the form shows a field for: DHIS2's complaints about them go beside the field.
    const knownFields = [...storedPersonFields(config.claims).values(), ATTRIBUTES.phn, sub]
    // Unique attributes whose collision means "this person is already registered".
    const identityAttributes = [sub, config.claims.attributeOf.nic].filter(
        (uid): uid is string => uid !== undefined
    )
    attempt.phn ??= await issuePhn(engine, { config: config.phn, ...(signal ? { signal } : {}) })
    const summary = pregnancySummary(form.pregnancy, today)
    const { payload, ids } = registrationPayload(
        {
            orgUnit: form.orgUnit,
            attributes: registrationAttributes(form, attempt.phn, config.claims),
            enrolledAt: today,
            ...(summary ? { occurredAt: summary.lmp } : {}),
            firstContact: {
                occurredAt: today,
                dataValues: firstContactDataValues(form.pregnancy, today),
            },
        },
        ...(attempt.ids ? [attempt.ids] : [])
    )
    attempt.ids = ids
    const result = await importTracker(engine, payload, {
        knownFields,
        ...(signal ? { signal } : {}),
    })
    if (!result.ok) {
        const identity = result.problems.duplicateAttributes.find((uid) =>
            identityAttributes.includes(uid)
        )
        if (identity) {
            const value = payload.trackedEntities?.[0]?.attributes.find(
                (a) => a.attribute === identity
            )?.value
            const page = value
                ? await searchTrackedEntities(engine, {
                      program: PROGRAM_ANC,
                      orgUnitMode: 'ACCESSIBLE',
                      filters: [{ attribute: identity, value }],
                  })
                : { trackedEntities: [] }
            // Nothing was written (atomic import): this registration starts afresh if retried.
            delete attempt.ids
            return { kind: 'duplicate', attribute: identity, existing: page.trackedEntities }
        }
        if (result.problems.duplicateAttributes.includes(ATTRIBUTES.phn)) delete attempt.phn
        return { kind: 'rejected', problems: result.problems }
    }
    const trackedEntity = payload.trackedEntities?.[0] as TrackedEntity
    const { bundle } = trackerToFhirBundle({ trackedEntity, today }, config)
    let fhir: FhirDelivery
    try {
        const delivery = await pushOrQueue(options.outbox, options.pushFhir, bundle, {
            trackedEntity: trackedEntity.trackedEntity,
            label: attempt.phn.phn,
        })
        fhir = delivery.kind
    } catch {
        // Neither FHIR nor the outbox answered; the DHIS2 record is safe and can be re-sent
        // from the record page.
        fhir = 'notQueued'
    }
    return { kind: 'saved', trackedEntity, phn: attempt.phn.phn, fhir }
}
