import { RelayError, RelayErrorCode } from './errors'

/** The fetch the relay uses for every upstream call; injectable so tests and the bench can time it. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

export interface UpstreamResponse {
    status: number
    contentType: string
    body: string
    headers: Headers
}

export interface UpstreamCall {
    /** Which upstream, for error messages ("eSignet token endpoint", "FHIR server"). */
    what: string
    timeoutMs: number
    /** Larger answers are refused: a misbehaving upstream must not exhaust the relay's memory. */
    maxBytes: number
    unreachable: { status: number; code: string }
    timeout: { status: number; code: string }
    badResponse: { status: number; code: string }
}

/**
 * One upstream request with a hard deadline covering headers and body, and a capped body.
 * Network failures and timeouts become typed RelayErrors; the URL's query is never put into
 * messages (it could carry identifiers).
 */
export async function callUpstream(
    fetchImpl: FetchLike,
    url: string,
    init: RequestInit,
    call: UpstreamCall
): Promise<UpstreamResponse> {
    const signal = AbortSignal.timeout(call.timeoutMs)
    try {
        const response = await fetchImpl(url, { ...init, signal, redirect: 'error' })
        const body = await readCapped(response, call)
        return {
            status: response.status,
            contentType: (response.headers.get('content-type') ?? '').toLowerCase(),
            body,
            headers: response.headers,
        }
    } catch (error) {
        if (error instanceof RelayError) {
            throw error
        }
        if (signal.aborted) {
            throw new RelayError(
                call.timeout.status,
                call.timeout.code,
                `${call.what} did not answer within ${call.timeoutMs} ms`,
                { cause: error }
            )
        }
        throw new RelayError(
            call.unreachable.status,
            call.unreachable.code,
            `${call.what} is unreachable`,
            {
                cause: error,
            }
        )
    }
}

async function readCapped(response: Response, call: UpstreamCall): Promise<string> {
    const maxBytes = call.maxBytes
    const declared = Number(response.headers.get('content-length') ?? 'NaN')
    if (Number.isFinite(declared) && declared > maxBytes) {
        await response.body?.cancel()
        throw tooLarge(call)
    }
    if (!response.body) {
        return ''
    }
    const reader = response.body.getReader()
    const chunks: Uint8Array[] = []
    let total = 0
    for (;;) {
        const { done, value } = await reader.read()
        if (done) {
            break
        }
        total += value.byteLength
        if (total > maxBytes) {
            await reader.cancel()
            throw tooLarge(call)
        }
        chunks.push(value)
    }
    return Buffer.concat(chunks).toString('utf8')
}

function tooLarge(call: UpstreamCall): RelayError {
    return new RelayError(
        call.badResponse.status,
        call.badResponse.code,
        `${call.what} sent an oversized answer`
    )
}

export const ESIGNET_CALL = {
    unreachable: { status: 502, code: RelayErrorCode.esignetUnreachable },
    timeout: { status: 504, code: RelayErrorCode.esignetTimeout },
    badResponse: { status: 502, code: RelayErrorCode.esignetBadResponse },
}

export const FHIR_CALL = {
    unreachable: { status: 502, code: RelayErrorCode.fhirUnavailable },
    timeout: { status: 504, code: RelayErrorCode.fhirUnavailable },
    badResponse: { status: 502, code: RelayErrorCode.fhirUnavailable },
}
