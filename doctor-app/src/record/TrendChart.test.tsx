import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import React from 'react'
import { prepareTrend } from './trend-data'
import { fundalHeightReference, TrendChart } from './TrendChart'

// jsdom has no canvas: record what chart.js would be given instead of drawing it.
interface CapturedPoint {
    x: string | number
    y: number
    date?: string
    gaWeeks?: number
}
interface CapturedLine {
    data: {
        labels?: string[]
        datasets: { label: string; data: CapturedPoint[]; borderDash?: number[]; fill?: unknown }[]
    }
    options: {
        scales: {
            x: {
                type: string
                min?: number
                max?: number
                title: { text: string }
                ticks?: { callback: (value: number) => string }
            }
            y: { title: { text: string }; ticks: { callback: (value: number) => string } }
        }
        plugins: {
            legend: { labels: { filter: (item: { datasetIndex: number }) => boolean } }
            tooltip: {
                filter: (item: { datasetIndex: number }) => boolean
                callbacks: {
                    title: (items: { raw: CapturedPoint }[]) => string
                    label: (item: { dataset: { label: string }; parsed: { y: number } }) => string
                }
            }
        }
    }
}
const lineProps: CapturedLine[] = []
jest.mock('react-chartjs-2', () => ({
    Line: (props: CapturedLine) => {
        lineProps.push(props)
        return <canvas data-testid="line-chart" />
    },
}))
const lastChart = () => lineProps.at(-1)!
/** The table's rows as text, one array of cell texts per row, header first. */
const tableRows = (table: HTMLElement) =>
    within(table)
        .getAllByRole('row')
        .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent))

describe('prepareTrend', () => {
    it('by date: sorts dates, keeps gaps in the table and drops values that are not numbers', () => {
        const prepared = prepareTrend([
            {
                label: 'Systolic',
                points: [
                    { date: '2026-10-01', value: 120 },
                    { date: '2026-09-01', value: '118' },
                    { date: '2026-11-01', value: 'abc' },
                    { date: 'yesterday', value: 130 },
                ],
            },
            { label: 'Diastolic', points: [{ date: '2026-11-01', value: 80 }] },
        ])
        expect(prepared.axis).toBe('date')
        expect(prepared.labels).toEqual(['2026-09-01', '2026-10-01', '2026-11-01'])
        expect(prepared.datasets.map((d) => d.data.map((p) => [p.x, p.y]))).toEqual([
            [
                ['2026-09-01', 118],
                ['2026-10-01', 120],
            ],
            [['2026-11-01', 80]],
        ])
        expect(prepared.rows.map((r) => r.values)).toEqual([
            [118, null],
            [120, null],
            [null, 80],
        ])
    })

    it('by gestational age: spaced by weeks, a point without GA left off the chart (never at 0) but kept in the table', () => {
        const prepared = prepareTrend(
            [
                {
                    label: 'Weight',
                    points: [
                        { date: '2026-06-22', gaWeeks: 24, value: 62 },
                        { date: '2026-04-10', gaWeeks: undefined, value: 59 },
                        { date: '2026-03-30', gaWeeks: 12, value: 58 },
                    ],
                },
            ],
            { axis: 'gestationalAge' }
        )
        expect(prepared.axis).toBe('gestationalAge')
        expect(prepared.datasets[0]!.data).toEqual([
            { x: 12, y: 58, date: '2026-03-30', gaWeeks: 12 },
            { x: 24, y: 62, date: '2026-06-22', gaWeeks: 24 },
        ])
        expect(prepared.weeks).toEqual({ min: 11, max: 25 })
        expect(prepared.withoutGa).toEqual(['2026-04-10'])
        expect(prepared.rows.map((r) => [r.gaWeeks, r.date, r.values[0]])).toEqual([
            [12, '2026-03-30', 58],
            [undefined, '2026-04-10', 59],
            [24, '2026-06-22', 62],
        ])
    })

    it('two measurements in one week: the chart keeps the later, the table keeps both', () => {
        const prepared = prepareTrend(
            [
                {
                    label: 'Weight',
                    points: [
                        { date: '2026-05-28', gaWeeks: 20, value: 60.4 },
                        { date: '2026-05-25', gaWeeks: 20, value: 60 },
                    ],
                },
            ],
            { axis: 'gestationalAge' }
        )
        expect(prepared.datasets[0]!.data).toEqual([
            { x: 20, y: 60.4, date: '2026-05-28', gaWeeks: 20 },
        ])
        expect(prepared.rows.map((r) => [r.gaWeeks, r.date, r.values[0]])).toEqual([
            [20, '2026-05-25', 60],
            [20, '2026-05-28', 60.4],
        ])
    })

    it('falls back to dates when no measurement has a gestational age', () => {
        const prepared = prepareTrend(
            [{ label: 'Weight', points: [{ date: '2026-05-25', value: 60 }] }],
            { axis: 'gestationalAge' }
        )
        expect(prepared.axis).toBe('date')
        expect(prepared.labels).toEqual(['2026-05-25'])
        expect(prepared.withoutGa).toEqual([])
    })

    it('draws a reference from where it applies to the end of the weeks shown', () => {
        const prepared = prepareTrend(
            [
                {
                    label: 'Fundal height',
                    points: [
                        { date: '2026-04-27', gaWeeks: 16, value: 15 },
                        { date: '2026-06-22', gaWeeks: 24, value: 23 },
                    ],
                },
            ],
            {
                axis: 'gestationalAge',
                reference: { label: 'Expected', fromWeeks: 20, expected: (w) => w, tolerance: 2 },
            }
        )
        const ref = prepared.reference!
        expect(ref.line.map((p) => [p.x, p.y])).toEqual([20, 21, 22, 23, 24, 25].map((w) => [w, w]))
        expect(ref.lower.map((p) => p.y)).toEqual([18, 19, 20, 21, 22, 23])
        expect(ref.upper.map((p) => p.y)).toEqual([22, 23, 24, 25, 26, 27])
        expect(prepared.rows.map((r) => r.expected)).toEqual([undefined, 24])
    })
})

