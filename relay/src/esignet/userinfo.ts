import {
    compactDecrypt,
    createRemoteJWKSet,
    customFetch,
    decodeProtectedHeader,
    jwtVerify,
    type JWTPayload,
    type JWTVerifyGetKey,
} from 'jose'
import type { EsignetConfig, KeyMaterial } from '../config'
import { RelayError, RelayErrorCode } from '../errors'
import type { FetchLike } from '../http'
import { joseFailure } from './jose-failure'

/** Userinfo whose signature, issuer, audience and subject were checked. */
export type VerifiedUserinfo = JWTPayload & { sub: string }

/** What a userinfo answer must be for: the eSignet client and the issuers of its discovery. */
export interface UserinfoExpectation {
    /** The client the userinfo was issued to (`aud` when present). */
    clientId: string
    /** Discovery `issuer` and its `<issuer>/v1/esignet` variant (`iss` when present). */
    issuers: string[]
    /** Private key when userinfo must be encrypted to it (JWE around the JWS); null: must not be. */
    decryptionKey: KeyMaterial | null
}

type KeySource = { name: string; keys: JWTVerifyGetKey }

/**
 * The one place that verifies an eSignet userinfo answer (a JWS, or a JWE around one). The keys
 * are eSignet's JWKS plus the identity system's keys: with the MOSIP mock identity system (every
 * sandbox and docker-compose install) userinfo is signed by the identity system's own key, which
 * eSignet's JWKS never lists (esignet-mock-services v0.11.2 AuthenticationServiceImpl.signKyc,
 * app id MOCK_AUTHENTICATION_SERVICE; mosip/esignet#2417). Those come from
 * ESIGNET_IDENTITY_SYSTEM_JWKS_URL and/or pinned certificates (ESIGNET_IDENTITY_SYSTEM_CERTIFICATE_FILE).
 *
 * Used by the login exchange (EsignetClient) and reusable as is by anything else that reads
 * eSignet userinfo for another client (pass that client's id and decryption key).
 */
export class UserinfoVerifier {
    private readonly identitySystem: KeySource[] = []

    constructor(
        config: Pick<
            EsignetConfig,
            'signingAlgs' | 'clockToleranceSeconds' | 'identitySystemKeys' | 'timeoutMs'
        >,
        fetchImpl: FetchLike
    ) {
        this.algorithms = config.signingAlgs
        this.clockTolerance = config.clockToleranceSeconds
        const { jwksUrl, certificates } = config.identitySystemKeys
        if (jwksUrl) {
            this.identitySystem.push({
                name: 'the identity system key set',
                keys: remoteKeySet(jwksUrl, config.timeoutMs, fetchImpl),
            })
        }
        for (const certificate of certificates) {
            this.identitySystem.push({
                name: `pinned certificate ${certificate.name}`,
                keys: async () => certificate.key,
            })
        }
    }

    private readonly algorithms: string[]
    private readonly clockTolerance: number

    /** Whether any identity-system key is configured besides eSignet's own JWKS. */
    get hasIdentitySystemKeys(): boolean {
        return this.identitySystem.length > 0
    }

    /**
     * Verifies a userinfo body as eSignet answered it: decrypts it when a decryption key is
     * expected, checks the signature against eSignet's keys and the identity system's, and the
     * `iss`, `aud` and `sub` claims. Throws a RelayError (invalid_userinfo) naming the failed check.
     */
    async verify(
        body: string,
        esignetKeys: JWTVerifyGetKey,
        expect: UserinfoExpectation
    ): Promise<VerifiedUserinfo> {
        let jws = body.trim()
        const decryption = expect.decryptionKey
        if (decryption) {
            if (jws.split('.').length !== 5) {
                throw rejected('it is not encrypted although a decryption key is configured')
            }
            try {
                const { plaintext } = await compactDecrypt(jws, decryption.key, {
                    keyManagementAlgorithms: [decryption.alg],
                })
                jws = new TextDecoder().decode(plaintext)
            } catch (error) {
                throw joseFailure(RelayErrorCode.invalidUserinfo, 'userinfo', error)
            }
        }
        if (jws.split('.').length !== 3) {
            throw rejected(jws.startsWith('{') ? 'unsigned JSON' : 'not a signed JWT')
        }
        const payload = await this.verifySignature(jws, esignetKeys)
        // The identity system adds iss/aud (mock 0.11+: iss `<base>/v1/esignet`, aud the client);
        // when present they must be eSignet's and ours. No iat/exp: eSignet sends none.
        if (payload.iss !== undefined && !expect.issuers.includes(payload.iss)) {
            throw rejected('unexpected issuer')
        }
        if (payload.aud !== undefined) {
            const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
            if (!audiences.includes(expect.clientId)) {
                throw rejected('not meant for this client')
            }
        }
        if (typeof payload.sub !== 'string' || payload.sub === '') {
            throw rejected('no subject')
        }
        return payload as VerifiedUserinfo
    }

    /**
     * eSignet's JWKS first, then each identity-system key source. A header `kid` found in a key
     * set selects that key; pinned certificates are tried by signature. The first verdict that is
     * not "no such key" or "signature does not verify" is final (e.g. an algorithm not allowed).
     */
    private async verifySignature(jws: string, esignetKeys: JWTVerifyGetKey): Promise<JWTPayload> {
        const sources: KeySource[] = [
            { name: "eSignet's key set", keys: esignetKeys },
            ...this.identitySystem,
        ]
        // A header that is not even JSON is malformed whatever the key: say so once.
        try {
            decodeProtectedHeader(jws)
        } catch (error) {
            throw joseFailure(RelayErrorCode.invalidUserinfo, 'userinfo', error)
        }
        let firstFailure: unknown
        for (const source of sources) {
            try {
                const { payload } = await jwtVerify(jws, source.keys, {
                    algorithms: this.algorithms,
                    clockTolerance: this.clockTolerance,
                })
                return payload
            } catch (error) {
                const code = (error as { code?: unknown }).code
                const tryNext =
                    code === 'ERR_JWKS_NO_MATCHING_KEY' ||
                    code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ||
                    // A pinned RSA certificate cannot verify an ES256 signature and vice versa.
                    (code === 'ERR_JOSE_NOT_SUPPORTED' && source !== sources[0]) ||
                    error instanceof TypeError
                if (!tryNext) {
                    throw joseFailure(RelayErrorCode.invalidUserinfo, 'userinfo', error)
                }
                firstFailure ??= error
            }
        }
        if (this.identitySystem.length === 0) {
            throw joseFailure(RelayErrorCode.invalidUserinfo, 'userinfo', firstFailure)
        }
        throw rejected(
            "signed with a key that is neither in eSignet's key set nor one of the identity system's keys"
        )
    }
}

function rejected(reason: string): RelayError {
    return new RelayError(502, RelayErrorCode.invalidUserinfo, `userinfo rejected: ${reason}`)
}

/** A remote JWKS cached for 10 minutes, fetched through the relay's fetch with its deadline. */
export function remoteKeySet(
    url: string,
    timeoutMs: number,
    fetchImpl: FetchLike
): ReturnType<typeof createRemoteJWKSet> {
    return createRemoteJWKSet(new URL(url), {
        timeoutDuration: timeoutMs,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
        [customFetch]: (target: string, options: RequestInit) => fetchImpl(target, options),
    })
}
