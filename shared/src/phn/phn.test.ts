import {
    checkDigit,
    hasValidCheckDigit,
    iso7064Mod11_10CheckDigit,
    luhnCheckDigit,
    verhoeffCheckDigit,
    type CheckDigitAlgorithm,
} from './check-digits'
import {
    DEFAULT_PHN_CONFIG,
    checkPhn,
    formatPhnForDisplay,
    mergePhnConfig,
    phnFromSerial,
    type PhnConfig,
} from './phn'

describe('check digit algorithms: published vectors', () => {
    it.each([
        // Verhoeff's own examples (Wikipedia, Verhoeff 1969).
        ['verhoeff', verhoeffCheckDigit, '236', 3],
        ['verhoeff', verhoeffCheckDigit, '12345', 1],
        ['verhoeff', verhoeffCheckDigit, '142857', 0],
        // Luhn: the canonical example 7992739871-3.
        ['luhn', luhnCheckDigit, '7992739871', 3],
        // ISO 7064 MOD 11-10: a valid Croatian OIB 69435151530.
        ['iso7064-mod11-10', iso7064Mod11_10CheckDigit, '6943515153', 0],
    ] as const)('%s(%s) = %s', (_name, fn, payload, expected) => {
        expect(fn(payload)).toBe(expected)
    })

    it('rejects non-digit payloads instead of computing garbage', () => {
        expect(() => verhoeffCheckDigit('12a4')).toThrow(RangeError)
        expect(() => luhnCheckDigit('')).toThrow(RangeError)
    })
})

describe.each(['verhoeff', 'iso7064-mod11-10', 'luhn'] as CheckDigitAlgorithm[])(
    '%s error detection',
    (algorithm) => {
        const serials = ['000000001', '123456789', '987654320', '555555555', '102030405']

        it('detects every single-digit substitution', () => {
            for (const serial of serials) {
                const full = serial + String(checkDigit(algorithm, serial))
                expect(hasValidCheckDigit(algorithm, full)).toBe(true)
                for (let i = 0; i < full.length; i++) {
                    for (let d = 0; d <= 9; d++) {
                        if (String(d) === full[i]) continue
                        const typo = full.slice(0, i) + String(d) + full.slice(i + 1)
                        expect(hasValidCheckDigit(algorithm, typo)).toBe(false)
                    }
                }
            }
        })

        it('detects adjacent transpositions (Luhn misses only 09/90)', () => {
            for (const serial of [...serials, '190909090']) {
                const full = serial + String(checkDigit(algorithm, serial))
                for (let i = 0; i + 1 < full.length; i++) {
                    if (full[i] === full[i + 1]) continue
                    const swapped = full.slice(0, i) + full[i + 1] + full[i] + full.slice(i + 2)
                    const pair = full[i]! + full[i + 1]
                    const knownBlindSpot =
                        (algorithm === 'luhn' && (pair === '09' || pair === '90')) ||
                        // MOD 11-10 misses a small, documented fraction of transpositions.
                        algorithm === 'iso7064-mod11-10'
                    if (!knownBlindSpot) expect(hasValidCheckDigit(algorithm, swapped)).toBe(false)
                }
            }
        })
    }
)

describe('PHN from the DHIS2 serial', () => {
    it('appends the Verhoeff digit by default: 10 digits', () => {
        // Leading zeros are significant in Verhoeff: the digit depends on every position.
        expect(phnFromSerial('123456789')).toBe(`123456789${verhoeffCheckDigit('123456789')}`)
        expect(phnFromSerial('000000001')).not.toBe(`000000001${verhoeffCheckDigit('1')}`)
        expect(hasValidCheckDigit('verhoeff', phnFromSerial('000000001'))).toBe(true)
    })

    it.each(['12345678', '1234567890', '12345678a', '', ' 123456789'])(
        'refuses a malformed serial %j',
        (serial) => {
            expect(() => phnFromSerial(serial)).toThrow(RangeError)
        }
    )

    it('follows the configured algorithm and length', () => {
        const luhn: PhnConfig = { ...DEFAULT_PHN_CONFIG, algorithm: 'luhn', serialLength: 10 }
        expect(phnFromSerial('7992739871', luhn)).toBe('79927398713')
    })
})

describe('checkPhn as typed', () => {
    const valid = phnFromSerial('123456789')
    const wrongDigit = valid.slice(0, -1) + String((Number(valid.slice(-1)) + 1) % 10)

    it.each<[string, string, Record<string, unknown>]>([
        ['', 'badFormat', { reason: 'empty' }],
        ['   ', 'badFormat', { reason: 'empty' }],
        ['123', 'incomplete', { digits: '123', missing: 7 }],
        ['123 456', 'incomplete', { missing: 4 }],
        [valid, 'valid', { phn: valid }],
        [formatPhnForDisplay(valid), 'valid', { phn: valid }],
        [`${valid.slice(0, 3)}-${valid.slice(3)}`, 'valid', { phn: valid }],
        [wrongDigit, 'badCheckDigit', { phn: wrongDigit }],
        [`${valid}1`, 'badFormat', { reason: 'tooLong' }],
        ['12345678O0', 'badFormat', { reason: 'notDigits' }],
        ['١٢٣٤٥٦٧٨٩٠', 'badFormat', { reason: 'notDigits' }],
        ['<script>', 'badFormat', { reason: 'notDigits' }],
    ])('%j → %s', (input, kind, extra) => {
        expect(checkPhn(input)).toEqual(expect.objectContaining({ kind, ...extra }))
    })
})

describe('display and configuration', () => {
    it('groups for display only when the groups fit the length', () => {
        expect(formatPhnForDisplay('1234567890')).toBe('123 456 7890')
        expect(formatPhnForDisplay('12345')).toBe('12345')
        expect(
            formatPhnForDisplay('1234567890', { ...DEFAULT_PHN_CONFIG, displayGroups: [] })
        ).toBe('1234567890')
    })

    it('merges a stored config and reports bad fields, keeping defaults for them', () => {
        const { config, problems } = mergePhnConfig({
            algorithm: 'luhn',
            serialLength: -3,
            displayGroups: 'x',
        })
        expect(config.algorithm).toBe('luhn')
        expect(config.serialLength).toBe(9)
        expect(problems.map((p) => p.path).sort()).toEqual(['displayGroups', 'serialLength'])
    })

    it.each([[null], [undefined]])('uses defaults when nothing is stored (%p)', (stored) => {
        expect(mergePhnConfig(stored)).toEqual({ config: DEFAULT_PHN_CONFIG, problems: [] })
    })

    it('rejects an unknown algorithm, and a system set here instead of in fhir-config', () => {
        const { config, problems } = mergePhnConfig({
            algorithm: 'md5',
            system: 'https://fhir.health.gov.lk/id/phn',
        })
        expect(config.algorithm).toBe('verhoeff')
        expect(problems.map((p) => p.path).sort()).toEqual(['algorithm', 'system'])
        expect(problems.find((p) => p.path === 'system')?.reason).toContain(
            'fhir-config.systems.phn'
        )
        expect(mergePhnConfig([1, 2]).problems).toEqual([{ path: '', reason: 'not an object' }])
    })
})
