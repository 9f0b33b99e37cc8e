import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

/**
 * DHIS2 never returns route secrets (they are write-only), so a second deploy cannot compare
 * them. We keep a salted scrypt fingerprint of the route's auth in the route's `description`:
 * the next run recomputes it with the same salt and knows whether the secret changed. scrypt,
 * not a plain hash, because a FHIR password may be guessable and route metadata is readable by
 * route managers.
 */
const scrypt = promisify(scryptCallback) as (
    secret: string,
    salt: Buffer,
    length: number
) => Promise<Buffer>

const PREFIX = 'auth-fingerprint: scrypt$'
const PATTERN = /auth-fingerprint: scrypt\$([A-Za-z0-9_-]{22})\$([A-Za-z0-9_-]{43})/

export async function fingerprint(secret: string, salt: Buffer = randomBytes(16)): Promise<string> {
    const hash = await scrypt(secret, salt, 32)
    return `${PREFIX}${salt.toString('base64url')}$${hash.toString('base64url')}`
}

/** Whether `text` (a route description) holds a fingerprint of exactly this secret. */
export async function matchesFingerprint(
    text: string | undefined,
    secret: string
): Promise<boolean> {
    const match = PATTERN.exec(text ?? '')
    if (!match?.[1] || !match[2]) return false
    const expected = Buffer.from(match[2], 'base64url')
    const actual = await scrypt(secret, Buffer.from(match[1], 'base64url'), expected.length)
    return timingSafeEqual(expected, actual)
}
