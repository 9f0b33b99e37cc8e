import { dataValuesOf } from './types'

describe('dataValuesOf', () => {
    it('sends what was filled in, trimmed and as text, and leaves empty fields out', () => {
        expect(
            dataValuesOf([
                ['sbp', 118],
                ['zero', 0],
                ['notes', '  feels well  '],
                ['missing', undefined],
                ['blank', ''],
                ['spaces', '   '],
            ])
        ).toEqual([
            { dataElement: 'sbp', value: '118' },
            { dataElement: 'zero', value: '0' },
            { dataElement: 'notes', value: 'feels well' },
        ])
    })
})
