/**
 * Registers pregnant women in the FHIR record the way the registration app leaves them: the
 * tracked entity (with her eSignet subject for the relay's client) mapped by shared/fhir's
 * trackerToFhirBundle and sent as one transaction. Test setup only.
 */
import { addDays, clinicToday } from '@anc/shared/anc'
import { fixtureTrackedEntity } from '@anc/shared/test-support'
import { trackerToFhirBundle } from '@anc/shared/fhir'
import { ATTRIBUTES } from '@anc/shared/metadata'
import { pairwiseSub } from '../../devstack/src/common/pairwise'
import type { JourneyStack } from './stack'

export interface RegisteredPatient {
    individualId: string
    fullName: string
    phn: string
}

export async function registerPatient(
    stack: JourneyStack,
    n: number,
    individualId: string,
    given: string,
    family: string
): Promise<RegisteredPatient> {
    const today = clinicToday()
    // About 21 weeks pregnant: two contacts behind her, the rest of the WHO schedule ahead.
    const te = fixtureTrackedEntity(n, 2, addDays(today, -150))
    const values: Record<string, string> = {
        [ATTRIBUTES.esignetSub]: pairwiseSub(individualId, 'anc-relay'),
        [ATTRIBUTES.fullName]: `${given} ${family}`,
        [ATTRIBUTES.givenName]: given,
        [ATTRIBUTES.familyName]: family,
    }
    for (const attribute of te.attributes ?? []) {
        const value = values[attribute.attribute]
        if (value !== undefined) attribute.value = value
    }
    const { bundle } = trackerToFhirBundle({ trackedEntity: te, today })
    const response = await fetch(`${stack.fhir}/fhir`, {
        method: 'POST',
        headers: {
            Authorization: stack.fhirAuth,
            'Content-Type': 'application/fhir+json',
            Accept: 'application/fhir+json',
        },
        body: JSON.stringify(bundle),
    })
    if (!response.ok) {
        throw new Error(`FHIR transaction answered ${response.status}: ${await response.text()}`)
    }
    const phn = te.attributes?.find((a) => a.attribute === ATTRIBUTES.phn)?.value ?? ''
    return { individualId, fullName: `${given} ${family}`, phn }
}
