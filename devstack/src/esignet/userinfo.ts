import { CompactEncrypt, decodeJwt, importJWK, SignJWT, type JWK } from 'jose'
import type { EsignetClient } from './config'
import type { EsignetProfile } from './profile'

/**
 * Userinfo as eSignet returns it: what the identity system sent from its KYC exchange, passed
 * through (OAuthServiceImpl / UserInfoResponseHelper up to 1.8). The MOSIP mock identity system
 * signs it with its own key (AuthenticationServiceImpl.signKyc, app id MOCK_AUTHENTICATION_SERVICE,
 * esignet-mock-services v0.11.2-v0.13.0), puts `iss` = `<base>/v1/esignet` (its
 * `mosip.mockidentitysystem.esignet.issuer-id`, unchanged by 1.8) and `aud`, and no `iat` or
 * `exp`; for a client registered for JWE it encrypts that JWS to the client's key
 * (RSA-OAEP-256/A256GCM, cty JWT). With MOSIP ID authentication the signing key is one eSignet's
 * JWKS lists (the stand-in's own).
 */
export class UserinfoRenderer {
    private constructor(
        private readonly profile: EsignetProfile,
        private readonly baseUrl: string,
        private readonly signer: { key: CryptoKey | Uint8Array; kid: string | undefined },
        private readonly clients: Map<string, EsignetClient>
    ) {}

    static async create(options: {
        profile: EsignetProfile
        baseUrl: string
        esignetKey: JWK
        identitySystemKey: JWK
        clients: EsignetClient[]
    }): Promise<UserinfoRenderer> {
        const jwk =
            options.profile.identitySystem === 'mock'
                ? options.identitySystemKey
                : options.esignetKey
        return new UserinfoRenderer(
            options.profile,
            options.baseUrl,
            { key: await importJWK(jwk, 'RS256'), kid: jwk.kid },
            new Map(options.clients.map((client) => [client.clientId, client]))
        )
    }

    /** The identity system's answer, from the userinfo JWT oidc-provider produced (same claims). */
    async render(providerJwt: string): Promise<string> {
        const { iat: _iat, exp: _exp, ...claims } = decodeJwt(providerJwt)
        const clientId = typeof claims.aud === 'string' ? claims.aud : undefined
        if (this.profile.identitySystem === 'mock') {
            claims.iss = `${this.baseUrl}/v1/esignet`
        }
        const jws = await new SignJWT(claims)
            .setProtectedHeader({
                alg: 'RS256',
                ...(this.signer.kid ? { kid: this.signer.kid } : {}),
            })
            .sign(this.signer.key)
        const client = clientId === undefined ? undefined : this.clients.get(clientId)
        if (client?.userinfoResponseType !== 'JWE') {
            return jws
        }
        const publicKey = await importJWK(client.publicKey, 'RSA-OAEP-256')
        return new CompactEncrypt(new TextEncoder().encode(jws))
            .setProtectedHeader({
                alg: 'RSA-OAEP-256',
                enc: 'A256GCM',
                cty: 'JWT',
                ...(client.publicKey.kid ? { kid: client.publicKey.kid } : {}),
            })
            .encrypt(publicKey)
    }
}
