/** A one-time message carried to the next page (e.g. "this is her existing record"). */
const KEY = 'anc-registration-flash'

export function setFlash(message: string): void {
    try {
        window.sessionStorage.setItem(KEY, message)
    } catch {
        // Storage disabled: the page opens without the explanation.
    }
}

export function takeFlash(): string | null {
    try {
        const message = window.sessionStorage.getItem(KEY)
        window.sessionStorage.removeItem(KEY)
        return message
    } catch {
        return null
    }
}
