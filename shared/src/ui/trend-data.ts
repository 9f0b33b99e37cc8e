export interface TrendPoint {
    /** ISO date of the measurement. */
    date: string
    value: number | string | null | undefined
}

export interface TrendSeries {
    label: string
    points: readonly TrendPoint[]
}

export interface PreparedTrend {
    /** Every date with at least one measurement, ascending. */
    labels: string[]
    /** One value (or null for a gap) per label, per series. */
    datasets: { label: string; data: (number | null)[] }[]
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/

function toNumber(value: TrendPoint['value']): number | null {
    if (value === null || value === undefined || value === '') return null
    const number = typeof value === 'number' ? value : Number(value)
    return Number.isFinite(number) ? number : null
}

/**
 * Lines up measurements for chart.js and for the accessible table: dates sorted, invalid values
 * dropped rather than drawn as zero, and the latest value kept when a day has two.
 */
export function prepareTrend(series: readonly TrendSeries[]): PreparedTrend {
    const byDate = series.map((s) => {
        const values = new Map<string, number>()
        for (const point of s.points) {
            const number = toNumber(point.value)
            if (number === null || !ISO_DATE.test(point.date)) continue
            values.set(point.date.slice(0, 10), number)
        }
        return values
    })
    const labels = [...new Set(byDate.flatMap((values) => [...values.keys()]))].sort()
    return {
        labels,
        datasets: series.map((s, index) => ({
            label: s.label,
            data: labels.map((date) => byDate[index]?.get(date) ?? null),
        })),
    }
}
