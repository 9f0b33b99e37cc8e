import fastifySwagger from '@fastify/swagger'
import fp from 'fastify-plugin'

/**
 * Collects every route registered after it into the OpenAPI document (`app.swagger()`, written to
 * relay/openapi.json by write-openapi.ts). Not encapsulated: it must see the routes of all plugins.
 */
export const openApiDocumentPlugin = fp<{ patientSessionCookie: string }>(
    async (app, { patientSessionCookie }) => {
        await app.register(fastifySwagger, {
            openapi: {
                openapi: '3.1.0',
                info: {
                    title: 'ANC eSignet relay',
                    version: '1.0.0',
                    description:
                        'Relying-party relay for MOSIP eSignet (confidential token exchange, verified claims) and the patient gateway to the FHIR record. Staff endpoints are reached only through the DHIS2 route `anc-relay`; patient endpoints under /anc-relay/ on the DHIS2 origin.',
                },
                components: {
                    securitySchemes: {
                        routeSecret: { type: 'apiKey', in: 'header', name: 'X-ANC-Route-Secret' },
                        patientSession: {
                            type: 'apiKey',
                            in: 'cookie',
                            name: patientSessionCookie,
                        },
                    },
                },
            },
            refResolver: {
                buildLocalReference: (json, _baseUri, _fragment, i) =>
                    String(json.$id ?? `def-${i}`),
            },
        })
    },
    { name: 'openapi-document', fastify: '5.x' }
)
