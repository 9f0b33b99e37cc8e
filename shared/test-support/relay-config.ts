import type { EsignetPublicConfig } from '../src/esignet/config'

/** A relay `/config` as the local stack serves it (shape from the cross-team contracts). */
export const RELAY_CONFIG_BODY = {
    authorizationEndpoint: 'http://localhost:8088/authorize',
    clientId: 'anc-relay',
    scope: 'openid profile',
    acrValues: ['mosip:idp:acr:generated-code', 'mosip:idp:acr:biometrics'],
    claims: {
        userinfo: {
            name: { essential: true },
            birthdate: { essential: true },
            gender: { essential: true },
            phone_number: { essential: false },
            individual_id: { essential: false },
        },
    },
    uiLocalesSupported: ['en', 'si', 'ta'],
    claimsLocales: ['en', 'si', 'ta'],
    issuer: 'http://localhost:8088',
}

export const CONFIG: EsignetPublicConfig = {
    authorizationEndpoint: RELAY_CONFIG_BODY.authorizationEndpoint,
    clientId: RELAY_CONFIG_BODY.clientId,
    scope: RELAY_CONFIG_BODY.scope,
    acrValues: RELAY_CONFIG_BODY.acrValues,
    claims: RELAY_CONFIG_BODY.claims,
    uiLocalesSupported: RELAY_CONFIG_BODY.uiLocalesSupported,
    claimsLocales: RELAY_CONFIG_BODY.claimsLocales,
    issuer: RELAY_CONFIG_BODY.issuer,
}

export const REDIRECT_URI = 'http://localhost/api/apps/anc-registration/esignet-callback.html'
