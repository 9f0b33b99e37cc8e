/**
 * Where each local stand-in listens. Every port can be moved with an environment variable,
 * so two stacks (a developer's and a test run's) can share a machine.
 */
const DEFAULT_PORTS = {
    dhis2: 8080,
    esignet: 8088,
    fhir: 8090,
    relay: 8095,
} as const

export type ServiceName = keyof typeof DEFAULT_PORTS

const ENV_NAMES: Record<ServiceName, string> = {
    dhis2: 'DHIS2_PORT',
    esignet: 'ESIGNET_PORT',
    fhir: 'FHIR_PORT',
    relay: 'RELAY_PORT',
}

export function portOf(service: ServiceName, env: NodeJS.ProcessEnv = process.env): number {
    const name = ENV_NAMES[service]
    const raw = env[name]
    if (raw === undefined || raw === '') {
        return DEFAULT_PORTS[service]
    }
    const port = Number(raw)
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`${name} must be a port number (0-65535), got "${raw}"`)
    }
    return port
}

/** Base URL of a service on loopback, e.g. http://localhost:8088 */
export function urlOf(service: ServiceName, env: NodeJS.ProcessEnv = process.env): string {
    return `http://localhost:${portOf(service, env)}`
}

/**
 * Turns the bare EADDRINUSE of a listen() into a message that says which service, which port
 * and how to move it.
 */
export function explainListenError(service: ServiceName, port: number, error: unknown): Error {
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    if (code === 'EADDRINUSE') {
        return new Error(
            `Port ${port} for the ${service} stand-in is already taken. Stop whatever uses it ` +
                `(lsof -i :${port}) or choose another port with ${ENV_NAMES[service]}=<port>.`
        )
    }
    if (code === 'EACCES') {
        return new Error(
            `Not allowed to listen on port ${port} for the ${service} stand-in; set ${ENV_NAMES[service]}.`
        )
    }
    return error instanceof Error ? error : new Error(String(error))
}
