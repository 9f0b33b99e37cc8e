import { checkMeasurement } from './ranges'
import { anaemiaThresholdGdl, evaluateRiskFlags, type RiskInput } from './risk'

const codes = (input: RiskInput): string[] =>
    evaluateRiskFlags(input).map((f) => `${f.code}:${f.severity}`)

describe('risk flags from the thresholds table', () => {
    it.each<[string, RiskInput, string[]]>([
        ['normal BP', { systolic: 120, diastolic: 80 }, []],
        ['139/89 is below the threshold', { systolic: 139, diastolic: 89 }, []],
        [
            'first reading 140/85 asks for a repeat',
            { systolic: 140, diastolic: 85 },
            ['raisedBloodPressure:yellow'],
        ],
        [
            'first reading 130/90 asks for a repeat',
            { systolic: 130, diastolic: 90 },
            ['raisedBloodPressure:yellow'],
        ],
        [
            'repeat normal clears it',
            { systolic: 145, diastolic: 92, repeatSystolic: 132, repeatDiastolic: 84 },
            [],
        ],
        [
            'repeat 142/91 is hypertension',
            { systolic: 145, diastolic: 92, repeatSystolic: 142, repeatDiastolic: 91 },
            ['hypertension:red'],
        ],
        [
            'repeat 160/100 is severe',
            { systolic: 150, diastolic: 95, repeatSystolic: 160, repeatDiastolic: 100 },
            ['severeHypertension:red'],
        ],
        [
            'repeat 150/110 is severe',
            { systolic: 150, diastolic: 95, repeatSystolic: 150, repeatDiastolic: 110 },
            ['severeHypertension:red'],
        ],
        [
            'a single 170/115 is severe without waiting',
            { systolic: 170, diastolic: 115 },
            ['severeHypertension:red'],
        ],
        [
            'hypertension + protein ++ is pre-eclampsia',
            {
                systolic: 145,
                diastolic: 95,
                repeatSystolic: 145,
                repeatDiastolic: 95,
                urineProtein: 'PLUS2',
            },
            ['preEclampsia:red', 'hypertension:red'],
        ],
        [
            'protein + alone is not pre-eclampsia',
            {
                systolic: 145,
                diastolic: 95,
                repeatSystolic: 145,
                repeatDiastolic: 95,
                urineProtein: 'PLUS1',
            },
            ['hypertension:red'],
        ],
        [
            'severe BP + protein +++ is severe pre-eclampsia',
            {
                systolic: 165,
                diastolic: 112,
                repeatSystolic: 165,
                repeatDiastolic: 112,
                urineProtein: 'PLUS3',
            },
            ['severePreEclampsia:red', 'severeHypertension:red'],
        ],
        [
            'protein ++ + severe symptom is severe pre-eclampsia',
            {
                systolic: 145,
                diastolic: 95,
                repeatSystolic: 145,
                repeatDiastolic: 95,
                urineProtein: 'PLUS2',
                severePreEclampsiaSymptom: true,
            },
            ['severePreEclampsia:red', 'hypertension:red'],
        ],
        ['fever 38.0', { temperatureC: 38 }, ['fever:red']],
        ['37.9 is no fever', { temperatureC: 37.9 }, []],
        ['pulse 59', { pulse: 59 }, ['abnormalPulse:red']],
        ['pulse 101', { pulse: 101 }, ['abnormalPulse:red']],
        ['pulse 60 and 100 are normal', { pulse: 100 }, []],
        ['SpO2 91', { spo2: 91 }, ['lowOxygenSaturation:red']],
        ['FHR 99', { fetalHeartRate: 99 }, ['abnormalFetalHeartRate:red']],
        ['FHR 181', { fetalHeartRate: 181 }, ['abnormalFetalHeartRate:red']],
        ['FHR 140', { fetalHeartRate: 140 }, []],
        [
            'no heartbeat at 20 weeks',
            { fetalHeartbeatPresent: false, gaWeeks: 20 },
            ['noFetalHeartbeat:red'],
        ],
        ['no heartbeat at 18 weeks is expected', { fetalHeartbeatPresent: false, gaWeeks: 18 }, []],
        ['Hb 10.9 at GA 12', { haemoglobinGdl: 10.9, gaWeeks: 12 }, ['anaemia:red']],
        ['Hb 10.9 at GA 20 (threshold 10.5)', { haemoglobinGdl: 10.9, gaWeeks: 20 }, []],
        ['Hb 10.4 at GA 20', { haemoglobinGdl: 10.4, gaWeeks: 20 }, ['anaemia:red']],
        ['Hb 10.9 at GA 28', { haemoglobinGdl: 10.9, gaWeeks: 28 }, ['anaemia:red']],
        ['pallor without Hb', { pallor: true }, ['pallor:red']],
        ['pallor with a normal Hb', { pallor: true, haemoglobinGdl: 12 }, []],
        ['danger sign', { dangerSigns: ['vaginalBleeding'] }, ['dangerSign:red']],
        ['"none" is not a danger sign', { dangerSigns: ['none'] }, []],
        ['2 miscarriages', { miscarriagesOrAbortions: 2 }, ['recurrentPregnancyLoss:red']],
        [
            '1 stillbirth, 1 C-section',
            { stillbirths: 1, caesareanSections: 1 },
            ['previousStillbirth:red', 'previousCaesarean:red'],
        ],
        ['twins', { numberOfFetuses: 2 }, ['multiplePregnancy:red']],
        [
            'transverse at 28',
            { presentation: 'transverse', gaWeeks: 28 },
            ['transversePresentation:red'],
        ],
        ['transverse at 26 is not flagged', { presentation: 'transverse', gaWeeks: 26 }, []],
        ['age 17', { ageYears: 17 }, ['youngAge:yellow']],
        ['age 18 and 34 are not flagged', { ageYears: 34 }, []],
        ['age 35', { ageYears: 35 }, ['advancedAge:yellow']],
        [
            'gravida 5, parity 5',
            { gravida: 5, parity: 5 },
            ['grandMultigravida:yellow', 'grandMultipara:yellow'],
        ],
        ['gravida 4, parity 4', { gravida: 4, parity: 4 }, []],
        ['NaN is ignored, not flagged', { systolic: Number.NaN, haemoglobinGdl: Number.NaN }, []],
    ])('%s', (_label, input, expected) => {
        expect(codes(input)).toEqual(expected)
    })

    it('orders red before yellow and carries the evidence', () => {
        const flags = evaluateRiskFlags({ ageYears: 16, haemoglobinGdl: 9, gaWeeks: 30 })
        expect(flags.map((f) => f.severity)).toEqual(['red', 'yellow'])
        expect(flags[0]!.evidence).toEqual({ haemoglobinGdl: 9, thresholdGdl: 11 })
    })

    it.each([
        [undefined, 11],
        [12, 11],
        [13, 10.5],
        [27, 10.5],
        [28, 11],
    ])('anaemia threshold at GA %p is %p', (ga, t) => {
        expect(anaemiaThresholdGdl(ga)).toBe(t)
    })
})

