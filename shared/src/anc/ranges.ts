/**
 * Plausible ranges for input validation: values outside are almost certainly typing errors
 * (wrong unit, extra digit) and are refused at entry. They are deliberately wide: a rare but
 * real extreme value must still be enterable; risk thresholds live in risk.ts.
 */

export type MeasurementKind =
    | 'systolic'
    | 'diastolic'
    | 'weightKg'
    | 'heightCm'
    | 'fundalHeightCm'
    | 'fetalHeartRate'
    | 'haemoglobinGdl'
    | 'temperatureC'
    | 'pulse'
    | 'spo2'
    | 'gaWeeks'
    | 'gravida'
    | 'parity'
    | 'ageYears'

export interface MeasurementRange {
    min: number
    max: number
    /** UCUM unit of the value. */
    ucum: string
    integer: boolean
}

export const MEASUREMENT_RANGES: Readonly<Record<MeasurementKind, MeasurementRange>> = {
    systolic: { min: 50, max: 300, ucum: 'mm[Hg]', integer: true },
    diastolic: { min: 20, max: 200, ucum: 'mm[Hg]', integer: true },
    weightKg: { min: 25, max: 250, ucum: 'kg', integer: false },
    heightCm: { min: 100, max: 230, ucum: 'cm', integer: false },
    fundalHeightCm: { min: 5, max: 60, ucum: 'cm', integer: false },
    fetalHeartRate: { min: 50, max: 250, ucum: '/min', integer: true },
    haemoglobinGdl: { min: 2, max: 25, ucum: 'g/dL', integer: false },
    temperatureC: { min: 30, max: 45, ucum: 'Cel', integer: false },
    pulse: { min: 20, max: 250, ucum: '/min', integer: true },
    spo2: { min: 50, max: 100, ucum: '%', integer: true },
    gaWeeks: { min: 0, max: 45, ucum: 'wk', integer: true },
    gravida: { min: 1, max: 30, ucum: '1', integer: true },
    parity: { min: 0, max: 25, ucum: '1', integer: true },
    ageYears: { min: 10, max: 65, ucum: 'a', integer: true },
}

export type RangeCheck =
    | { ok: true; value: number }
    | {
          ok: false
          reason: 'notANumber' | 'notAnInteger' | 'belowMinimum' | 'aboveMaximum'
          range: MeasurementRange
      }

/** Checks a typed value (string from an input, or number) against the plausible range. */
export function checkMeasurement(kind: MeasurementKind, input: string | number): RangeCheck {
    const range = MEASUREMENT_RANGES[kind]
    const text = typeof input === 'number' ? String(input) : input.trim()
    // Number('') is 0 and Number('0x10') is 16: accept plain decimals only.
    if (!/^-?\d+(\.\d+)?$/.test(text)) return { ok: false, reason: 'notANumber', range }
    const value = Number(text)
    if (range.integer && !Number.isInteger(value))
        return { ok: false, reason: 'notAnInteger', range }
    if (value < range.min) return { ok: false, reason: 'belowMinimum', range }
    if (value > range.max) return { ok: false, reason: 'aboveMaximum', range }
    return { ok: true, value }
}
