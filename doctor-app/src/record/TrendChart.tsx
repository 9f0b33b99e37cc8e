import i18n from '@dhis2/d2-i18n'
import {
    DataTable,
    DataTableBody,
    DataTableCell,
    DataTableColumnHeader,
    DataTableHead,
    DataTableRow,
} from '@dhis2/ui'
import {
    CategoryScale,
    Chart as ChartJS,
    Filler,
    Legend,
    LinearScale,
    LineElement,
    PointElement,
    Tooltip,
    type ChartDataset,
    type ChartOptions,
    type TooltipItem,
} from 'chart.js'
import React, { useId, useMemo, useState } from 'react'
import { Line } from 'react-chartjs-2'
import { EmptyState } from '@anc/shared/ui'
import {
    formatTrendValue,
    prepareTrend,
    type TrendAxis,
    type TrendChartPoint,
    type TrendReference,
    type TrendSeries,
} from './trend-data'

ChartJS.register(CategoryScale, LinearScale, PointElement, LineElement, Tooltip, Legend, Filler)

const COLOURS = ['#147cd7', '#c62828', '#00796b', '#6a1b9a']
const REFERENCE_COLOUR = '#6e7a8a'

/**
 * McDonald's rule: from about 20 weeks, the symphysis-fundal height in cm is about the
 * gestational age in weeks, and a difference of more than 2 cm is the usual prompt to look for
 * growth restriction, wrong dates or too much fluid. A rough screening guide, not a growth chart.
 */
export function fundalHeightReference(): TrendReference {
    return {
        label: i18n.t('Expected (±2 cm)'),
        fromWeeks: 20,
        expected: (gaWeeks) => gaWeeks,
        tolerance: 2,
    }
}

export interface TrendChartProps {
    title: string
    unit: string
    series: readonly TrendSeries[]
    /**
     * Gestational age (weeks, spaced as weeks) or visit date (evenly spaced). A chart by
     * gestational age with no GA in any point falls back to dates and says so.
     */
    axis?: TrendAxis
    /** An expected value by gestational age, shown with its band (gestational-age axis only). */
    reference?: TrendReference
    /** Most decimals a value is shown with, in ticks, tooltips and the table. */
    decimals?: number
}

type LineData = ChartDataset<'line', TrendChartPoint[]>

/**
 * A measurement over the pregnancy (weight, blood pressure, fundal height...). The table holds
 * the same numbers for screen readers and for anyone who prefers them; a toggle shows it.
 */
