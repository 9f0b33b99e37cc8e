import { randomUUID } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { exportJWK, generateKeyPair } from 'jose'

/**
 * `node relay/dist/generate-client-key.js <private-key-file> [alg]` (built by
 * `npm run build -w relay`; from source: `npx tsx relay/src/generate-client-key.ts`): makes the
 * relay's eSignet client key pair. Writes the private JWK (mode 0600, never overwritten) for
 * ESIGNET_CLIENT_PRIVATE_KEY_FILE and prints the public JWK to register with eSignet.
 */
async function main(): Promise<void> {
    const [file, alg = 'RS256'] = process.argv.slice(2)
    if (!file) {
        process.stderr.write('usage: generate-client-key <private-key-file> [RS256|PS256]\n')
        process.exit(2)
    }
    if (existsSync(file)) {
        process.stderr.write(`${file} exists; refusing to overwrite a key that may be registered\n`)
        process.exit(1)
    }
    const { privateKey, publicKey } = await generateKeyPair(alg, {
        modulusLength: 2048,
        extractable: true,
    })
    const kid = randomUUID()
    writeFileSync(
        file,
        `${JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg, use: 'sig' })}\n`,
        {
            mode: 0o600,
        }
    )
    process.stdout.write(
        `${JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, null, 2)}\n`
    )
}

void main()
