import type { ContactView, ObservationValue } from '@anc/shared/fhir'
import i18n from '@dhis2/d2-i18n'

/** One measurement of a visit, said the way a midwife would say it to the woman. */
export interface PlainMeasurement {
    key: string
    label: string
    value: string
    /** A lab result rather than a check at the visit. */
    isResult: boolean
}

function urineProteinWords(code: ObservationValue): string {
    switch (code) {
        case 'NEGATIVE':
            return i18n.t('none found')
        case 'TRACE':
            return i18n.t('a trace')
        case 'PLUS1':
            return i18n.t('a little (+)')
        case 'PLUS2':
            return i18n.t('some (++)')
        case 'PLUS3':
            return i18n.t('a lot (+++)')
        case 'PLUS4':
            return i18n.t('a great deal (++++)')
        default:
            return String(code)
    }
}

const number = (value: ObservationValue) =>
    typeof value === 'number' ? value.toLocaleString(i18n.language || 'en') : String(value)

/** What was measured at one visit, in plain words, in a fixed order. */
export function plainMeasurements(contact: ContactView): PlainMeasurement[] {
    const out: PlainMeasurement[] = []
    const o = contact.observations
    if (contact.systolic !== undefined && contact.diastolic !== undefined) {
        out.push({
            key: 'bloodPressure',
            label: i18n.t('Blood pressure'),
            value: i18n.t('{{systolic}}/{{diastolic}} mmHg', {
                systolic: contact.systolic,
                diastolic: contact.diastolic,
            }),
            isResult: false,
        })
    }
    if (o.weight !== undefined) {
        out.push({
            key: 'weight',
            label: i18n.t('Your weight'),
            value: i18n.t('{{value}} kg', { value: number(o.weight) }),
            isResult: false,
        })
    }
    if (o.fundalHeight !== undefined) {
        out.push({
            key: 'fundalHeight',
            label: i18n.t('Size of your bump (fundal height)'),
            value: i18n.t('{{value}} cm', { value: number(o.fundalHeight) }),
            isResult: false,
        })
    }
    if (o.fetalHeartRate !== undefined) {
        out.push({
            key: 'fetalHeartRate',
            label: i18n.t("Baby's heartbeat"),
            value: i18n.t('{{value}} beats a minute', { value: number(o.fetalHeartRate) }),
            isResult: false,
        })
    }
    if (o.haemoglobin !== undefined) {
        out.push({
            key: 'haemoglobin',
            label: i18n.t('Haemoglobin (iron in your blood)'),
            value: i18n.t('{{value}} g/dL', { value: number(o.haemoglobin) }),
            isResult: true,
        })
    }
    if (o.urineProtein !== undefined) {
        out.push({
            key: 'urineProtein',
            label: i18n.t('Protein in your urine'),
            value: urineProteinWords(o.urineProtein),
            isResult: true,
        })
    }
    return out
}
