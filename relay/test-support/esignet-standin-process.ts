/**
 * Runs the devstack eSignet stand-in in its own process (test support) and prints its base URL
 * as one JSON line. The relay's Jest tests talk to it over HTTP: a separate process is how the
 * relay meets eSignet in reality, and the stand-in's clock offset (ESIGNET_CLOCK_OFFSET_SECONDS)
 * shifts the clock of the whole process. Settings come from the environment (ESIGNET_VERSION,
 * ESIGNET_IDENTITY_SYSTEM, ESIGNET_SERVER_PROFILE, ...), as for the stand-in's own main.
 */
import { optionsFromEnv } from '../../devstack/src/esignet/config'
import { startEsignet } from '../../devstack/src/esignet/server'

void (async () => {
    const dataDir = process.argv[2]
    const server = await startEsignet({
        ...optionsFromEnv(process.env),
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
