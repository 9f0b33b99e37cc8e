import i18n from '@dhis2/d2-i18n'
import type { TrackerErrorReport, TrackerImportReport } from './types'
import { isValidUid } from './uid'

/** A problem that belongs to no single field (access, enrollment state, configuration). */
export interface GeneralProblem {
    errorCode: string
    message: string
    /** The server's own (English, technical) text, for administrators and logs. */
    detail: string
    trackerType: string
    uid: string
}

export interface ImportProblems {
    /** Translated messages keyed by attribute or data element UID. */
    fields: Record<string, string[]>
    general: GeneralProblem[]
    /** Attributes whose value already belongs to someone else (E1064): offer the existing record. */
    duplicateAttributes: string[]
}

/** Which message argument names the field, per validation code (dhis2-core ValidationCode). */
const FIELD_ARGUMENT: Record<string, number> = {
    E1006: 0,
    E1007: 0,
    E1018: 0,
    E1019: 0,
    E1064: 1,
    E1075: 0,
    E1076: 1,
    E1077: 0,
    E1090: 0,
    E1112: 0,
    E1301: 1,
    E1302: 0,
    E1303: 0,
    E1304: 0,
    E1305: 0,
    E1306: 1,
    E1307: 1,
    E1308: 1,
    E1309: 1,
    E1310: 1,
    E1314: 1,
    E1317: 1,
}

function fieldMessage(code: string): string {
    switch (code) {
        case 'E1064':
            return i18n.t('This value is already registered for another person.')
        case 'E1018':
        case 'E1090':
        case 'E1076':
        case 'E1301':
        case 'E1303':
        case 'E1306':
            return i18n.t('This field is required.')
        case 'E1077':
            return i18n.t('This value is too long.')
        case 'E1007':
        case 'E1302':
            return i18n.t('This value is not valid for this field.')
        case 'E1125':
            return i18n.t('This value is not one of the allowed options.')
        case 'E1307':
        case 'E1309':
        case 'E1308':
        case 'E1310':
            return i18n.t('This value is calculated automatically and cannot be changed.')
        case 'E1314':
        case 'E1317':
            return i18n.t('This value is required and cannot be removed.')
        case 'E1006':
        case 'E1019':
        case 'E1304':
        case 'E1305':
        case 'E1112':
            return i18n.t(
                'This field is not set up for the ANC program. Tell your administrator ({{code}}).',
                { code }
            )
        default:
            return i18n.t('This value was not accepted ({{code}}).', { code })
    }
}

function generalMessage(code: string): string {
    switch (code) {
        case 'E1000':
        case 'E1001':
        case 'E1003':
        case 'E1091':
        case 'E1095':
        case 'E1099':
        case 'E1102':
        case 'E1104':
            return i18n.t(
                'You do not have permission to save this record here. Check the organisation unit or ask your administrator.'
            )
        case 'E1015':
        case 'E1016':
            return i18n.t('This person is already enrolled in the ANC program.')
        case 'E1039':
            return i18n.t('The first-contact visit already exists for this pregnancy.')
        case 'E1029':
        case 'E1041':
            return i18n.t('This organisation unit is not assigned to the ANC program.')
        case 'E1020':
        case 'E1021':
            return i18n.t('A date cannot be in the future.')
        case 'E1002':
        case 'E1030':
        case 'E1080':
            return i18n.t('This record was already saved. Reload it to see the latest version.')
        default:
            return i18n.t('The record could not be saved ({{code}}).', { code })
    }
}

/** The arguments of a report: `args` when the server sends them, else the `backticked` parts. */
export function reportArguments(report: TrackerErrorReport): string[] {
    if (Array.isArray(report.args)) return report.args.map(String)
    return [...report.message.matchAll(/`([^`]*)`/g)].map((match) => match[1] ?? '')
}

function fieldOf(report: TrackerErrorReport, knownFields: ReadonlySet<string>): string | null {
    const args = reportArguments(report)
    const index = FIELD_ARGUMENT[report.errorCode]
    if (index !== undefined) {
        const candidate = args[index]
        if (isValidUid(candidate)) return candidate
    }
    // Codes without a known position (e.g. E1125): any argument that is one of our fields.
    return args.find((arg) => knownFields.has(arg)) ?? null
}

/**
 * Turns the import report of a rejected `POST /api/tracker` (HTTP 409) into messages the form
 * can put under each field, plus the problems that belong to the whole record.
 */
export function importProblems(
    report: TrackerImportReport,
    knownFields: Iterable<string> = []
): ImportProblems {
    const known = new Set(knownFields)
    const problems: ImportProblems = { fields: {}, general: [], duplicateAttributes: [] }
    for (const error of report.validationReport?.errorReports ?? []) {
        const field = fieldOf(error, known)
        if (field) {
            const message = fieldMessage(error.errorCode)
            const list = (problems.fields[field] ??= [])
            if (!list.includes(message)) list.push(message)
            if (error.errorCode === 'E1064' && !problems.duplicateAttributes.includes(field)) {
                problems.duplicateAttributes.push(field)
            }
        } else {
            problems.general.push({
                errorCode: error.errorCode,
                message: generalMessage(error.errorCode),
                detail: error.message,
                trackerType: error.trackerType,
                uid: error.uid,
            })
        }
    }
    return problems
}
