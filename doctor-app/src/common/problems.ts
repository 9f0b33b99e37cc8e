import { FhirClientError, isFhirUnreachable } from '@anc/shared/fhir'
import i18n from '@dhis2/d2-i18n'
import { PatientNotFoundError } from '../record/open-record'
import { RecordNotInDhis2Error } from '../visit/save-visit'

export type ProblemKind =
    | 'patientNotFound'
    | 'fhirUnreachable'
    | 'sessionExpired'
    | 'forbidden'
    | 'notInDhis2'
    | 'duplicatePhn'
    | 'unexpected'

export interface Problem {
    kind: ProblemKind
    title: string
    message: string
    /** Technical detail for support, never the only text shown. */
    detail?: string
}

function httpStatusOf(error: unknown): number | undefined {
    const details = (error as { details?: { httpStatusCode?: unknown } })?.details
    return typeof details?.httpStatusCode === 'number' ? details.httpStatusCode : undefined
}

/** Each failure a doctor can meet, with its own words and a way forward. */
export function describeProblem(error: unknown): Problem {
    const detail = error instanceof Error ? error.message : String(error)
    if (error instanceof PatientNotFoundError) {
        return {
            kind: 'patientNotFound',
            title: i18n.t('No record with this PHN'),
            message: i18n.t(
                'The national record has no one with PHN {{phn}}. Check the number on the PHN card and try again. If she has not been registered yet, ask the midwife to register her.',
                { phn: error.phn }
            ),
        }
    }
    if (error instanceof RecordNotInDhis2Error) {
        return {
            kind: 'notInDhis2',
            title: i18n.t('This record cannot take visits here'),
            message: i18n.t(
                'The national record has no matching ANC enrollment in DHIS2 that you can see. Ask the midwife who registered her to check her enrollment.'
            ),
            detail,
        }
    }
    const status = error instanceof FhirClientError ? error.status : httpStatusOf(error)
    const kind = error instanceof FhirClientError ? error.kind : undefined
    if (kind === 'sessionExpired' || status === 401) {
        return {
            kind: 'sessionExpired',
            title: i18n.t('Your session has expired'),
            message: i18n.t(
                'Sign in to DHIS2 again, then come back to this page. Nothing you typed in the visit form is lost while this page stays open.'
            ),
            detail,
        }
    }
    if (kind === 'forbidden' || status === 403) {
        return {
            kind: 'forbidden',
            title: i18n.t('You do not have access to the national record'),
            message: i18n.t(
                'Your DHIS2 user needs the ANC doctor role to read the national record. Ask your system administrator.'
            ),
            detail,
        }
    }
    if (kind === 'conflict' && /share PHN/.test(detail)) {
        return {
            kind: 'duplicatePhn',
            title: i18n.t('More than one record has this PHN'),
            message: i18n.t(
                'The national record holds two people with the same PHN. Report this to the registry team; do not record visits until it is fixed.'
            ),
            detail,
        }
    }
    const type = (error as { type?: unknown })?.type
    if (isFhirUnreachable(error) || type === 'network') {
        return {
            kind: 'fhirUnreachable',
            title: i18n.t('The national record cannot be reached'),
            message: i18n.t(
                'The FHIR server did not answer. Check the connection and try again in a moment. Visits you save meanwhile are kept in DHIS2 and sent when it is back.'
            ),
            detail,
        }
    }
    return {
        kind: 'unexpected',
        title: i18n.t('Something went wrong'),
        message: i18n.t('Try again. If it keeps happening, give the detail below to support.'),
        detail,
    }
}