describe('TrendChart', () => {
    it('by date: a category axis, and a table of the same numbers with GA and date', async () => {
        lineProps.length = 0
        render(
            <TrendChart
                title="Haemoglobin"
                unit="g/dL"
                series={[
                    {
                        label: 'Haemoglobin',
                        points: [
                            { date: '2026-10-01', gaWeeks: 38, value: 11.2 },
                            { date: '2026-09-01', value: 11.8 },
                        ],
                    },
                ]}
            />
        )
        const chart = lastChart()
        expect(chart.options.scales.x).toMatchObject({ type: 'category', title: { text: 'Date' } })
        expect(chart.data.labels).toEqual(['2026-09-01', '2026-10-01'])
        expect(chart.data.datasets[0]!.data.map((p) => p.y)).toEqual([11.8, 11.2])
        expect(tableRows(screen.getByRole('table', { name: 'Haemoglobin (g/dL)' }))).toEqual([
            ['Gestational age (weeks)', 'Date', 'Haemoglobin'],
            ['–', '2026-09-01', '11.8'],
            ['38', '2026-10-01', '11.2'],
        ])

        const toggle = screen.getByRole('button', { name: 'Show the numbers' })
        expect(toggle).toHaveAttribute('aria-expanded', 'false')
        await userEvent.click(toggle)
        expect(screen.getByRole('button', { name: 'Hide the numbers' })).toHaveAttribute(
            'aria-expanded',
            'true'
        )
    })

    it('by gestational age: weeks on a linear axis, what is not plotted is said and tabled', () => {
        lineProps.length = 0
        render(
            <TrendChart
                title="Blood pressure"
                unit="mmHg"
                axis="gestationalAge"
                series={[
                    {
                        label: 'Systolic',
                        points: [
                            { date: '2026-03-30', gaWeeks: 12, value: 112 },
                            { date: '2026-04-10', value: 118 },
                            { date: '2026-05-25', gaWeeks: 20, value: 115 },
                            { date: '2026-05-28', gaWeeks: 20, value: 121 },
                        ],
                    },
                    {
                        label: 'Diastolic',
                        points: [
                            { date: '2026-03-30', gaWeeks: 12, value: 72 },
                            { date: '2026-05-28', gaWeeks: 20, value: 79 },
                        ],
                    },
                ]}
            />
        )
        const { data, options } = lastChart()
        expect(options.scales.x).toMatchObject({
            type: 'linear',
            min: 11,
            max: 21,
            title: { text: 'Gestational age (weeks)' },
        })
        // Ticks on whole weeks, without the padded ends (11, 21) crowding the round ones.
        expect(options.scales.x.ticks).toMatchObject({ precision: 0, includeBounds: false })
        expect(options.scales.x.ticks?.callback(16)).toBe('16')
        expect(options.scales.y.title.text).toBe('mmHg')
        expect(data.datasets.map((d) => d.data.map((p) => [p.x, p.y]))).toEqual([
            [
                [12, 112],
                [20, 121],
            ],
            [
                [12, 72],
                [20, 79],
            ],
        ])
        expect(
            screen.getByText('Not on the chart (no gestational age recorded): 2026-04-10')
        ).toBeInTheDocument()
        expect(tableRows(screen.getByRole('table', { name: 'Blood pressure (mmHg)' }))).toEqual([
            ['Gestational age (weeks)', 'Date', 'Systolic', 'Diastolic'],
            ['12', '2026-03-30', '112', '72'],
            ['–', '2026-04-10', '118', '–'],
            ['20', '2026-05-25', '115', '–'],
            ['20', '2026-05-28', '121', '79'],
        ])
    })

    it('says when a chart asked for by gestational age is by date because no GA is known', () => {
        lineProps.length = 0
        render(
            <TrendChart
                title="Weight"
                unit="kg"
                axis="gestationalAge"
                series={[{ label: 'Weight', points: [{ date: '2026-05-25', value: 60 }] }]}
            />
        )
        expect(lastChart().options.scales.x.type).toBe('category')
        expect(
            screen.getByText('No gestational age recorded: plotted by visit date.')
        ).toBeInTheDocument()
    })

    it('fundal height: an expected line (McDonald) with its ±2 cm band from 20 weeks, labelled once', () => {
        lineProps.length = 0
        render(
            <TrendChart
                title="Fundal height against gestational age"
                unit="cm"
                axis="gestationalAge"
                reference={fundalHeightReference()}
                series={[
                    {
                        label: 'Fundal height',
                        points: [
                            { date: '2026-04-27', gaWeeks: 16, value: 14 },
                            { date: '2026-06-22', gaWeeks: 24, value: 21 },
                            { date: '2026-07-20', gaWeeks: 28, value: 28.5 },
                        ],
                    },
                ]}
            />
        )
        const { data, options } = lastChart()
        const shown = data.datasets.filter((_, datasetIndex) =>
            options.plugins.legend.labels.filter({ datasetIndex })
        )
        expect(shown.map((d) => d.label)).toEqual(['Fundal height', 'Expected (±2 cm)'])
        const expected = shown[1]!
        expect(expected.borderDash).toBeDefined()
        expect(expected.data.map((p) => [p.x, p.y])).toEqual(
            Array.from({ length: 10 }, (_, i) => [20 + i, 20 + i])
        )
        const band = data.datasets.filter((d) => d.label === 'Expected (±2 cm)' && d !== expected)
        expect(band.map((d) => [d.data[0]?.y, d.data.at(-1)?.y])).toEqual([
            [18, 27],
            [22, 31],
        ])
        expect(options.scales.y.title.text).toBe('Fundal height (cm)')
        expect(tableRows(screen.getByRole('table'))).toEqual([
            ['Gestational age (weeks)', 'Date', 'Fundal height', 'Expected (±2 cm)'],
            ['16', '2026-04-27', '14', '–'],
            ['24', '2026-06-22', '21', '24 (22–26)'],
            ['28', '2026-07-20', '28.5', '28 (26–30)'],
        ])
    })

    it('shows values with sensible decimals in ticks, tooltips and the table', () => {
        lineProps.length = 0
        const noisy = 58 + 3 * 0.3 + 0.000000001
        render(
            <TrendChart
                title="Weight"
                unit="kg"
                axis="gestationalAge"
                series={[
                    {
                        label: 'Weight',
                        points: [{ date: '2026-07-20', gaWeeks: 28, value: noisy }],
                    },
                ]}
            />
        )
        const { options } = lastChart()
        expect(options.scales.y.ticks.callback(11.600000000000001)).toBe('11.6')
        expect(options.scales.y.title.text).toBe('Weight (kg)')
        const { title, label } = options.plugins.tooltip.callbacks
        expect(title([{ raw: { x: 28, y: noisy, date: '2026-07-20', gaWeeks: 28 } }])).toBe(
            'GA 28 weeks, 2026-07-20'
        )
        expect(label({ dataset: { label: 'Weight' }, parsed: { y: noisy } })).toBe(
            'Weight: 58.9 kg'
        )
        expect(tableRows(screen.getByRole('table'))[1]).toEqual(['28', '2026-07-20', '58.9'])
    })

    it('shows an empty state when nothing was measured', () => {
        render(<TrendChart title="Weight" unit="kg" series={[{ label: 'Weight', points: [] }]} />)
        expect(screen.getByText('No measurements recorded yet.')).toBeInTheDocument()
        expect(screen.queryByTestId('line-chart')).toBeNull()
    })
})
