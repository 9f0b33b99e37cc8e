import { hkdfSync } from 'node:crypto'
import { EncryptJWT, jwtDecrypt } from 'jose'

/**
 * Patient sessions live only in a sealed cookie (JWE, dir + A256GCM, key derived from the
 * session secret), so any relay instance sharing the secret can serve any request: nothing pins a
 * patient to one instance. The cookie's `exp` is the idle deadline and is pushed forward on each
 * authenticated request; `sst` (session start) caps the whole session's lifetime.
 */
export interface PatientSession {
    patientId: string
    sub: string
    startedAt: number
}

const ISSUER = 'anc-relay'
const AUDIENCE = 'anc-relay/patient-session'

export class SessionSealer {
    private readonly key: Uint8Array

    constructor(
        secret: string,
        private readonly idleSeconds: number,
        private readonly maxSeconds: number
    ) {
        // HKDF with a purpose label: the raw secret is never used as a key directly.
        this.key = new Uint8Array(
            hkdfSync('sha256', secret, 'anc-relay', 'patient-session-cookie v1', 32)
        )
    }

    async seal(session: PatientSession, now = Math.floor(Date.now() / 1000)): Promise<string> {
        const expires = Math.min(now + this.idleSeconds, session.startedAt + this.maxSeconds)
        return new EncryptJWT({ pid: session.patientId, sub: session.sub, sst: session.startedAt })
            .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setIssuedAt(now)
            .setExpirationTime(expires)
            .encrypt(this.key)
    }

    /** The session sealed in `token`, or undefined when it is forged, foreign, expired or malformed. */
    async open(
        token: string,
        now = Math.floor(Date.now() / 1000)
    ): Promise<PatientSession | undefined> {
        try {
            const { payload } = await jwtDecrypt(token, this.key, {
                issuer: ISSUER,
                audience: AUDIENCE,
                keyManagementAlgorithms: ['dir'],
                contentEncryptionAlgorithms: ['A256GCM'],
                requiredClaims: ['exp', 'iat'],
                currentDate: new Date(now * 1000),
            })
            const { pid, sub, sst } = payload
            if (typeof pid !== 'string' || typeof sub !== 'string' || typeof sst !== 'number') {
                return undefined
            }
            if (sst + this.maxSeconds <= now) {
                return undefined
            }
            return { patientId: pid, sub, startedAt: sst }
        } catch {
            return undefined
        }
    }

    /** Seconds the browser should keep a freshly sealed cookie. */
    cookieMaxAge(session: PatientSession, now = Math.floor(Date.now() / 1000)): number {
        return Math.max(0, Math.min(this.idleSeconds, session.startedAt + this.maxSeconds - now))
    }
}
