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
    Legend,
    LinearScale,
    LineElement,
    PointElement,
    Tooltip,
} from 'chart.js'
import React, { useId, useMemo, useState } from 'react'
import { Line } from 'react-chartjs-2'
import { EmptyState } from './States'
import { prepareTrend, type TrendSeries } from './trend-data'

ChartJS.register(CategoryScale, LinearScale, PointElement, LineElement, Tooltip, Legend)

const COLOURS = ['#147cd7', '#c62828', '#00796b', '#6a1b9a']

export interface TrendChartProps {
    title: string
    unit: string
    series: readonly TrendSeries[]
}

/**
 * A measurement over the pregnancy (weight, blood pressure, fundal height...). The table holds
 * the same numbers for screen readers and for anyone who prefers them; a toggle shows it.
 */
export const TrendChart = ({ title, unit, series }: TrendChartProps) => {
    const prepared = useMemo(() => prepareTrend(series), [series])
    const [showTable, setShowTable] = useState(false)
    const headingId = useId()
    if (prepared.labels.length === 0) {
        return <EmptyState title={title} message={i18n.t('No measurements recorded yet.')} />
    }
    const data = {
        labels: prepared.labels,
        datasets: prepared.datasets.map((dataset, index) => ({
            ...dataset,
            borderColor: COLOURS[index % COLOURS.length],
            backgroundColor: COLOURS[index % COLOURS.length],
            spanGaps: true,
        })),
    }
    return (
        <figure aria-labelledby={headingId} className="anc-trend">
            <figcaption id={headingId}>
                {title} ({unit})
            </figcaption>
            <div aria-hidden="true" className="anc-trend__chart">
                <Line
                    data={data}
                    options={{
                        responsive: true,
                        maintainAspectRatio: false,
                        animation: false,
                        scales: { y: { title: { display: true, text: unit } } },
                    }}
                />
            </div>
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
                            <DataTableColumnHeader>{i18n.t('Date')}</DataTableColumnHeader>
                            {prepared.datasets.map((dataset) => (
                                <DataTableColumnHeader key={dataset.label}>
                                    {dataset.label}
                                </DataTableColumnHeader>
                            ))}
                        </DataTableRow>
                    </DataTableHead>
                    <DataTableBody>
                        {prepared.labels.map((date, row) => (
                            <DataTableRow key={date}>
                                <DataTableCell>{date}</DataTableCell>
                                {prepared.datasets.map((dataset) => (
                                    <DataTableCell key={dataset.label}>
                                        {dataset.data[row] ?? '–'}
                                    </DataTableCell>
                                ))}
                            </DataTableRow>
                        ))}
                    </DataTableBody>
                </DataTable>
            </div>
            <style>{`
                .anc-trend { margin: 0; }
                .anc-trend__chart { position: relative; height: 240px; }
                .anc-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
            `}</style>
        </figure>
    )
}
