// @anc/shared/anc: calendar dates, gestational age, the WHO contact schedule, risk flags and
// input ranges. Pure functions; see README.md.
export {
    addDays,
    ageInYears,
    clinicToday,
    daysBetween,
    isCalendarDate,
    type CalendarDate,
} from './dates'
export {
    dateAtGestationalAge,
    eddFromLmp,
    formatGestationalAge,
    gestationalAgeIfAfterLmp,
    lmpFromEdd,
} from './gestation'
export { checkMeasurement, type MeasurementKind, type RangeCheck } from './ranges'
export { evaluateRiskFlags, type RiskFlag, type RiskFlagCode, type UrineProtein } from './risk'
