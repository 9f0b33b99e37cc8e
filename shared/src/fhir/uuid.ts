/**
 * Deterministic `urn:uuid` fullUrls for transaction entries, so mapping the same record twice
 * yields the same bundle byte for byte.
 *
 * The UUID (RFC 9562 version 8, "custom") is an injective encoding, not a hash: 8 bits of
 * resource kind, the 11-character DHIS2 UID at 6 bits per character (66 bits), and a 44-bit
 * sub-key (observation index, contact number). Distinct inputs can therefore never collide, no
 * hashing cost is paid per entry, and nothing secret is involved (these are references local
 * to one bundle; the server assigns the real ids).
 */
import { isValidUid } from '../tracker/uid'

const SIX_BITS = new Int8Array(128).fill(-1)
'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.split('').forEach((c, i) => {
    SIX_BITS[c.charCodeAt(0)] = i
})
const HEX3: string[] = Array.from({ length: 4096 }, (_, i) => i.toString(16).padStart(3, '0'))
const MAX_SUB_KEY = 2 ** 44

export const UUID_KINDS = {
    patient: 1,
    condition: 2,
    episodeOfCare: 3,
    encounter: 4,
    observation: 5,
    appointment: 6,
} as const

export type UuidKind = keyof typeof UUID_KINDS

export function deterministicUuid(kind: UuidKind, dhis2Uid: string, subKey = 0): string {
    if (!isValidUid(dhis2Uid)) throw new RangeError(`not a DHIS2 UID: ${JSON.stringify(dhis2Uid)}`)
    if (!Number.isInteger(subKey) || subKey < 0 || subKey >= MAX_SUB_KEY)
        throw new RangeError('sub-key out of range')
    let uidHex = ''
    for (let i = 0; i < 10; i += 2) {
        uidHex +=
            HEX3[(SIX_BITS[dhis2Uid.charCodeAt(i)]! << 6) | SIX_BITS[dhis2Uid.charCodeAt(i + 1)]!]
    }
    uidHex += HEX3[SIX_BITS[dhis2Uid.charCodeAt(10)]!]!.slice(1)
    const kindHex = HEX3[UUID_KINDS[kind]]!.slice(1)
    const subHex = subKey.toString(16).padStart(11, '0')
    // 30 payload hex digits; the version (8) and variant (8 = binary 10xx) digits are inserted.
    const h = kindHex + uidHex + subHex
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(12, 15)}-8${h.slice(15, 18)}-${h.slice(18, 30)}`
}
