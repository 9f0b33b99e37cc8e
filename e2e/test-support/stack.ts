import { DEV_SECRETS } from '../../devstack/src/stack/dev-secrets'
import { launchTestStack, type LaunchedStack } from '../../devstack/test-support/stack'

/**
 * The whole local stack for a journey: the eSignet, FHIR and DHIS2 stand-ins and the relay as
 * separate processes on free ports over a temporary data directory (devstack/src/stack/launch.ts,
 * the same launcher `npm start` uses).
 */
export interface JourneyStack {
    dhis2: string
    esignet: string
    fhir: string
    relay: string
    /** Basic credentials of the FHIR stand-in (development only). */
    fhirAuth: string
    /** stop/start single services, e.g. FHIR to exercise the outbox */
    services: LaunchedStack
    stop(): Promise<void>
}

export async function startJourneyStack(): Promise<JourneyStack> {
    const services = await launchTestStack()
    return {
        dhis2: services.urls.dhis2,
        esignet: services.urls.esignet,
        fhir: services.urls.fhir,
        relay: services.urls.relay,
        fhirAuth: `Basic ${Buffer.from(`${DEV_SECRETS.fhirUsername}:${DEV_SECRETS.fhirPassword}`).toString('base64')}`,
        services,
        stop: () => services.close(),
    }
}
