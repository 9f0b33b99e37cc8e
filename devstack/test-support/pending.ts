/**
 * A test of a product fix that another issue owns and that has not landed yet: skipped, the
 * issue in its title, unless `ANC_PENDING_FIXES=1` runs it (and shows what the product does
 * today). When the fix lands, its owner turns `pendingFix(...)` back into `test`.
 */
export function pendingFix(issue: string) {
    const run = process.env.ANC_PENDING_FIXES === '1'
    return (name: string, fn: jest.ProvidesCallback, timeout?: number): void =>
        (run ? test : test.skip)(`${name} [pending: ${issue}]`, fn, timeout)
}
