/**
 * Decimal check-digit algorithms offered for the PHN. Each takes the payload digits (no check
 * digit) and returns the one check digit to append. They are public, well-specified schemes;
 * the tests pin them to published vectors and to their error-detection properties.
 */

export type CheckDigitAlgorithm = 'verhoeff' | 'iso7064-mod11-10' | 'luhn'

export const CHECK_DIGIT_ALGORITHMS: readonly CheckDigitAlgorithm[] = [
    'verhoeff',
    'iso7064-mod11-10',
    'luhn',
]

// Verhoeff's dihedral group D5 tables (multiplication, permutation, inverse).
const VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
] as const
const VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
] as const
const VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9] as const

function assertDigits(payload: string): void {
    if (!/^[0-9]+$/.test(payload)) throw new RangeError('check digit payload must be digits only')
}

function digitAt(s: string, i: number): number {
    return s.charCodeAt(i) - 48
}

export function verhoeffCheckDigit(payload: string): number {
    assertDigits(payload)
    let c = 0
    // The check digit will sit at position 0, so payload digits start at position 1.
    for (let i = 0; i < payload.length; i++) {
        const digit = digitAt(payload, payload.length - 1 - i)
        c = VERHOEFF_D[c]![VERHOEFF_P[(i + 1) % 8]![digit]!]!
    }
    return VERHOEFF_INV[c]!
}

/** ISO/IEC 7064 MOD 11-10 (hybrid system), as used by e.g. the Croatian OIB. */
export function iso7064Mod11_10CheckDigit(payload: string): number {
    assertDigits(payload)
    let p = 10
    for (let i = 0; i < payload.length; i++) {
        let s = (p + digitAt(payload, i)) % 10
        if (s === 0) s = 10
        p = (s * 2) % 11
    }
    return (11 - p) % 10
}

export function luhnCheckDigit(payload: string): number {
    assertDigits(payload)
    let sum = 0
    // Double every second digit counting from the right of the payload (the check digit is
    // appended to the right, so the payload's rightmost digit is doubled).
    for (let i = 0; i < payload.length; i++) {
        let d = digitAt(payload, payload.length - 1 - i)
        if (i % 2 === 0) {
            d *= 2
            if (d > 9) d -= 9
        }
        sum += d
    }
    return (10 - (sum % 10)) % 10
}

export function checkDigit(algorithm: CheckDigitAlgorithm, payload: string): number {
    switch (algorithm) {
        case 'verhoeff':
            return verhoeffCheckDigit(payload)
        case 'iso7064-mod11-10':
            return iso7064Mod11_10CheckDigit(payload)
        case 'luhn':
            return luhnCheckDigit(payload)
    }
}

/** True when the last digit of `full` is the correct check digit for the digits before it. */
export function hasValidCheckDigit(algorithm: CheckDigitAlgorithm, full: string): boolean {
    if (!/^[0-9]{2,}$/.test(full)) return false
    return checkDigit(algorithm, full.slice(0, -1)) === digitAt(full, full.length - 1)
}
