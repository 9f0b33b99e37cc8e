import { supportedLanguage } from './languages'

describe('supportedLanguage', () => {
    it.each([
        ['si', 'si'],
        ['si_LK', 'si'],
        ['ta-LK', 'ta'],
        ['en_GB', 'en'],
        ['fr', 'en'],
        ['', 'en'],
        [undefined, 'en'],
        [null, 'en'],
    ])('maps %p to %p', (locale, expected) => {
        expect(supportedLanguage(locale)).toBe(expected)
    })
})