export const TrendChart = ({
    title,
    unit,
    series,
    axis = 'date',
    reference,
    decimals = 1,
}: TrendChartProps) => {
    const prepared = useMemo(
        () => prepareTrend(series, { axis, ...(reference ? { reference } : {}) }),
        [series, axis, reference]
    )
    const [showTable, setShowTable] = useState(false)
    const headingId = useId()
    if (prepared.rows.length === 0) {
        return <EmptyState title={title} message={i18n.t('No measurements recorded yet.')} />
    }
    const byWeeks = prepared.axis === 'gestationalAge'
    const format = (value: number) => formatTrendValue(value, decimals)

    const datasets: LineData[] = prepared.datasets.map((dataset, index) => ({
        label: dataset.label,
        data: dataset.data,
        borderColor: COLOURS[index % COLOURS.length],
        backgroundColor: COLOURS[index % COLOURS.length],
        spanGaps: true,
    }))
    // The band's two edges are drawn (the upper filled down to the lower) but stay out of the
    // legend and tooltips: the dashed centre line carries the label.
    const bandIndexes = new Set<number>()
    const ref = prepared.reference
    if (ref) {
        const edge = { borderColor: REFERENCE_COLOUR, borderWidth: 1, borderDash: [2, 3] }
        bandIndexes.add(datasets.length).add(datasets.length + 1)
        datasets.push(
            { ...edge, label: ref.label, data: ref.lower, pointRadius: 0, fill: false },
            {
                ...edge,
                label: ref.label,
                data: ref.upper,
                pointRadius: 0,
                fill: '-1',
                backgroundColor: 'rgba(110, 122, 138, 0.12)',
            },
            {
                label: ref.label,
                data: ref.line,
                borderColor: REFERENCE_COLOUR,
                backgroundColor: REFERENCE_COLOUR,
                borderDash: [6, 4],
                pointRadius: 0,
                fill: false,
            }
        )
    }

    const options: ChartOptions<'line'> = {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
            x: byWeeks
                ? {
                      type: 'linear',
                      min: prepared.weeks?.min,
                      max: prepared.weeks?.max,
                      title: { display: true, text: i18n.t('Gestational age (weeks)') },
                      // Whole weeks only, and not the padded ends (19, 33) beside the round ones.
                      ticks: {
                          precision: 0,
                          includeBounds: false,
                          callback: (value) => formatTrendValue(+value, 0),
                      },
                  }
                : { type: 'category', title: { display: true, text: i18n.t('Date') } },
            y: {
                title: {
                    display: true,
                    text: series.length === 1 ? `${series[0]?.label} (${unit})` : unit,
                },
                ticks: { precision: decimals, callback: (value) => format(+value) },
            },
        },
        plugins: {
            legend: { labels: { filter: (item) => !bandIndexes.has(item.datasetIndex ?? -1) } },
            tooltip: {
                filter: (item) => !bandIndexes.has(item.datasetIndex),
                callbacks: {
                    title: (items: TooltipItem<'line'>[]) => {
                        const point = items[0]?.raw as TrendChartPoint | undefined
                        if (point?.gaWeeks === undefined) return point?.date ?? ''
                        return point.date
                            ? i18n.t('GA {{weeks}} weeks, {{date}}', {
                                  weeks: point.gaWeeks,
                                  date: point.date,
                              })
                            : i18n.t('GA {{weeks}} weeks', { weeks: point.gaWeeks })
                    },
                    label: (item: TooltipItem<'line'>) =>
                        `${item.dataset.label ?? ''}: ${format(item.parsed.y ?? NaN)} ${unit}`,
                },
            },
        },
    }

    // The band in words for the table: "24 (22–26)".
    const expectedText = (expected: number, tolerance: number) =>
        `${format(expected)} (${format(expected - tolerance)}–${format(expected + tolerance)})`
    const showExpected = prepared.rows.some((row) => row.expected !== undefined)

    return (
        <figure aria-labelledby={headingId} className="anc-trend">
            <figcaption id={headingId}>
                {title} ({unit})
            </figcaption>
            <div aria-hidden="true" className="anc-trend__chart">
                <Line<TrendChartPoint[], string>
                    data={{
                        ...(byWeeks ? {} : { labels: prepared.labels }),
                        datasets,
                    }}
                    options={options}
                />
            </div>
            {axis === 'gestationalAge' && !byWeeks ? (
                <p className="anc-trend__note">
                    {i18n.t('No gestational age recorded: plotted by visit date.')}
                </p>
            ) : null}
            {prepared.withoutGa.length > 0 ? (
                <p className="anc-trend__note">
                    {i18n.t('Not on the chart (no gestational age recorded): {{dates}}', {
                        dates: prepared.withoutGa.join(', '),
                    })}
                </p>
            ) : null}
            <button
                type="button"
                className="anc-trend__toggle"
                aria-expanded={showTable}
                onClick={() => setShowTable((shown) => !shown)}
            >
                {showTable ? i18n.t('Hide the numbers') : i18n.t('Show the numbers')}
            </button>
            <div className={showTable ? undefined : 'anc-visually-hidden'}>
                <DataTable>
                    <caption className="anc-visually-hidden">{`${title} (${unit})`}</caption>
                    <DataTableHead>
                        <DataTableRow>
                            <DataTableColumnHeader>
                                {i18n.t('Gestational age (weeks)')}
                            </DataTableColumnHeader>
                            <DataTableColumnHeader>{i18n.t('Date')}</DataTableColumnHeader>
                            {prepared.datasets.map((dataset) => (
                                <DataTableColumnHeader key={dataset.label}>
                                    {dataset.label}
                                </DataTableColumnHeader>
                            ))}
                            {showExpected && ref ? (
                                <DataTableColumnHeader>{ref.label}</DataTableColumnHeader>
                            ) : null}
                        </DataTableRow>
                    </DataTableHead>
                    <DataTableBody>
                        {prepared.rows.map((row) => (
                            <DataTableRow key={row.date}>
                                <DataTableCell>
                                    {row.gaWeeks === undefined ? '–' : format(row.gaWeeks)}
                                </DataTableCell>
                                <DataTableCell>{row.date}</DataTableCell>
                                {prepared.datasets.map((dataset, index) => {
                                    const value = row.values[index]
                                    return (
                                        <DataTableCell key={dataset.label}>
                                            {value === null || value === undefined
                                                ? '–'
                                                : format(value)}
                                        </DataTableCell>
                                    )
                                })}
                                {showExpected && ref ? (
                                    <DataTableCell>
                                        {row.expected === undefined
                                            ? '–'
                                            : expectedText(row.expected, ref.tolerance)}
                                    </DataTableCell>
                                ) : null}
                            </DataTableRow>
                        ))}
                    </DataTableBody>
                </DataTable>
            </div>
            <style>{`
                .anc-trend { margin: 0; }
                .anc-trend__chart { position: relative; height: 240px; }
                .anc-trend__note { margin: 4px 0; font-size: 13px; color: #4a5768; }
                .anc-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
            `}</style>
        </figure>
    )
}
