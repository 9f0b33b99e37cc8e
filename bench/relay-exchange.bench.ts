/**
 * Budget: the relay's own time per code exchange (excluding eSignet's) at most 10 ms p95.
 *
 * `npx tsx bench/relay-exchange.bench.ts [exchanges]` runs N staff exchanges (default 500) through
 * the relay against an in-process eSignet look-alike (relay/test-support/hostile-issuer.ts in its
 * honest mode). Every upstream call goes through a timing fetch that reads the whole answer, so
 * the time spent waiting for the issuer (its signing included) is measured and subtracted. The
 * same run measures a bare Fastify route with the same body as the baseline, and reports ratios.
 */
import { performance } from 'node:perf_hooks'
import Fastify from 'fastify'
import { buildRelay, type FetchLike } from '@anc/relay'
import { startFixture, ROUTE_SECRET } from '@anc/relay/test-support'
import { percentile } from './support/stats'

const BUDGET_P95_MS = 10

function summary(samples: number[]) {
    const sorted = [...samples].sort((a, b) => a - b)
    const mean = samples.reduce((sum, x) => sum + x, 0) / samples.length
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), mean }
}

async function main(): Promise<void> {
    const exchanges = Number(process.argv[2] ?? 500)
    const warmup = 50
    const fixture = await startFixture()
    let upstreamMs = 0
    const timedFetch: FetchLike = async (input, init) => {
        const started = performance.now()
        try {
            const response = await fetch(input, init)
            const body = await response.arrayBuffer()
            return new Response(body, { status: response.status, headers: response.headers })
        } finally {
            upstreamMs += performance.now() - started
        }
    }
    const relay = await buildRelay(
        { ...fixture.config, server: { ...fixture.config.server, logLevel: 'warn' } },
        { fetch: timedFetch, logStream: { write: () => undefined } }
    )
    await relay.ready()

    const baseline = Fastify({ logger: false, bodyLimit: 64 * 1024 })
    baseline.post('/echo', async (request) => ({
        ok: true,
        echo: (request.body as { nonce: string }).nonce,
    }))
    await baseline.ready()

    const own: number[] = []
    const total: number[] = []
    const upstream: number[] = []
    const bare: number[] = []
    for (let i = 0; i < warmup + exchanges; i++) {
        const body = fixture.login(`bench-sub-${i % 20}`)
        upstreamMs = 0
        const started = performance.now()
        const response = await relay.inject({
            method: 'POST',
            url: '/staff/exchange',
            headers: { 'x-anc-route-secret': ROUTE_SECRET },
            payload: body,
        })
        const elapsed = performance.now() - started
        if (response.statusCode !== 200) {
            throw new Error(`exchange ${i} failed: ${response.statusCode} ${response.body}`)
        }
        const baseStarted = performance.now()
        await baseline.inject({ method: 'POST', url: '/echo', payload: body })
        const baseElapsed = performance.now() - baseStarted
        if (i >= warmup) {
            total.push(elapsed)
            upstream.push(upstreamMs)
            own.push(elapsed - upstreamMs)
            bare.push(baseElapsed)
        }
    }
    await relay.close()
    await baseline.close()
    await fixture.close()

    const rows = {
        'relay own time (total - eSignet)': summary(own),
        'relay total, with in-process eSignet': summary(total),
        'eSignet calls (token + userinfo)': summary(upstream),
        'baseline: bare Fastify route inject': summary(bare),
    }
    const base = rows['baseline: bare Fastify route inject']
    process.stdout.write(
        `relay exchange bench: ${exchanges} staff exchanges (after ${warmup} warm-up), node ${process.version}\n`
    )
    for (const [name, s] of Object.entries(rows)) {
        process.stdout.write(
            `${name.padEnd(40)} p50 ${s.p50.toFixed(2).padStart(7)} ms  p95 ${s.p95.toFixed(2).padStart(7)} ms  ` +
                `mean ${s.mean.toFixed(2).padStart(7)} ms  (p95 x${(s.p95 / base.p95).toFixed(1)} baseline)\n`
        )
    }
    const ownP95 = rows['relay own time (total - eSignet)'].p95
    const verdict = ownP95 <= BUDGET_P95_MS ? 'within' : 'OVER'
    process.stdout.write(
        `budget: relay own time p95 ${ownP95.toFixed(2)} ms, ${verdict} the ${BUDGET_P95_MS} ms budget\n`
    )
    process.exitCode = ownP95 <= BUDGET_P95_MS ? 0 : 1
}

void main()
