/**
 * The few DHIS2 Web API calls the installer makes: plain fetch with HTTP Basic, and errors an
 * operator can act on (unreachable, wrong credentials, refused), never a stack trace.
 */

/** An error whose message is meant for the operator as is. */
export class DeployError extends Error {
    constructor(message: string) {
        super(message)
        this.name = 'DeployError'
    }
}

export interface Dhis2Connection {
    /** Base URL of the DHIS2 instance, without a trailing slash (context path included). */
    url: string
    username: string
    password: string
}

export interface Dhis2Client {
    readonly url: string
    json<T>(method: string, path: string, body?: unknown): Promise<T>
    /** Like json, but resolves undefined on 404 (for "is it there yet?" reads). */
    jsonOrUndefined<T>(method: string, path: string): Promise<T | undefined>
    upload(path: string, field: string, fileName: string, content: Buffer): Promise<void>
}

/** DHIS2 WebMessage bodies carry the reason in `message` (and import reports deeper). */
function reasonOf(text: string): string {
    try {
        const body = JSON.parse(text) as {
            message?: unknown
            response?: { errorReports?: { message?: string }[] }
        }
        const reports = body.response?.errorReports?.map((r) => r.message).filter(Boolean) ?? []
        const message = typeof body.message === 'string' ? body.message : ''
        return [message, ...reports].filter((m) => m !== '').join('; ') || text.slice(0, 300)
    } catch {
        return text.slice(0, 300)
    }
}

export function createDhis2Client(connection: Dhis2Connection, timeoutMs = 60_000): Dhis2Client {
    const base = connection.url.replace(/\/+$/, '')
    const authorization = `Basic ${Buffer.from(`${connection.username}:${connection.password}`).toString('base64')}`

    const send = async (
        method: string,
        path: string,
        body?: BodyInit,
        contentType?: string
    ): Promise<Response> => {
        let response: Response
        try {
            response = await fetch(`${base}${path}`, {
                method,
                headers: {
                    authorization,
                    accept: 'application/json',
                    // Without it DHIS2 answers 401s with a browser login redirect page.
                    'x-requested-with': 'XMLHttpRequest',
                    ...(contentType ? { 'content-type': contentType } : {}),
                },
                body,
                redirect: 'manual',
                signal: AbortSignal.timeout(timeoutMs),
            })
        } catch (error) {
            const cause = (error as { cause?: { code?: string; message?: string } }).cause
            const detail = cause?.code ?? cause?.message ?? (error as Error).message
            throw new DeployError(
                `Cannot reach DHIS2 at ${base} (${detail}). Check --url and that the server is running.`
            )
        }
        if (response.status === 401) {
            throw new DeployError(
                `DHIS2 at ${base} refused the credentials of user "${connection.username}" (401). Check --username and DHIS2_PASSWORD.`
            )
        }
        if (response.status >= 300 && response.status < 400) {
            throw new DeployError(
                `DHIS2 at ${base} redirected ${method} ${path} to ${response.headers.get('location') ?? '?'}: ` +
                    'is --url the DHIS2 base URL (including its context path, e.g. https://host/dhis)?'
            )
        }
        return response
    }

    const fail = async (method: string, path: string, response: Response): Promise<never> => {
        const reason = reasonOf(await response.text())
        if (response.status === 403) {
            throw new DeployError(
                `DHIS2 refused ${method} ${path} (403): ${reason}. The user lacks an authority for this step.`
            )
        }
        throw new DeployError(`DHIS2 answered ${method} ${path} with ${response.status}: ${reason}`)
    }

    const parse = async <T>(method: string, path: string, response: Response): Promise<T> => {
        const text = await response.text()
        if (text === '') return undefined as T
        try {
            return JSON.parse(text) as T
        } catch {
            throw new DeployError(
                `DHIS2 answered ${method} ${path} with something that is not JSON: is ${base} a DHIS2 server?`
            )
        }
    }

    return {
        url: base,
        async json<T>(method: string, path: string, body?: unknown): Promise<T> {
            const response = await send(
                method,
                path,
                body === undefined ? undefined : JSON.stringify(body),
                body === undefined ? undefined : 'application/json'
            )
            if (!response.ok) return fail(method, path, response)
            return parse<T>(method, path, response)
        },
        async jsonOrUndefined<T>(method: string, path: string): Promise<T | undefined> {
            const response = await send(method, path)
            if (response.status === 404) return undefined
            if (!response.ok) return fail(method, path, response)
            return parse<T>(method, path, response)
        },
        async upload(
            path: string,
            field: string,
            fileName: string,
            content: Buffer
        ): Promise<void> {
            const form = new FormData()
            form.append(
                field,
                new Blob([new Uint8Array(content)], { type: 'application/zip' }),
                fileName
            )
            const response = await send('POST', path, form)
            if (!response.ok) await fail('POST', path, response)
        },
    }
}
