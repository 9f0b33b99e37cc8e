/**
 * Danger signs and risk flags from the thresholds in the WHO ANC DAK / OpenSRP ANC attention
 * flags. Decision support for the clinician, not a diagnosis: every flag says which finding and
 * which threshold triggered it. Red = act now or refer; yellow = needs attention at this contact.
 */

export type RiskSeverity = 'red' | 'yellow'

export type RiskFlagCode =
    | 'raisedBloodPressure'
    | 'hypertension'
    | 'severeHypertension'
    | 'preEclampsia'
    | 'severePreEclampsia'
    | 'fever'
    | 'abnormalPulse'
    | 'lowOxygenSaturation'
    | 'abnormalFetalHeartRate'
    | 'noFetalHeartbeat'
    | 'anaemia'
    | 'pallor'
    | 'dangerSign'
    | 'recurrentPregnancyLoss'
    | 'previousStillbirth'
    | 'previousCaesarean'
    | 'multiplePregnancy'
    | 'transversePresentation'
    | 'youngAge'
    | 'advancedAge'
    | 'grandMultigravida'
    | 'grandMultipara'

export interface RiskFlag {
    code: RiskFlagCode
    severity: RiskSeverity
    /** The finding that triggered the flag, e.g. { systolic: 162, diastolic: 95 }. */
    evidence: Record<string, number | string>
    /** The rule in words, for tooltips and audit. */
    rule: string
}

/** Urine dipstick protein, as DHIS2 option codes. */
export type UrineProtein = 'NEGATIVE' | 'TRACE' | 'PLUS1' | 'PLUS2' | 'PLUS3' | 'PLUS4'
const PROTEIN_RANK: Record<UrineProtein, number> = {
    NEGATIVE: 0,
    TRACE: 0.5,
    PLUS1: 1,
    PLUS2: 2,
    PLUS3: 3,
    PLUS4: 4,
}

export interface RiskInput {
    gaWeeks?: number
    ageYears?: number
    gravida?: number
    parity?: number
    miscarriagesOrAbortions?: number
    stillbirths?: number
    caesareanSections?: number
    systolic?: number
    diastolic?: number
    /** Repeat reading after a first reading >= 140/90. */
    repeatSystolic?: number
    repeatDiastolic?: number
    urineProtein?: UrineProtein
    /** Any severe pre-eclampsia symptom: severe headache, visual disturbance, epigastric pain... */
    severePreEclampsiaSymptom?: boolean
    temperatureC?: number
    pulse?: number
    spo2?: number
    fetalHeartRate?: number
    fetalHeartbeatPresent?: boolean
    haemoglobinGdl?: number
    pallor?: boolean
    numberOfFetuses?: number
    presentation?: 'cephalic' | 'breech' | 'transverse' | 'unknown'
    /** Quick-check danger signs present (codes of the DAK list, 'none' excluded). */
    dangerSigns?: readonly string[]
}

/** Anaemia threshold (g/dL): < 11 in the first trimester and from 28 weeks, < 10.5 between. */
export function anaemiaThresholdGdl(gaWeeks: number | undefined): number {
    if (gaWeeks === undefined) return 11
    return gaWeeks > 12 && gaWeeks < 28 ? 10.5 : 11
}

function num(v: number | undefined): v is number {
    return typeof v === 'number' && Number.isFinite(v)
}

