import { buildRelay } from './app'
import { ConfigError, loadConfig } from './config'

/**
 * Starts the relay from the environment (and RELAY_CONFIG_FILE); see relay/README.md. Production
 * runs the compiled `node relay/dist/main.js` (npm run build -w relay); the local stack runs this
 * file through tsx.
 */
async function main(): Promise<void> {
    let config
    try {
        config = await loadConfig()
    } catch (error) {
        if (error instanceof ConfigError) {
            process.stderr.write(`${error.message}\n`)
            process.exit(2)
        }
        throw error
    }
    const app = await buildRelay(config)
    const stop = async (signal: string) => {
        app.log.info({ signal }, 'shutting down')
        await app.close()
        process.exit(0)
    }
    process.once('SIGTERM', () => void stop('SIGTERM'))
    process.once('SIGINT', () => void stop('SIGINT'))
    try {
        await app.listen({ host: config.server.host, port: config.server.port })
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EADDRINUSE') {
            process.stderr.write(
                `Port ${config.server.port} is taken; set RELAY_PORT to another port.\n`
            )
            process.exit(1)
        }
        throw error
    }
}

void main()
