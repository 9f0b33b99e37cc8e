// jsdom lacks fetch, TextEncoder, structuredClone and crypto.subtle; PKCE (S256) and the
// FHIR client need them. Copy Node's implementations into the jsdom global.
const { TestEnvironment } = require('jest-environment-jsdom')
const { webcrypto } = require('node:crypto')
const { TextEncoder, TextDecoder } = require('node:util')

class JsdomWithWebApis extends TestEnvironment {
    constructor(config, context) {
        super(config, context)
        const g = this.global
        Object.assign(g, {
            fetch,
            Request,
            Response,
            Headers,
            FormData: g.FormData ?? FormData,
            AbortController,
            AbortSignal,
            TextEncoder,
            TextDecoder,
            structuredClone,
            ReadableStream,
            BroadcastChannel,
        })
        Object.defineProperty(g, 'crypto', { value: webcrypto, configurable: true })
    }
}

module.exports = JsdomWithWebApis
