/**
 * DHIS2 UIDs: 11 characters, a letter first, then letters or digits (CodeGenerator in
 * dhis2-core). Client-generated UIDs let one tracker import create a person, her enrollment and
 * events that reference each other, and let a retry reuse the same ids.
 */
import { DHIS2_UID_PATTERN } from '../metadata/ids'

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
const ALPHANUMERIC = `0123456789${LETTERS}`

/** Uniform choice by rejection sampling, so no character is favoured by a modulo bias. */
function randomChar(alphabet: string): string {
    const limit = 256 - (256 % alphabet.length)
    const byte = new Uint8Array(1)
    for (;;) {
        globalThis.crypto.getRandomValues(byte)
        const value = byte[0] as number
        if (value < limit) return alphabet[value % alphabet.length] as string
    }
}

export function generateUid(): string {
    let uid = randomChar(LETTERS)
    for (let i = 1; i < 11; i++) uid += randomChar(ALPHANUMERIC)
    return uid
}

export function isValidUid(value: unknown): value is string {
    return typeof value === 'string' && DHIS2_UID_PATTERN.test(value)
}
