/**
 * eSignet runs on its own host with its own clock: real deployments drift by tens of seconds.
 * The stand-in models that by shifting its whole process's clock (`Date.now()` and `new Date()`,
 * which oidc-provider, jose and the interaction pages all read), so every time it puts in a token
 * or checks against is eSignet's time, not the relying party's.
 */
let appliedOffsetMs = 0

export function applyClockOffset(seconds: number): void {
    if (seconds === 0 || appliedOffsetMs === seconds * 1000) {
        return
    }
    if (appliedOffsetMs !== 0) {
        throw new Error('the clock offset of this process is already set')
    }
    appliedOffsetMs = seconds * 1000
    const RealDate = Date
    const offset = appliedOffsetMs
    class OffsetDate extends RealDate {
        constructor(...args: unknown[]) {
            if (args.length === 0) {
                super(RealDate.now() + offset)
            } else {
                super(...(args as [string | number | Date]))
            }
        }

        static override now(): number {
            return RealDate.now() + offset
        }
    }
    globalThis.Date = OffsetDate as DateConstructor
}
