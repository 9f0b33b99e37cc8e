import { startFhir } from './server'

/**
 * Runs the FHIR R4 stand-in: `npm run fhir -w @anc/devstack` (or `npx tsx devstack/src/fhir/main.ts`).
 * Port FHIR_PORT (default 8090), data under ANC_DATA_DIR/fhir (default <repo>/.data/fhir),
 * optional HTTP Basic credentials FHIR_BASIC_USER / FHIR_BASIC_PASSWORD, public base URL
 * FHIR_PUBLIC_BASE_URL (HAPI's server_address), HAPI FHIR version reproduced FHIR_HAPI_VERSION
 * (default 8.2), FHIR_MODE (hapi, the default, or lenient), FHIR_NEHR_VALIDATION (off, the
 * default, repository or request).
 */
async function main(): Promise<void> {
    const user = process.env.FHIR_BASIC_USER
    const password = process.env.FHIR_BASIC_PASSWORD
    if (Boolean(user) !== Boolean(password)) {
        throw new Error('Set both FHIR_BASIC_USER and FHIR_BASIC_PASSWORD, or neither')
    }
    const server = await startFhir({
        ...(user && password ? { basicAuth: { user, password } } : {}),
        ...(process.env.FHIR_PUBLIC_BASE_URL
            ? { publicBaseUrl: process.env.FHIR_PUBLIC_BASE_URL }
            : {}),
        hapiVersion: process.env.FHIR_HAPI_VERSION,
        mode: process.env.FHIR_MODE,
        nehrValidation: process.env.FHIR_NEHR_VALIDATION,
        logger: process.env.FHIR_LOG === '1',
    })
    // Tests and the stack script wait for this exact line.
    console.log(`FHIR R4 stand-in listening on ${server.url}`)
    const stop = (): void => {
        server.close().then(
            () => process.exit(0),
            (error: unknown) => {
                console.error(error)
                process.exit(1)
            }
        )
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
})
