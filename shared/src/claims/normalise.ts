/**
 * Normalisers for single claim values. Each returns the value to store or a reason it was
 * refused; none repairs a value by guessing (no truncation, no stripping of odd characters).
 */
import { isCalendarDate } from '../anc/dates'

export type ClaimProblemReason =
    | 'missing'
    | 'notAString'
    | 'empty'
    | 'tooLong'
    | 'controlCharacters'
    | 'bidiControls'
    | 'invisibleCharacters'
    | 'markup'
    | 'badDateFormat'
    | 'impossibleDate'
    | 'futureDate'
    | 'unknownGender'
    | 'badPhone'
    | 'badEmail'
    | 'badNic'
    | 'badSub'
    | 'badAddress'

export type Normalised = { ok: true; value: string } | { ok: false; reason: ClaimProblemReason }

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
// Embeddings, overrides, isolates and directional marks can make text display differently
// from what is stored (e.g. a name that renders reversed): refuse them.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/
// Zero-width space, word joiner, BOM, soft hyphen, invisible operators. ZWJ/ZWNJ (U+200C/D) are
// kept: Sinhala conjuncts such as ශ්‍රී need them.
const INVISIBLE = /[\u00ad\u200b\u2060-\u2064\ufeff]/
const MARKUP = /[<>]/

/** Free text (names, address parts): NFC, whitespace collapsed, hostile characters refused. */
export function normaliseText(raw: unknown, maxLength: number): Normalised {
    if (typeof raw !== 'string') return { ok: false, reason: 'notAString' }
    // Check length before any work so a multi-megabyte claim costs nothing.
    if (raw.length > maxLength * 4) return { ok: false, reason: 'tooLong' }
    if (CONTROL.test(raw.replace(/[\t\n\r]/g, ' ')))
        return { ok: false, reason: 'controlCharacters' }
    if (BIDI.test(raw)) return { ok: false, reason: 'bidiControls' }
    if (INVISIBLE.test(raw)) return { ok: false, reason: 'invisibleCharacters' }
    if (MARKUP.test(raw)) return { ok: false, reason: 'markup' }
    const value = raw.normalize('NFC').replace(/\s+/g, ' ').trim()
    if (value === '') return { ok: false, reason: 'empty' }
    if (value.length > maxLength) return { ok: false, reason: 'tooLong' }
    return { ok: true, value }
}

/** eSignet sends `YYYY/MM/DD`; ISO `YYYY-MM-DD` is accepted too (eSignet 1.8, other ID systems). */
export function normaliseBirthdate(raw: unknown, today: string): Normalised {
    if (typeof raw !== 'string') return { ok: false, reason: 'notAString' }
    const m = /^(\d{4})[/-](\d{2})[/-](\d{2})$/.exec(raw.trim())
    if (!m) return { ok: false, reason: 'badDateFormat' }
    const iso = `${m[1]}-${m[2]}-${m[3]}`
    if (!isCalendarDate(iso) || Number(m[1]) < 1900) return { ok: false, reason: 'impossibleDate' }
    if (iso > today) return { ok: false, reason: 'futureDate' }
    return { ok: true, value: iso }
}

export function normaliseGender(
    raw: unknown,
    options: Record<string, string>,
    maxLength: number
): Normalised {
    const text = normaliseText(raw, maxLength)
    if (!text.ok) return text
    const label = text.value.toLowerCase()
    const code = Object.hasOwn(options, label) ? options[label] : undefined
    return code ? { ok: true, value: code } : { ok: false, reason: 'unknownGender' }
}

/**
 * Phone to E.164. `+94 77 123 4567`, `0094771234567`, `077-123-4567` (national, trunk 0) all give
 * `+94771234567` with country code 94. Letters, extensions or wrong lengths are refused.
 */
export function normalisePhone(
    raw: unknown,
    defaultCountryCode: string,
    nationalNumberLengths: readonly number[]
): Normalised {
    if (typeof raw !== 'string' || raw.length > 40)
        return { ok: false, reason: raw === undefined ? 'missing' : 'badPhone' }
    const compact = raw.trim().replace(/[\s\-.()\u00a0]/g, '')
    let digits: string
    if (/^\+[0-9]+$/.test(compact)) digits = compact.slice(1)
    else if (/^00[0-9]+$/.test(compact)) digits = compact.slice(2)
    else if (/^0[0-9]+$/.test(compact)) digits = defaultCountryCode + compact.slice(1)
    else if (/^[0-9]+$/.test(compact) && nationalNumberLengths.includes(compact.length)) {
        digits = defaultCountryCode + compact
    } else return { ok: false, reason: 'badPhone' }
    if (digits.startsWith(defaultCountryCode)) {
        const national = digits.slice(defaultCountryCode.length)
        if (!nationalNumberLengths.includes(national.length))
            return { ok: false, reason: 'badPhone' }
    }
    // E.164: at most 15 digits, country codes never start with 0.
    if (digits.length < 8 || digits.length > 15 || digits.startsWith('0'))
        return { ok: false, reason: 'badPhone' }
    return { ok: true, value: `+${digits}` }
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/

export function normaliseEmail(raw: unknown): Normalised {
    if (typeof raw !== 'string') return { ok: false, reason: 'notAString' }
    const value = raw.trim()
    if (value.length > 254 || !EMAIL.test(value) || CONTROL.test(value) || BIDI.test(value)) {
        return { ok: false, reason: 'badEmail' }
    }
    const at = value.lastIndexOf('@')
    // The domain is case-insensitive; the local part is not, so it is kept as sent.
    return { ok: true, value: value.slice(0, at + 1) + value.slice(at + 1).toLowerCase() }
}

/**
 * Sri Lanka NIC: old format 9 digits + V/X (digits 3-5 = day of year, +500 for women), new format
 * 12 digits (YYYY + day of year + serial). Checked for shape and a plausible day number.
 */
export function normaliseNic(raw: unknown): Normalised {
    if (typeof raw !== 'string') return { ok: false, reason: 'notAString' }
    const value = raw.trim().toUpperCase()
    let day: number
    if (/^[0-9]{9}[VX]$/.test(value)) day = Number(value.slice(2, 5))
    else if (/^[0-9]{12}$/.test(value)) day = Number(value.slice(4, 7))
    else return { ok: false, reason: 'badNic' }
    const dayOfYear = day > 500 ? day - 500 : day
    if (dayOfYear < 1 || dayOfYear > 366) return { ok: false, reason: 'badNic' }
    return { ok: true, value }
}

/** eSignet `sub`: a pairwise token (base64url in the mock, long digits in real IDA). */
export function normaliseSub(raw: unknown): Normalised {
    if (typeof raw !== 'string')
        return { ok: false, reason: raw === undefined ? 'missing' : 'notAString' }
    if (!/^[A-Za-z0-9_\-.~+/=]{8,255}$/.test(raw)) return { ok: false, reason: 'badSub' }
    return { ok: true, value: raw }
}
