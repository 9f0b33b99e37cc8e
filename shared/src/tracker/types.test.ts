import { DATA_ELEMENTS } from '../metadata/ids'
import { dataValuesOf } from './types'

describe('dataValuesOf', () => {
    it('sends what was filled in, trimmed and as text, to its data element, and leaves empty fields out', () => {
        expect(
            dataValuesOf({
                systolicBp: 118,
                parity: 0,
                notes: '  feels well  ',
                weightKg: undefined,
                previousComplications: '',
                nextAppointment: '   ',
            })
        ).toEqual([
            { dataElement: DATA_ELEMENTS.systolicBp, value: '118' },
            { dataElement: DATA_ELEMENTS.parity, value: '0' },
            { dataElement: DATA_ELEMENTS.notes, value: 'feels well' },
        ])
    })
})
