/**
 * The stand-in runs as its own process (main.ts, as `npm run esignet` starts it) and keeps every
 * acknowledged state change across a crash: an issued code, an access token, a replay-detected
 * assertion jti and a half-finished sign-in all survive SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DEV_KEYS_DIR, PATHS, readJwk } from './config'
import {
    authorize,
    location,
    redeemCode,
    startAuthorization,
} from '../../test-support/esignet-flow'

const REPO = path.resolve(__dirname, '../../..')
const MAIN = path.join(__dirname, 'main.ts')
const RELAY = 'anc-relay'
const REDIRECT = 'http://localhost:8080/api/apps/anc-registration/esignet-callback.html'
const relayKey = readJwk(path.join(DEV_KEYS_DIR, 'relay-client.private.dev.jwk.json'))

interface Child {
    process: ChildProcess
    url: string
}

function startChild(dataDir: string): Promise<Child> {
    // node itself with tsx's loader: the `tsx` binary is a wrapper whose child would survive
    // a SIGKILL sent to the wrapper.
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        cwd: REPO,
        env: { ...process.env, ESIGNET_PORT: '0', ESIGNET_DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
    })
    return new Promise((resolve, reject) => {
        let output = ''
        const timer = setTimeout(() => {
            child.kill('SIGKILL')
            reject(new Error(`stand-in did not start:\n${output}`))
        }, 20000)
        const onData = (chunk: Buffer): void => {
            output += chunk.toString()
            const match = /listening on (http:\/\/\S+)/.exec(output)
            if (match?.[1]) {
                clearTimeout(timer)
                child.stdout?.off('data', onData)
                // keep draining so the child never blocks on a full pipe
                child.stdout?.resume()
                resolve({ process: child, url: match[1] })
            }
        }
        child.stdout?.on('data', onData)
        child.stderr?.on('data', (chunk: Buffer) => {
            output += chunk.toString()
        })
        child.once('exit', (code) => {
            clearTimeout(timer)
            reject(new Error(`stand-in exited with ${code}:\n${output}`))
        })
    })
}

function kill9(child: Child): Promise<void> {
    return new Promise((resolve) => {
        child.process.removeAllListeners('exit')
        child.process.once('exit', () => resolve())
        child.process.kill('SIGKILL')
    })
}

function redeem(baseUrl: string, code: string, codeVerifier: string, jti?: string) {
    return redeemCode({
        baseUrl,
        code,
        codeVerifier,
        redirectUri: REDIRECT,
        clientId: RELAY,
        privateJwk: relayKey,
        ...(jti ? { assertion: { jti } } : {}),
    })
}

let dataDir: string
let running: Child | undefined

beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'esignet-restart-'))
})

afterAll(async () => {
    if (running) {
        await kill9(running)
    }
    rmSync(dataDir, { recursive: true, force: true })
})

test('codes, tokens, used jtis and sign-ins in progress survive kill -9', async () => {
    const first = await startChild(dataDir)
    running = first
    const request = {
        baseUrl: first.url,
        clientId: RELAY,
        redirectUri: REDIRECT,
        individualId: '7391048265',
        prompt: 'consent',
        claims: { userinfo: { name: { essential: true }, birthdate: { essential: true } } },
    }
    const pending = await authorize(request)
    const redeemed = await authorize(request)
    const usedJti = `restart-${Date.now()}`
    const tokens = await redeem(first.url, redeemed.code, redeemed.codeVerifier, usedJti)
    expect(tokens.response.status).toBe(200)
    // a sign-in left at the consent page
    const halfway = await startAuthorization(request)
    const interactionPath = new URL(location(halfway.response, first.url)).pathname
    await halfway.browser.postForm(`${first.url}${interactionPath}/login`, [
        ['individualId', '7391048265'],
    ])
    await halfway.browser.postForm(`${first.url}${interactionPath}/otp`, [['otp', '111111']])

    await kill9(first)
    const second = await startChild(dataDir)
    running = second

    // the code issued before the crash is redeemable once
    const late = await redeem(second.url, pending.code, pending.codeVerifier)
    expect(late.response.status).toBe(200)
    expect((await redeem(second.url, pending.code, pending.codeVerifier)).json.error).toBe(
        'invalid_transaction'
    )
    // the access token still opens userinfo
    const userinfo = await fetch(`${second.url}${PATHS.userinfo}`, {
        headers: { Authorization: `Bearer ${String(tokens.json.access_token)}` },
    })
    expect(userinfo.status).toBe(200)
    // the jti seen before the crash is still refused
    const another = await authorize({ ...request, baseUrl: second.url })
    const replay = await redeem(second.url, another.code, another.codeVerifier, usedJti)
    expect(replay.response.status).toBe(400)
    expect(replay.json.error).toBe('invalid_assertion')
    // the sign-in resumes at the consent page and completes
    const consent = await halfway.browser.get(`${second.url}${interactionPath}`)
    expect(await consent.text()).toContain('Share your details')
    const allowed = await halfway.browser.postForm(`${second.url}${interactionPath}/consent`, [])
    // the returnTo names the first process's (ephemeral) port; a real restart keeps the port
    const resumePath = new URL(location(allowed, second.url)).pathname
    const callback = await halfway.browser.get(`${second.url}${resumePath}`)
    const code = new URL(callback.headers.get('location') ?? '').searchParams.get('code')
    expect(code).toBeTruthy()
    expect((await redeem(second.url, code ?? '', halfway.codeVerifier)).response.status).toBe(200)
}, 60000)
