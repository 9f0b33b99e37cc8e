import { startDhis2 } from './server'

/** `npx tsx devstack/src/dhis2/main.ts`: the DHIS2 stand-in alone (the stack starts it too). */
async function main(): Promise<void> {
    const server = await startDhis2({ logger: process.env.DHIS2_LOG === 'on' })
    console.log(`DHIS2 stand-in listening on ${server.url}`)
    let stopping = false
    const stop = () => {
        if (stopping) return
        stopping = true
        server.close().then(
            () => process.exit(0),
            () => process.exit(1)
        )
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
}

main().catch((error: Error) => {
    console.error(error.message)
    process.exit(1)
})
