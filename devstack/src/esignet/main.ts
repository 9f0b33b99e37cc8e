import { optionsFromEnv } from './config'
import { startEsignet } from './server'

/** `npm run esignet -w @anc/devstack`: the eSignet stand-in on ESIGNET_PORT (default 8088). */
async function main(): Promise<void> {
    const server = await startEsignet(optionsFromEnv())
    console.log(`eSignet stand-in listening on ${server.url} (token iss ${server.tokenIssuer})`)
    const stop = (): void => {
        server.close().then(
            () => process.exit(0),
            () => process.exit(1)
        )
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
})
