import { redirectTarget } from './redirect'

const at = (pageUrl: string, redirectUrl: string | null, baseUrl = '..') =>
    redirectTarget({ pageUrl, baseUrl, redirectUrl })

describe('redirectTarget', () => {
    it('goes where DHIS2 says the user was going, carrying the login page hash', () => {
        expect(at('https://h.example/dhis-web-login/#/dashboard/x', '/dhis-web-dashboard/')).toBe(
            'https://h.example/dhis-web-dashboard/#/dashboard/x'
        )
    })

    it('resolves against a context path (DHIS2 under /dhis)', () => {
        expect(at('https://h.example/dhis/api/apps/login/index.html', null, '../../..')).toBe(
            'https://h.example/dhis/'
        )
    })

    it.each([
        'https://evil.example/steal',
        '//evil.example/steal',
        '/\\evil.example',
        'javascript:alert(1)',
        'data:text/html,hi',
    ])('refuses %s as ?redirect= and as redirectUrl', (evil) => {
        const page = `https://h.example/dhis-web-login/?redirect=${encodeURIComponent(evil)}`
        expect(at(page, '/api/apps/anc-doctor/')).toBe('https://h.example/api/apps/anc-doctor/')
        expect(at('https://h.example/dhis-web-login/', evil)).toBe('https://h.example/')
    })
})
