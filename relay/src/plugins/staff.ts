import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { StaffConfig } from '../config'
import { RelayError, RelayErrorCode } from '../errors'
import type { CodeExchangeRequest } from '../esignet/client'
import { staffExchangeRoute } from '../schemas'
import { loginRoutesPlugin } from './esignet'

/** The header the DHIS2 route `anc-relay` adds to every call (route auth type `api-headers`). */
export const ROUTE_SECRET_HEADER = 'x-anc-route-secret'

/**
 * Staff endpoints, reached only through the DHIS2 route: DHIS2 has authenticated the user and
 * checked the route's authority, and adds the route's secret. The check is a hook on this
 * encapsulated scope, before the body is even parsed, so every route registered here (the staff
 * login exchange today) is refused to callers without the secret.
 */
export const staffPlugin = fp<StaffConfig>(async (app, { routeSecret }) => {
    const routeSecretDigest = sha256(routeSecret)

    app.addHook('onRequest', async (request: FastifyRequest) => {
        const given = request.headers[ROUTE_SECRET_HEADER]
        if (given === undefined) {
            throw new RelayError(
                401,
                RelayErrorCode.missingRouteSecret,
                'Call this endpoint through the DHIS2 route'
            )
        }
        // Hashing first gives equal lengths, so the comparison time says nothing about the secret.
        if (typeof given !== 'string' || !timingSafeEqual(sha256(given), routeSecretDigest)) {
            throw new RelayError(
                403,
                RelayErrorCode.invalidRouteSecret,
                'The route secret is wrong'
            )
        }
    })

    app.post<{ Body: CodeExchangeRequest }>(
        '/staff/exchange',
        { schema: staffExchangeRoute, config: { rateLimit: app.loginRateLimit } },
        async (request) => {
            const login = await app.esignet.exchange(request.body, 'staff')
            request.log.info({ event: 'staff.exchange', acr: login.acr }, 'staff login verified')
            return login
        }
    )
}, loginRoutesPlugin('staff'))

function sha256(value: string): Buffer {
    return createHash('sha256').update(value).digest()
}
