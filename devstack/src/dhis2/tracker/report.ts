import type { ErrorReport, ImportedType, TrackerBundle, TrackerType } from './model'

/** The import report DHIS2 answers `POST /api/tracker` with, and its HTTP status. */
export interface ImportReport {
    code: 200 | 409
    body: {
        status: 'OK' | 'ERROR'
        validationReport: { errorReports: ErrorReport[]; warningReports: never[] }
        stats: Stats
        bundleReport?: { status: 'OK'; typeReportMap: Record<TrackerType, unknown>; stats: Stats }
    }
}

interface Stats {
    created: number
    updated: number
    deleted: number
    ignored: number
    total: number
}

/**
 * The report of an import that ended with `status`. Objects are counted as created or updated
 * (what was stored already counts as updated) only when they were written: on ERROR or in
 * VALIDATE mode everything is ignored and there is no bundle report.
 */
export function importReport(
    status: 'OK' | 'ERROR',
    errors: ErrorReport[],
    bundle: TrackerBundle,
    existing: Record<ImportedType, Set<string>>,
    validateOnly: boolean
): ImportReport {
    const ok = status === 'OK' && !validateOnly
    /** One tracker type's stats and objects. */
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
            errorReports: errors.filter((e) => e.trackerType === type && e.uid === o[key]),
        })),
    })
    const typeReportMap = {
        TRACKED_ENTITY: typeReport(
            'TRACKED_ENTITY',
            bundle.entities,
            'trackedEntity',
            existing.TRACKED_ENTITY
        ),
        ENROLLMENT: typeReport('ENROLLMENT', bundle.enrollments, 'enrollment', existing.ENROLLMENT),
        EVENT: typeReport('EVENT', bundle.events, 'event', existing.EVENT),
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
    return {
        code: status === 'ERROR' ? 409 : 200,
        body: {
            status,
            validationReport: { errorReports: errors, warningReports: [] },
            stats,
            bundleReport: ok ? { status: 'OK', typeReportMap, stats } : undefined,
        },
    }
}

function statsFor(list: { [k: string]: unknown }[], key: string, stored: Set<string>): Stats {
    const created = list.filter((o) => !stored.has(o[key] as string)).length
    return {
        created,
        updated: list.length - created,
        deleted: 0,
        ignored: 0,
        total: list.length,
    }
}

function ignoredStats(ignored: number): Stats {
    return { created: 0, updated: 0, deleted: 0, ignored, total: ignored }
}
