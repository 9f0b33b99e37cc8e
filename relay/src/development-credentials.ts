import { createHash } from 'node:crypto'
import type { RelayConfig } from './config'

/**
 * The keys and secrets committed to this repository for the local stack and the tests. They are
 * public, so a relay in production mode refuses to start with any of them. Kept as digests and
 * key thumbprints (the compiled relay ships without devstack/); `development-credentials.test.ts`
 * recomputes them from the committed files, so a new or regenerated development key cannot slip
 * past this list.
 */
export const DEVELOPMENT_KEY_THUMBPRINTS: Readonly<Record<string, string>> = {
    // devstack/keys/*.dev.jwk.json (RFC 7638 thumbprints of the public halves)
    ZUhioUlID1Z9lnNA_hiv1OZLMaB3UkQ8sjE4c8bBrBI: 'relay-client.private.dev.jwk.json',
    '2Tk2X3XvMULD95lpU6kFKImTAmEF8d6RBDCuI4GtVkQ': 'dhis2-client.private.dev.jwk.json',
    awSIbWZSGDhy2LksR7yeWeUISd1E4l9r4VbnZzgwCKA: 'esignet-provider.private.dev.jwk.json',
    // its certificate is mock-identity-system.dev.cert.pem: pinning it trusts a public key
    DfRxNxydVnvYfhYACBrMlQqSd_YU97x60JeXxBcGTyM: 'mock-identity-system.private.dev.jwk.json',
}

/** SHA-256 (hex) of the committed secrets: devstack/src/stack/dev-secrets.ts, relay/test-support. */
export const DEVELOPMENT_SECRET_DIGESTS: ReadonlySet<string> = new Set([
    'aeb9f41118d88854ffb6d681c89faf5fcfbad5d6a7c0d70d2d5d730b6edec897',
    'a5f131707a3f616f517eb9ddf717513816b269290a511f7029feb075cedf35bc',
    'a1e5278b000b742bc69eda3fd0a14ed0776701afb7cf6aafc503b0f0f00efc48',
    '68bbba2f1938b213aab925d0b4ae413e7c62dcbdde1684bd60b094c47d249c61',
    'cb2960e23c1ee3763787017c6e9dbab844fc0c92b1328c508257f105cb152dd6',
])

export function isDevelopmentSecret(value: string): boolean {
    return DEVELOPMENT_SECRET_DIGESTS.has(createHash('sha256').update(value).digest('hex'))
}

/** Every committed key or secret the configuration uses, by setting (never the value itself). */
export function developmentCredentialsIn(
    config: RelayConfig
): { setting: string; message: string }[] {
    const found: { setting: string; message: string }[] = []
    const committed = (what: string) =>
        `is the committed development ${what}; production (RELAY_MODE=production) needs your own`
    const keyFile = DEVELOPMENT_KEY_THUMBPRINTS[config.esignet.clientKey?.thumbprint ?? '']
    if (keyFile) {
        found.push({
            setting: 'ESIGNET_CLIENT_PRIVATE_KEY_FILE',
            message: committed(`key devstack/keys/${keyFile}`),
        })
    }
    for (const certificate of config.esignet.identitySystemKeys?.certificates ?? []) {
        const file = DEVELOPMENT_KEY_THUMBPRINTS[certificate.thumbprint]
        if (file) {
            found.push({
                setting: 'ESIGNET_IDENTITY_SYSTEM_CERTIFICATE_FILE',
                message: committed(`certificate (key devstack/keys/${file})`),
            })
        }
    }
    const secrets: [string, string | undefined][] = [
        ['RELAY_ROUTE_SECRET', config.staff.routeSecret],
        ['RELAY_SESSION_SECRET', config.patient.sessionSecret],
        ['FHIR_PASSWORD', config.fhir.password],
    ]
    for (const [setting, value] of secrets) {
        if (value !== undefined && isDevelopmentSecret(value)) {
            found.push({ setting, message: committed('secret') })
        }
    }
    return found
}
