import { comparableName, namesAreClose } from './duplicates'

describe('namesAreClose', () => {
    it.each([
        ['Nimali Perera', 'nimali  perera.'],
        ['Nimali Perera', 'Perera Nimali'],
        ['Nimali Perera', 'Nimalee Perera'],
        ['Shanthi Kumarasinghe', 'Santhi Kumarasinghe'],
    ])('%s ~ %s', (a, b) => expect(namesAreClose(a, b)).toBe(true))

    it.each([
        ['Nimali Perera', 'Kumari Perera'],
        ['Nimali Perera', 'Nimali Fernando'],
        ['Ann', 'Anne Silva'],
        ['', ''],
    ])('%s is not %s', (a, b) => expect(namesAreClose(a, b)).toBe(false))

    it('ignores accents and case', () => {
        expect(comparableName('ÉLISE  de Silva')).toBe('elise de silva')
    })
})
