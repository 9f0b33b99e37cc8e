export interface TrendPoint {
    /** ISO date of the measurement. */
    date: string
    /** Completed weeks of gestation on that date, when the record knows it. */
    gaWeeks?: number | undefined
    value: number | string | null | undefined
}

export interface TrendSeries {
    label: string
    points: readonly TrendPoint[]
}

/** What the chart's x-axis shows: the visit date (even steps), or gestational age in weeks. */
export type TrendAxis = 'date' | 'gestationalAge'

/**
 * An expected value by gestational age, drawn as a dashed line with a band of ± `tolerance`
 * (in the chart's unit), from `fromWeeks` to the end of the axis.
 */
export interface TrendReference {
    /** Legend entry and table heading, e.g. "Expected (±2 cm)". */
    label: string
    fromWeeks: number
    expected: (gaWeeks: number) => number
    tolerance: number
}

/** One point as chart.js gets it; `date` and `gaWeeks` ride along for the tooltip. */
export interface TrendChartPoint {
    /** The date (a category) on a date axis, the GA in weeks on a gestational-age axis. */
    x: string | number
    y: number
    date?: string
    gaWeeks?: number
}

export interface TrendRow {
    date: string
    gaWeeks: number | undefined
    /** One value per series, null where that series has nothing on this date. */
    values: (number | null)[]
    /** The reference's expected value at this row's GA, when it applies. */
    expected: number | undefined
}

export interface PreparedTrend {
    /** The axis used: gestational age is asked for, but a chart with no GA at all is by date. */
    axis: TrendAxis
    /** The date axis's categories: every date with a measurement, ascending (empty by GA). */
    labels: string[]
    /** Each series' chart points, by x. */
    datasets: { label: string; data: TrendChartPoint[] }[]
    /** The table: every date with a measurement, ascending, including those not on the chart. */
    rows: TrendRow[]
    /** Dates in the table but not on a gestational-age chart, because their GA is unknown. */
    withoutGa: string[]
    /** The gestational-age axis's range in whole weeks, one week beyond the data each side. */
    weeks: { min: number; max: number } | undefined
    /** The reference line and band over the weeks shown, when the axis reaches `fromWeeks`. */
    reference:
        | {
              label: string
              tolerance: number
              line: TrendChartPoint[]
              lower: TrendChartPoint[]
              upper: TrendChartPoint[]
          }
        | undefined
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/

function toNumber(value: TrendPoint['value']): number | null {
    if (value === null || value === undefined || value === '') return null
    const number = typeof value === 'number' ? value : Number(value)
    return Number.isFinite(number) ? number : null
}

function toWeeks(gaWeeks: TrendPoint['gaWeeks']): number | undefined {
    // An unknown GA stays unknown: drawn at 0 it would look like a measurement at conception.
    return typeof gaWeeks === 'number' && Number.isFinite(gaWeeks) && gaWeeks >= 0
        ? gaWeeks
        : undefined
}

/** A measurement as people read it: at most `decimals` decimals, no float noise (58.9, not 58.900000000000006). */
export function formatTrendValue(value: number, decimals = 1): string {
    const factor = 10 ** decimals
    return String(Math.round(value * factor) / factor)
}

interface Valid {
    date: string
    gaWeeks: number | undefined
    value: number
}

/**
 * Lines up measurements for chart.js and for the accessible table: invalid values dropped rather
 * than drawn as zero; on the chart, the latest value kept when a day (or, by gestational age, a
 * week) has two, while the table keeps every date.
 */
export function prepareTrend(
    series: readonly TrendSeries[],
    options: { axis?: TrendAxis; reference?: TrendReference } = {}
): PreparedTrend {
    const valid: Valid[][] = series.map((s) => {
        const points: Valid[] = []
        for (const point of s.points) {
            const value = toNumber(point.value)
            if (value === null || !ISO_DATE.test(point.date)) continue
            points.push({ date: point.date.slice(0, 10), gaWeeks: toWeeks(point.gaWeeks), value })
        }
        // Stable: two values of one day keep their order, the later one wins below.
        return points.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    })
    const all = valid.flat()
    const axis: TrendAxis =
        options.axis === 'gestationalAge' && all.some((p) => p.gaWeeks !== undefined)
            ? 'gestationalAge'
            : 'date'

    const dates = [...new Set(all.map((p) => p.date))].sort()
    const rows: TrendRow[] = dates.map((date) => ({
        date,
        gaWeeks: all.find((p) => p.date === date && p.gaWeeks !== undefined)?.gaWeeks,
        values: valid.map((points) => points.findLast((p) => p.date === date)?.value ?? null),
        expected: undefined,
    }))

    const datasets = series.map((s, index) => {
        const latest = new Map<string | number, TrendChartPoint>()
        for (const p of valid[index] ?? []) {
            const x = axis === 'date' ? p.date : p.gaWeeks
            if (x === undefined) continue
            latest.set(x, {
                x,
                y: p.value,
                date: p.date,
                ...(p.gaWeeks !== undefined ? { gaWeeks: p.gaWeeks } : {}),
            })
        }
        const data = [...latest.values()].sort((a, b) => (a.x < b.x ? -1 : a.x > b.x ? 1 : 0))
        return { label: s.label, data }
    })

    if (axis === 'date') {
        return {
            axis,
            labels: dates,
            datasets,
            rows,
            withoutGa: [],
            weeks: undefined,
            reference: undefined,
        }
    }

    const known = all.flatMap((p) => (p.gaWeeks === undefined ? [] : [p.gaWeeks]))
    const weeks = {
        min: Math.max(0, Math.floor(Math.min(...known)) - 1),
        max: Math.ceil(Math.max(...known)) + 1,
    }
    let reference: PreparedTrend['reference']
    const ref = options.reference
    if (ref) {
        for (const row of rows) {
            if (row.gaWeeks !== undefined && row.gaWeeks >= ref.fromWeeks)
                row.expected = ref.expected(row.gaWeeks)
        }
        const from = Math.max(Math.ceil(ref.fromWeeks), weeks.min)
        if (from < weeks.max) {
            const xs = Array.from({ length: weeks.max - from + 1 }, (_, i) => from + i)
            const at = (offset: number) =>
                xs.map((x) => ({ x, y: ref.expected(x) + offset, gaWeeks: x }))
            reference = {
                label: ref.label,
                tolerance: ref.tolerance,
                line: at(0),
                lower: at(-ref.tolerance),
                upper: at(ref.tolerance),
            }
        }
    }
    return {
        axis,
        labels: [],
        datasets,
        rows,
        withoutGa: rows.filter((row) => row.gaWeeks === undefined).map((row) => row.date),
        weeks,
        reference,
    }
}