describe('plausible ranges for entry', () => {
    it.each<[Parameters<typeof checkMeasurement>[0], string | number, unknown]>([
        ['systolic', '120', { ok: true, value: 120 }],
        ['systolic', '1200', expect.objectContaining({ ok: false, reason: 'aboveMaximum' })],
        ['systolic', '49', expect.objectContaining({ ok: false, reason: 'belowMinimum' })],
        ['systolic', '120.5', expect.objectContaining({ ok: false, reason: 'notAnInteger' })],
        ['weightKg', '62.4', { ok: true, value: 62.4 }],
        ['weightKg', '', expect.objectContaining({ ok: false, reason: 'notANumber' })],
        ['weightKg', '0x40', expect.objectContaining({ ok: false, reason: 'notANumber' })],
        ['weightKg', '6e1', expect.objectContaining({ ok: false, reason: 'notANumber' })],
        ['haemoglobinGdl', 110, expect.objectContaining({ ok: false, reason: 'aboveMaximum' })],
        ['haemoglobinGdl', ' 11.2 ', { ok: true, value: 11.2 }],
        ['gravida', '0', expect.objectContaining({ ok: false, reason: 'belowMinimum' })],
        ['parity', '0', { ok: true, value: 0 }],
    ])('%s %j', (kind, input, expected) => {
        expect(checkMeasurement(kind, input)).toEqual(expected)
    })
})
