/**
 * URL-safe random tokens from the Web Crypto CSPRNG. Base64url has no characters that eSignet
 * <= 1.6 would break when it concatenates `state` into its redirect without encoding.
 */
export function randomUrlSafeToken(byteLength = 32): string {
    const bytes = new Uint8Array(byteLength)
    globalThis.crypto.getRandomValues(bytes)
    let binary = ''
    for (const byte of bytes) {
        binary += String.fromCharCode(byte)
    }
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
