/**
 * @medplum/core 5.x reads `WebSocket.CLOSING` when it is loaded. Node 20 only has a global
 * WebSocket behind --experimental-websocket, so without this module importing Medplum fails with
 * "WebSocket is not defined" (in Jest too, where NODE_OPTIONS is not set). The FHIR stand-in never
 * opens a WebSocket, so a placeholder carrying the ready-state constants is enough. Where a real
 * WebSocket exists (Node 22+, or the flag) this module does nothing.
 *
 * Import it before anything from @medplum.
 */
class WebSocketUnavailable {
    static readonly CONNECTING = 0
    static readonly OPEN = 1
    static readonly CLOSING = 2
    static readonly CLOSED = 3

    constructor() {
        throw new Error('WebSocket is not available: run Node 22+ or pass --experimental-websocket')
    }
}

const globals = globalThis as { WebSocket?: unknown }
if (typeof globals.WebSocket === 'undefined') {
    globals.WebSocket = WebSocketUnavailable
}

export {}