export function evaluateRiskFlags(input: RiskInput): RiskFlag[] {
    const flags: RiskFlag[] = []
    const add = (
        code: RiskFlagCode,
        severity: RiskSeverity,
        evidence: RiskFlag['evidence'],
        rule: string
    ): void => {
        flags.push({ code, severity, evidence, rule })
    }

    // Blood pressure: a first reading >= 140/90 needs a repeat; the repeat decides.
    const { systolic: s1, diastolic: d1, repeatSystolic: s2, repeatDiastolic: d2 } = input
    const hasFirst = num(s1) || num(d1)
    const hasRepeat = num(s2) || num(d2)
    const raised = (s?: number, d?: number): boolean => (num(s) && s >= 140) || (num(d) && d >= 90)
    const severe = (s?: number, d?: number): boolean => (num(s) && s >= 160) || (num(d) && d >= 110)
    const confirmedS = hasRepeat ? s2 : s1
    const confirmedD = hasRepeat ? d2 : d1
    const bpEvidence: RiskFlag['evidence'] = {}
    if (num(confirmedS)) bpEvidence.systolic = confirmedS
    if (num(confirmedD)) bpEvidence.diastolic = confirmedD
    const protein = input.urineProtein ? PROTEIN_RANK[input.urineProtein] : undefined
    const proteinuria = protein !== undefined && protein >= 2
    const hypertensive = hasRepeat ? raised(s2, d2) : false
    // A single severe reading is acted on without waiting for the repeat.
    const severeBp = hasRepeat ? severe(s2, d2) : hasFirst && severe(s1, d1)

    if (
        proteinuria &&
        (severeBp || (input.severePreEclampsiaSymptom && (hypertensive || raised(s1, d1))))
    ) {
        add(
            'severePreEclampsia',
            'red',
            { ...bpEvidence, urineProtein: input.urineProtein! },
            'BP >= 160/110 with protein >= ++, or protein >= ++ with a severe symptom'
        )
    } else if (proteinuria && (hypertensive || (!hasRepeat && raised(s1, d1)))) {
        add(
            'preEclampsia',
            'red',
            { ...bpEvidence, urineProtein: input.urineProtein! },
            'BP >= 140/90 with protein >= ++, below 160/110, no severe symptom'
        )
    }
    if (severeBp) {
        add('severeHypertension', 'red', bpEvidence, 'SBP >= 160 or DBP >= 110')
    } else if (hypertensive) {
        add('hypertension', 'red', bpEvidence, 'repeat SBP >= 140 or DBP >= 90')
    } else if (!hasRepeat && hasFirst && raised(s1, d1)) {
        add(
            'raisedBloodPressure',
            'yellow',
            bpEvidence,
            'SBP >= 140 or DBP >= 90: take a repeat reading, check urine protein'
        )
    }

    if (num(input.temperatureC) && input.temperatureC >= 38) {
        add('fever', 'red', { temperatureC: input.temperatureC }, 'temperature >= 38 °C')
    }
    if (num(input.pulse) && (input.pulse < 60 || input.pulse > 100)) {
        add('abnormalPulse', 'red', { pulse: input.pulse }, 'pulse < 60 or > 100 bpm')
    }
    if (num(input.spo2) && input.spo2 < 92) {
        add('lowOxygenSaturation', 'red', { spo2: input.spo2 }, 'SpO2 < 92 %')
    }
    if (num(input.fetalHeartRate) && (input.fetalHeartRate < 100 || input.fetalHeartRate > 180)) {
        add(
            'abnormalFetalHeartRate',
            'red',
            { fetalHeartRate: input.fetalHeartRate },
            'fetal heart rate < 100 or > 180 bpm'
        )
    }
    if (input.fetalHeartbeatPresent === false && num(input.gaWeeks) && input.gaWeeks >= 20) {
        add(
            'noFetalHeartbeat',
            'red',
            { gaWeeks: input.gaWeeks },
            'no fetal heartbeat at GA >= 20 weeks: refer'
        )
    }
    if (num(input.haemoglobinGdl)) {
        const threshold = anaemiaThresholdGdl(input.gaWeeks)
        if (input.haemoglobinGdl < threshold) {
            add(
                'anaemia',
                'red',
                { haemoglobinGdl: input.haemoglobinGdl, thresholdGdl: threshold },
                'Hb < 11 g/dL (GA <= 12 or >= 28), < 10.5 g/dL (12 < GA < 28)'
            )
        }
    } else if (input.pallor) {
        add('pallor', 'red', { pallor: 'yes' }, 'pallor and no haemoglobin result')
    }
    const signs = (input.dangerSigns ?? []).filter((s) => s !== 'none')
    if (signs.length > 0)
        add('dangerSign', 'red', { signs: signs.join(',') }, 'any quick-check danger sign: refer')

    if (num(input.miscarriagesOrAbortions) && input.miscarriagesOrAbortions >= 2) {
        add(
            'recurrentPregnancyLoss',
            'red',
            { miscarriagesOrAbortions: input.miscarriagesOrAbortions },
            'miscarriages/abortions >= 2'
        )
    }
    if (num(input.stillbirths) && input.stillbirths >= 1) {
        add('previousStillbirth', 'red', { stillbirths: input.stillbirths }, 'stillbirths >= 1')
    }
    if (num(input.caesareanSections) && input.caesareanSections >= 1) {
        add(
            'previousCaesarean',
            'red',
            { caesareanSections: input.caesareanSections },
            'C-sections >= 1'
        )
    }
    if (num(input.numberOfFetuses) && input.numberOfFetuses > 1) {
        add(
            'multiplePregnancy',
            'red',
            { numberOfFetuses: input.numberOfFetuses },
            'more than one fetus'
        )
    }
    if (input.presentation === 'transverse' && num(input.gaWeeks) && input.gaWeeks >= 28) {
        add(
            'transversePresentation',
            'red',
            { gaWeeks: input.gaWeeks },
            'transverse lie at GA >= 28 weeks'
        )
    }

    if (num(input.ageYears)) {
        if (input.ageYears <= 17)
            add('youngAge', 'yellow', { ageYears: input.ageYears }, 'age <= 17')
        else if (input.ageYears >= 35)
            add('advancedAge', 'yellow', { ageYears: input.ageYears }, 'age >= 35')
    }
    if (num(input.gravida) && input.gravida >= 5) {
        add('grandMultigravida', 'yellow', { gravida: input.gravida }, 'gravida >= 5')
    }
    if (num(input.parity) && input.parity >= 5) {
        add('grandMultipara', 'yellow', { parity: input.parity }, 'parity >= 5')
    }
    // Red first, stable otherwise.
    return flags.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'red' ? -1 : 1))
}
