/**
 * `npm run deploy -- --url <dhis2> --username <user> [--relay-url <url>] [--fhir-url <url>] [--dry-run] [--reset-config]`
 *
 * Password: DHIS2_PASSWORD, or a prompt when run on a terminal (never a flag: flags end up in
 * shell history and process lists). Route secrets: ANC_RELAY_ROUTE_SECRET, ANC_FHIR_USERNAME,
 * ANC_FHIR_PASSWORD. Upstream URLs: the flags, or ANC_RELAY_URL / ANC_FHIR_URL.
 */
import { parseArgs } from 'node:util'
import { MIN_ROUTE_SECRET_LENGTH, type RouteSettings } from '../routes'
import { deploy } from './deploy'
import { createDhis2Client, DeployError } from './dhis2-client'

const USAGE = `Usage: npm run deploy -- --url <dhis2 base url> --username <user> [options]

Installs the ANC apps, metadata, routes and datastore defaults on a DHIS2 (2.41.4+).
A second run changes nothing and says so. Configuration in the datastore (anc/claims-mapping,
anc/fhir-config, anc/phn-config) that differs from the shipped defaults is the operator's: it is
kept, checked and reported, and made read-only for everyone but superusers.

Options:
  --url <url>          DHIS2 base URL, with its context path (e.g. https://dhis2.example.org)
  --username <user>    DHIS2 user with ALL, or M_dhis-web-app-management, F_METADATA_IMPORT
                       and F_ROUTE_PUBLIC_ADD/F_ROUTE_PRIVATE_ADD
  --relay-url <url>    relay base URL as DHIS2 reaches it (default ANC_RELAY_URL)
  --fhir-url <url>     FHIR R4 base URL (default ANC_FHIR_URL)
  --dry-run            print the plan, change nothing
  --reset-config       replace configuration that differs from the shipped defaults with them
                       (the old value is kept at anc/<key>.previous)
  --help               this text

Environment:
  DHIS2_PASSWORD          the user's password (else prompted on a terminal)
  ANC_RELAY_ROUTE_SECRET  the relay's RELAY_ROUTE_SECRET (${MIN_ROUTE_SECRET_LENGTH}+ characters)
  ANC_FHIR_USERNAME, ANC_FHIR_PASSWORD   HTTP Basic credentials DHIS2 uses for the FHIR server
`

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const stdin = process.stdin
        process.stderr.write(question)
        stdin.setRawMode(true)
        stdin.resume()
        let value = ''
        const done = (error?: Error) => {
            stdin.setRawMode(false)
            stdin.pause()
            stdin.off('data', onData)
            process.stderr.write('\n')
            if (error) reject(error)
            else resolve(value)
        }
        const onData = (chunk: Buffer) => {
            for (const char of chunk.toString('utf8')) {
                if (char === '\r' || char === '\n') return done()
                if (char === '\u0003') return done(new DeployError('Cancelled.'))
                if (char === '\u007f' || char === '\b') value = value.slice(0, -1)
                else value += char
            }
        }
        stdin.on('data', onData)
    })
}

function isHttpUrl(value: string): boolean {
    try {
        return ['http:', 'https:'].includes(new URL(value).protocol)
    } catch {
        return false
    }
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    let args
    try {
        args = parseArgs({
            args: argv,
            options: {
                url: { type: 'string' },
                username: { type: 'string' },
                'relay-url': { type: 'string' },
                'fhir-url': { type: 'string' },
                'dry-run': { type: 'boolean', default: false },
                'reset-config': { type: 'boolean', default: false },
                help: { type: 'boolean', default: false },
            },
            strict: true,
        }).values
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n\n${USAGE}`)
        return 2
    }
    if (args.help) {
        process.stdout.write(USAGE)
        return 0
    }

    const problems: string[] = []
    const url = args.url ?? ''
    if (!isHttpUrl(url)) problems.push('--url must be the http(s) base URL of the DHIS2 server')
    if (!args.username) problems.push('--username is required')
    const relayUrl = args['relay-url'] ?? env.ANC_RELAY_URL ?? ''
    const fhirUrl = args['fhir-url'] ?? env.ANC_FHIR_URL ?? ''
    if (!isHttpUrl(relayUrl))
        problems.push('--relay-url (or ANC_RELAY_URL) must be the http(s) URL of the relay')
    if (!isHttpUrl(fhirUrl))
        problems.push('--fhir-url (or ANC_FHIR_URL) must be the http(s) FHIR base URL')
    const relaySecret = env.ANC_RELAY_ROUTE_SECRET ?? ''
    if (relaySecret.length < MIN_ROUTE_SECRET_LENGTH) {
        problems.push(
            `ANC_RELAY_ROUTE_SECRET must be set to the relay's RELAY_ROUTE_SECRET (${MIN_ROUTE_SECRET_LENGTH}+ characters)`
        )
    }
    if (!env.ANC_FHIR_USERNAME || !env.ANC_FHIR_PASSWORD)
        problems.push('ANC_FHIR_USERNAME and ANC_FHIR_PASSWORD must be set')
    if (problems.length > 0) {
        process.stderr.write(
            `${problems.map((p) => `error: ${p}`).join('\n')}\n\nRun with --help for usage.\n`
        )
        return 2
    }

    try {
        let password = env.DHIS2_PASSWORD
        if (password === undefined) {
            if (!process.stdin.isTTY)
                throw new DeployError('Set DHIS2_PASSWORD (no terminal to prompt on).')
            password = await promptHidden(`DHIS2 password for ${args.username}: `)
        }
        const routes: RouteSettings = {
            relayUrl,
            relaySecret,
            fhirUrl,
            fhirUsername: env.ANC_FHIR_USERNAME ?? '',
            fhirPassword: env.ANC_FHIR_PASSWORD ?? '',
        }
        const client = createDhis2Client({ url, username: args.username ?? '', password })
        await deploy(
            {
                client,
                routes,
                dryRun: args['dry-run'],
                resetConfig: args['reset-config'],
                log: (line) => process.stdout.write(`${line}\n`),
            },
            args.username ?? ''
        )
        return 0
    } catch (error) {
        if (error instanceof DeployError) {
            process.stderr.write(`error: ${error.message}\n`)
            return 1
        }
        throw error
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code
    })
}
