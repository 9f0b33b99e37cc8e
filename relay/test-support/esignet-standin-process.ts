/**
 * Runs the devstack eSignet stand-in in its own process (test support) and prints its base URL
 * as one JSON line. The relay's Jest test talks to it over HTTP: oidc-provider does not run
 * inside Jest's module sandbox (its key checks fail across the sandbox's realm), and a separate
 * process is how the relay meets eSignet in reality anyway.
 */
import { startEsignet } from '../../devstack/src/esignet/server'

void (async () => {
    const dataDir = process.argv[2]
    const server = await startEsignet({
        port: 0,
        host: '127.0.0.1',
        quiet: true,
        ...(dataDir ? { dataDir } : {}),
    })
    process.stdout.write(`${JSON.stringify({ url: server.url })}\n`)
    const stop = () => {
        void server.close().then(() => process.exit(0))
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
})()
