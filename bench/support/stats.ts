/** The p-th percentile (0-100) of ascending samples, nearest rank: one definition for every bench. */
export function percentile(sorted: readonly number[], p: number): number {
    const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
    return sorted[Math.max(0, index)] ?? NaN
}
