import type { IncomingMessage, ServerResponse } from 'node:http'
import { PAGE_CSP } from './views'

const MAX_FORM_BYTES = 16 * 1024

/** A urlencoded form body of at most 16 KiB (a larger one throws). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
        size += (chunk as Buffer).length
        if (size > MAX_FORM_BYTES) {
            throw new Error('form too large')
        }
        chunks.push(chunk as Buffer)
    }
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

/** A page of the sign-in: no caching, no scripts (CSP), no referrer. */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
    res.statusCode = status
    res.setHeader('Content-Type', 'text/html; charset=utf-8')
    res.setHeader('Content-Security-Policy', PAGE_CSP)
    res.setHeader('Cache-Control', 'no-store')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.end(html)
}

export function redirect(res: ServerResponse, location: string): void {
    res.statusCode = 303
    res.setHeader('Location', location)
    res.setHeader('Content-Length', '0')
    res.end()
}
