import { type ConfigProblem } from '../stored/problem'
import { isIntegerIn, storedSections } from '../stored/stored'

/**
 * The Personal Health Number: a serial issued atomically by DHIS2's TextPattern generator
 * (attribute `phnSerial`) followed by one check digit computed here. The national format is not
 * settled, so length, algorithm and display grouping are configuration. Its FHIR identifier
 * system is `fhir-config.systems.phn`, with the other identifier systems: one place, not two.
 */
import { CHECK_DIGIT_ALGORITHMS, checkDigit, type CheckDigitAlgorithm } from './check-digits'

export interface PhnConfig {
    /** Digits in the serial DHIS2 issues (TextPattern SEQUENTIAL(#########) gives 9). */
    serialLength: number
    algorithm: CheckDigitAlgorithm
    /** Group sizes for display, e.g. [3, 3, 4] shows `123 456 7890`; empty shows it plain. */
    displayGroups: number[]
}

export const DEFAULT_PHN_CONFIG: Readonly<PhnConfig> = Object.freeze({
    serialLength: 9,
    algorithm: 'verhoeff',
    displayGroups: [3, 3, 4],
})

export type PhnCheck =
    /** Only digits so far, fewer than a full PHN: keep typing. */
    | { kind: 'incomplete'; digits: string; missing: number }
    /** Characters other than digits and separators, or too many digits. */
    | { kind: 'badFormat'; reason: 'notDigits' | 'tooLong' | 'empty' }
    /** Right length, but the check digit does not match: most likely a typo. */
    | { kind: 'badCheckDigit'; phn: string }
    | { kind: 'valid'; phn: string }

/** Separators people type or that come from the display form: spaces, hyphens, dots. */
const SEPARATORS = /[\s\-.\u00a0]/g

export function phnLength(config: PhnConfig = DEFAULT_PHN_CONFIG): number {
    return config.serialLength + 1
}

/** Builds the PHN from a generated serial. Throws on a serial of the wrong shape: that is a bug. */
export function phnFromSerial(serial: string, config: PhnConfig = DEFAULT_PHN_CONFIG): string {
    if (!new RegExp(`^[0-9]{${config.serialLength}}$`).test(serial)) {
        throw new RangeError(`PHN serial must be exactly ${config.serialLength} digits`)
    }
    return serial + String(checkDigit(config.algorithm, serial))
}

/** Checks a PHN as the user types it (separators allowed) or as stored. */
export function checkPhn(input: string, config: PhnConfig = DEFAULT_PHN_CONFIG): PhnCheck {
    const digits = input.replace(SEPARATORS, '')
    if (digits.length === 0) return { kind: 'badFormat', reason: 'empty' }
    if (!/^[0-9]+$/.test(digits)) return { kind: 'badFormat', reason: 'notDigits' }
    const length = phnLength(config)
    if (digits.length < length) {
        return { kind: 'incomplete', digits, missing: length - digits.length }
    }
    if (digits.length > length) return { kind: 'badFormat', reason: 'tooLong' }
    const expected = checkDigit(config.algorithm, digits.slice(0, -1))
    if (String(expected) !== digits.slice(-1)) return { kind: 'badCheckDigit', phn: digits }
    return { kind: 'valid', phn: digits }
}

/** `1234567890` → `123 456 7890` per `displayGroups`; returns the input unchanged if it does not fit. */
export function formatPhnForDisplay(phn: string, config: PhnConfig = DEFAULT_PHN_CONFIG): string {
    const groups = config.displayGroups
    const total = groups.reduce((a, b) => a + b, 0)
    if (groups.length === 0 || total !== phn.length) return phn
    const parts: string[] = []
    let at = 0
    for (const size of groups) {
        parts.push(phn.slice(at, at + size))
        at += size
    }
    return parts.join(' ')
}

/** Validates a PHN config read from the datastore, merged over the defaults. */
export function mergePhnConfig(stored: unknown): { config: PhnConfig; problems: ConfigProblem[] } {
    const config: PhnConfig = {
        ...DEFAULT_PHN_CONFIG,
        displayGroups: [...DEFAULT_PHN_CONFIG.displayGroups],
    }
    const problems: ConfigProblem[] = []
    const sections = storedSections(stored, problems)
    if (!sections) return { config, problems }
    const { stored: s, has, fail } = sections
    if (has('serialLength')) {
        const v = s.serialLength
        if (isIntegerIn(v, 1, 30)) config.serialLength = v
        else fail('serialLength', 'must be an integer from 1 to 30')
    }
    if (has('algorithm')) {
        const v = s.algorithm
        if (typeof v === 'string' && (CHECK_DIGIT_ALGORITHMS as readonly string[]).includes(v)) {
            config.algorithm = v as CheckDigitAlgorithm
        } else {
            fail('algorithm', `must be one of ${CHECK_DIGIT_ALGORITHMS.join(', ')}`)
        }
    }
    // Older packages stored the system here too; it would be silently ignored, so say where it went.
    if (has('system')) fail('system', 'not used here: the PHN system is fhir-config.systems.phn')
    if (has('displayGroups')) {
        const v = s.displayGroups
        if (
            Array.isArray(v) &&
            v.every((n) => typeof n === 'number' && Number.isInteger(n) && n > 0)
        ) {
            config.displayGroups = v as number[]
        } else fail('displayGroups', 'must be a list of positive integers')
    }
    return { config, problems }
}
