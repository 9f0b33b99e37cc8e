/**
 * eSignet stand-in: time of one whole sign-in as the relay and a browser drive it (authorize,
 * individual ID, OTP, consent, token with private_key_jwt, JWT userinfo), p50/p95 over N runs
 * after a warm-up, against a fresh data directory (every state change fsync'd). Also reports the
 * discovery round trip of the same run as a baseline for the HTTP stack, and the ratio.
 *
 *     npx tsx bench/esignet-flow.bench.ts [flows=50] [warmup=10]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { DEV_KEYS_DIR, PATHS, readJwk } from '../devstack/src/esignet/config'
import { startEsignet } from '../devstack/src/esignet/server'
import {
    ASSERTION_TYPE,
    authorize,
    clientAssertion,
    tokenRequest,
} from '../devstack/test-support/esignet-flow'
import { percentile } from './support/stats'

const FLOWS = Number(process.argv[2] ?? 50)
const WARMUP = Number(process.argv[3] ?? 10)
const REDIRECT = 'http://localhost:8080/api/apps/anc-registration/esignet-callback.html'

async function main(): Promise<void> {
    const dir = mkdtempSync(path.join(tmpdir(), 'esignet-bench-'))
    const server = await startEsignet({ port: 0, dataDir: dir, quiet: true })
    const key = readJwk(path.join(DEV_KEYS_DIR, 'relay-client.private.dev.jwk.json'))
    const tokenEndpoint = `${server.url}${PATHS.token}`
    const flows: number[] = []
    const discovery: number[] = []
    try {
        for (let i = 0; i < WARMUP + FLOWS; i++) {
            const d0 = performance.now()
            await (await fetch(`${server.url}${PATHS.discovery}`)).text()
            const t0 = performance.now()
            const flow = await authorize({
                baseUrl: server.url,
                clientId: 'anc-relay',
                redirectUri: REDIRECT,
                individualId: '5860125421',
                prompt: 'consent',
                claims: { userinfo: { name: { essential: true }, birthdate: { essential: true } } },
            })
            const token = await tokenRequest(tokenEndpoint, {
                grant_type: 'authorization_code',
                code: flow.code,
                redirect_uri: REDIRECT,
                client_assertion_type: ASSERTION_TYPE,
                client_assertion: await clientAssertion({
                    clientId: 'anc-relay',
                    privateJwk: key,
                    aud: tokenEndpoint,
                }),
                code_verifier: flow.codeVerifier,
            })
            const userinfo = await fetch(`${server.url}${PATHS.userinfo}`, {
                headers: { Authorization: `Bearer ${String(token.json.access_token)}` },
            })
            if (userinfo.status !== 200) {
                throw new Error(`userinfo answered ${userinfo.status}`)
            }
            await userinfo.text()
            if (i >= WARMUP) {
                discovery.push(t0 - d0)
                flows.push(performance.now() - t0)
            }
        }
    } finally {
        await server.close()
        rmSync(dir, { recursive: true, force: true })
    }
    flows.sort((a, b) => a - b)
    discovery.sort((a, b) => a - b)
    const p50 = percentile(flows, 50)
    console.log(
        JSON.stringify(
            {
                flows: flows.length,
                flowP50Ms: Number(p50.toFixed(1)),
                flowP95Ms: Number(percentile(flows, 95).toFixed(1)),
                discoveryP50Ms: Number(percentile(discovery, 50).toFixed(2)),
                flowToDiscoveryRatio: Number((p50 / percentile(discovery, 50)).toFixed(1)),
            },
            null,
            2
        )
    )
}

main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
})
