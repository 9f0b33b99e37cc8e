import fastifyCookie from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { FhirConfig, PatientConfig } from '../config'
import { RelayError, RelayErrorCode } from '../errors'
import type { CodeExchangeRequest } from '../esignet/client'
import type { FetchLike } from '../http'
import { belongsToPatient, readCompartment } from '../patient/compartment'
import { FhirReader } from '../patient/fhir'
import { SessionSealer, type PatientSession } from '../patient/session'
import {
    patientLogoutRoute,
    patientRecordRoute,
    patientResourceRoute,
    patientSessionRoute,
} from '../schemas'
import { loginRoutesPlugin } from './esignet'

declare module 'fastify' {
    interface FastifyRequest {
        /** The signed-in patient, on the patient plugin's session-bound routes (else null). */
        patientSession: PatientSession | null
    }
}

export interface PatientPluginOptions {
    session: PatientConfig
    fhir: FhirConfig
    fetch: FetchLike
}

export function sessionCookieName(session: Pick<PatientConfig, 'cookieSecure'>): string {
    // __Host- makes browsers refuse the cookie unless it is Secure, host-only and Path=/.
    return session.cookieSecure ? '__Host-anc-patient-session' : 'anc-patient-session'
}

/**
 * The patient gateway (public, under /anc-relay/ on the DHIS2 origin): a login opens a sealed
 * session cookie bound to the FHIR Patient linked to her eSignet subject, and the session-bound
 * routes serve only that patient's compartment. Encapsulated: cookies, the session and the FHIR
 * reader exist only here.
 */
export const patientPlugin = fp<PatientPluginOptions>(async (app, options) => {
    const fhir = new FhirReader(options.fhir, options.fetch)
    const sessions = new SessionSealer(
        options.session.sessionSecret,
        options.session.idleSeconds,
        options.session.maxSeconds
    )
    const cookieName = sessionCookieName(options.session)
    const cookieSecure = options.session.cookieSecure

    await app.register(fastifyCookie)
    app.decorateRequest('patientSession', null)

    async function setSessionCookie(reply: FastifyReply, session: PatientSession): Promise<void> {
        reply.setCookie(cookieName, await sessions.seal(session), {
            httpOnly: true,
            sameSite: 'strict',
            secure: cookieSecure,
            path: '/',
            maxAge: sessions.cookieMaxAge(session),
        })
    }

    /** The caller's session, renewed (sliding idle timeout); 401 without a valid one. */
    async function requireSession(request: FastifyRequest, reply: FastifyReply) {
        const token = request.cookies[cookieName]
        const session = token === undefined ? undefined : await sessions.open(token)
        if (!session) {
            reply.clearCookie(cookieName, { path: '/' })
            throw new RelayError(
                401,
                RelayErrorCode.unauthenticated,
                'Your session has ended; sign in again'
            )
        }
        await setSessionCookie(reply, session)
        request.patientSession = session
    }

    app.post<{ Body: CodeExchangeRequest }>(
        '/patient/session',
        { schema: patientSessionRoute, config: { rateLimit: app.loginRateLimit } },
        async (request, reply) => {
            const login = await app.esignet.exchange(request.body, 'patient')
            const patient = await fhir.findPatientBySub(login.sub)
            if (!patient || typeof patient.id !== 'string') {
                throw new RelayError(
                    404,
                    RelayErrorCode.noLinkedRecord,
                    'No pregnancy record is linked to this national ID yet. Your midwife links it when she registers you with your national ID.'
                )
            }
            await setSessionCookie(reply, {
                patientId: patient.id,
                sub: login.sub,
                startedAt: Math.floor(Date.now() / 1000),
            })
            request.log.info({ event: 'patient.session' }, 'patient session opened')
            return { linked: true as const }
        }
    )

    // Everything registered in this scope needs a signed-in patient; validation comes first
    // (preHandler), so a malformed request is a 400 whether or not a session comes with it.
    await app.register(async (signedIn) => {
        signedIn.addHook('preHandler', requireSession)

        signedIn.get('/patient/record', { schema: patientRecordRoute }, async (request) => {
            const bundle = await readCompartment(fhir, sessionOf(request).patientId)
            if (!bundle) {
                throw new RelayError(
                    404,
                    RelayErrorCode.noLinkedRecord,
                    'Your record is no longer available'
                )
            }
            return bundle
        })

        signedIn.get<{ Params: { type: string; id: string } }>(
            '/patient/resource/:type/:id',
            { schema: patientResourceRoute },
            async (request) => {
                const { patientId } = sessionOf(request)
                const resource = await fhir.read(request.params.type, request.params.id)
                // Outside the compartment looks exactly like absent: no probing for others' ids.
                if (
                    !resource ||
                    resource.id !== request.params.id ||
                    !belongsToPatient(resource, patientId, fhir.baseUrl)
                ) {
                    throw new RelayError(404, RelayErrorCode.notFound, 'Not found in your record')
                }
                return resource
            }
        )
    })

    app.post('/patient/logout', { schema: patientLogoutRoute }, async (_request, reply) => {
        reply.clearCookie(cookieName, {
            path: '/',
            httpOnly: true,
            sameSite: 'strict',
            secure: cookieSecure,
        })
        return { loggedOut: true }
    })
}, loginRoutesPlugin('patient'))

/** Set by requireSession; missing only if a route sits outside the signed-in scope (a bug: 500). */
function sessionOf(request: FastifyRequest): PatientSession {
    if (!request.patientSession) {
        throw new Error('patient route without the session hook')
    }
    return request.patientSession
}
