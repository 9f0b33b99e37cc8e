/**
 * Generates the development-only key pairs of the local stack (run once; the output is
 * committed under devstack/keys/ so every developer and CI get the same registrations):
 *   esignet-provider.private.dev.jwk.json  - the stand-in's id_token/userinfo signing key
 *   relay-client.{private,public}.dev.jwk.json - client `anc-relay`
 *   dhis2-client.{private,public}.dev.jwk.json - client `dhis2-staff`
 * Existing files are kept unless --force is given, so registered keys never change by accident.
 *
 *   npx tsx devstack/src/esignet/generate-dev-keys.ts [--force]
 */
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { exportJWK, generateKeyPair } from 'jose'

const KEYS_DIR = path.resolve(__dirname, '../../keys')

async function generate(kid: string): Promise<{ privateJwk: object; publicJwk: object }> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', {
        modulusLength: 2048,
        extractable: true,
    })
    // No `alg`/`use` on purpose: the same client key verifies assertions (RS256) and, for a
    // client configured for JWE userinfo, receives RSA-OAEP-256 encryption.
    return {
        privateJwk: { ...(await exportJWK(privateKey)), kid },
        publicJwk: { ...(await exportJWK(publicKey)), kid },
    }
}

function write(file: string, value: object, force: boolean): void {
    const target = path.join(KEYS_DIR, file)
    if (existsSync(target) && !force) {
        console.log(`kept ${target}`)
        return
    }
    writeFileSync(target, JSON.stringify(value, null, 4) + '\n')
    console.log(`wrote ${target}`)
}

async function main(): Promise<void> {
    const force = process.argv.includes('--force')
    const provider = await generate('esignet-dev-sig-1')
    write(
        'esignet-provider.private.dev.jwk.json',
        { ...provider.privateJwk, alg: 'RS256', use: 'sig' },
        force
    )
    for (const [name, kid] of [
        ['relay-client', 'anc-relay-dev-1'],
        ['dhis2-client', 'dhis2-staff-dev-1'],
    ] as const) {
        const pair = await generate(kid)
        write(`${name}.private.dev.jwk.json`, pair.privateJwk, force)
        write(`${name}.public.dev.jwk.json`, pair.publicJwk, force)
    }
}

main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
})
