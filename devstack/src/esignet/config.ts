import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { JWK } from 'jose'
import { portOf } from '../common/ports'
import { isOauthHardened, type EsignetProfile, type IdentitySystem } from './profile'

/** eSignet's paths (1.5/1.6), relative to the host. */
export const PATHS = {
    authorize: '/authorize',
    token: '/v1/esignet/oauth/v2/token',
    userinfo: '/v1/esignet/oidc/userinfo',
    jwks: '/.well-known/jwks.json',
    jwksEsignet: '/v1/esignet/oauth/.well-known/jwks.json',
    discovery: '/.well-known/openid-configuration',
    discoveryEsignet: '/v1/esignet/oidc/.well-known/openid-configuration',
    /** eSignet 1.7+ (pushed authorization requests). */
    par: '/v1/esignet/oauth/par',
    interaction: '/esignet-ui/interaction',
} as const

export const ACR = {
    knowledge: 'mosip:idp:acr:knowledge',
    password: 'mosip:idp:acr:password',
    staticCode: 'mosip:idp:acr:static-code',
    generatedCode: 'mosip:idp:acr:generated-code',
    linkedWallet: 'mosip:idp:acr:linked-wallet',
    biometrics: 'mosip:idp:acr:biometrics',
} as const

/** eSignet 1.5/1.6 `claims_supported` (application-default.properties). */
export const ESIGNET_CLAIMS_SUPPORTED = [
    'name',
    'address',
    'gender',
    'birthdate',
    'picture',
    'email',
    'phone_number',
    'individual_id',
    'phone_number_verified',
    'registration_type',
    'updated_at',
]

/** Claims a scope implies (voluntary), as eSignet 1.x resolves them. */
export const SCOPE_CLAIMS: Record<string, string[]> = {
    profile: [
        'name',
        'address',
        'gender',
        'birthdate',
        'picture',
        'email',
        'phone_number',
        'phone_number_verified',
        'registration_type',
        'updated_at',
    ],
    email: ['email'],
    phone: ['phone_number', 'phone_number_verified'],
}

export const DEV_KEYS_DIR = path.resolve(__dirname, '../../keys')

/** A registered relying party, in eSignet's client-management terms. */
export interface EsignetClient {
    clientId: string
    name: string
    redirectUris: string[]
    /** RSA public JWK of the client (eSignet registers exactly one). */
    publicKey: JWK
    /** eSignet `userClaims`: the only claims this client may ever receive. */
    userClaims: string[]
    /** eSignet `authContextRefs` */
    acrValues: string[]
    /** eSignet `additionalConfig.userinfo_response_type` */
    userinfoResponseType?: 'JWS' | 'JWE'
    /** eSignet 1.7+ `additionalConfig.require_pushed_authorization_requests` */
    requirePar?: boolean
}

export interface EsignetOptions {
    /** 0 = any free port */
    port?: number
    host?: string
    /** Public base URL (discovery `issuer`); defaults to http://localhost:<port>. */
    baseUrl?: string
    /** The eSignet version reproduced (`ESIGNET_VERSION`); see profile.ts. Default 1.6.2. */
    version?: string
    /**
     * eSignet <= 1.7 puts `<base>/v1/esignet` in id_token `iss` while discovery says `<base>`.
     * Default true (the 1.6 behaviour); false gives 1.8's fixed issuer.
     */
    legacyIssuer?: boolean
    /** Who signs userinfo (`ESIGNET_IDENTITY_SYSTEM`): `mock` (default) or `ida`; see profile.ts. */
    identitySystem?: IdentitySystem
    /** `ESIGNET_SERVER_PROFILE`: `default` or `fapi2.0` (1.8). */
    serverProfile?: string
    /**
     * `ESIGNET_CLOCK_OFFSET_SECONDS`: eSignet runs on its own host with its own clock. Shifts this
     * whole process's clock (tokens, codes, interaction times), so run it in its own process.
     */
    clockOffsetSeconds?: number
    /** Directory for the durable state; defaults to dataDir('esignet'). */
    dataDir?: string
    /** Seed identities file (mock identity system shape). */
    identitiesFile?: string
    /** Replaces the built-in registrations (anc-relay, dhis2-staff) when given. */
    clients?: EsignetClient[]
    /** Added to the registrations (tests on ephemeral ports register their own). */
    extraClients?: EsignetClient[]
    /** Extra redirect URIs per client id, added to that client's registration. */
    extraRedirectUris?: Record<string, string[]>
    /** The development OTP every identity accepts. */
    otp?: string
    /** Provider signing key (private RSA JWK); defaults to the committed dev key. */
    signingKey?: JWK
    /** The mock identity system's userinfo signing key; defaults to the committed dev key. */
    identitySystemKey?: JWK
    /** Silence request logging (tests). */
    quiet?: boolean
}

export function readJwk(file: string): JWK {
    return JSON.parse(readFileSync(file, 'utf8')) as JWK
}

/** The two contract registrations, with redirect URIs on the DHIS2 stand-in's port. */
export function defaultClients(env: NodeJS.ProcessEnv = process.env): EsignetClient[] {
    const dhis2 = `http://localhost:${portOf('dhis2', env)}`
    const allClaims = [
        'name',
        'gender',
        'birthdate',
        'phone_number',
        'email',
        'address',
        'picture',
        'individual_id',
    ]
    const allAcr = [ACR.generatedCode, ACR.staticCode, ACR.biometrics]
    return [
        {
            clientId: 'anc-relay',
            name: 'ANC national ID verification',
            redirectUris: [
                `${dhis2}/api/apps/anc-registration/esignet-callback.html`,
                `${dhis2}/api/apps/anc-doctor/esignet-callback.html`,
                `${dhis2}/api/apps/login/esignet-callback.html`,
                `${dhis2}/dhis-web-login/esignet-callback.html`,
            ],
            publicKey: readJwk(path.join(DEV_KEYS_DIR, 'relay-client.public.dev.jwk.json')),
            userClaims: allClaims,
            acrValues: allAcr,
        },
        {
            clientId: 'dhis2-staff',
            name: 'DHIS2 staff sign-in',
            redirectUris: [`${dhis2}/oauth2/code/esignet`],
            publicKey: readJwk(path.join(DEV_KEYS_DIR, 'dhis2-client.public.dev.jwk.json')),
            userClaims: ['name', 'email', 'phone_number', 'individual_id'],
            acrValues: allAcr,
        },
    ]
}

/**
 * Extra registrations from the environment, for processes started by other tools:
 *   ESIGNET_EXTRA_CLIENTS        JSON array of EsignetClient
 *   ESIGNET_EXTRA_REDIRECT_URIS  JSON object {clientId: [uri, ...]}
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): EsignetOptions {
    const options: EsignetOptions = { port: portOf('esignet', env) }
    if (env.ESIGNET_BASE_URL) {
        options.baseUrl = env.ESIGNET_BASE_URL
    }
    if (env.ESIGNET_VERSION) {
        options.version = env.ESIGNET_VERSION
    }
    if (env.ESIGNET_LEGACY_ISSUER) {
        options.legacyIssuer = env.ESIGNET_LEGACY_ISSUER !== 'false'
    }
    if (env.ESIGNET_IDENTITY_SYSTEM) {
        options.identitySystem = env.ESIGNET_IDENTITY_SYSTEM as IdentitySystem
    }
    if (env.ESIGNET_SERVER_PROFILE) {
        options.serverProfile = env.ESIGNET_SERVER_PROFILE
    }
    if (env.ESIGNET_CLOCK_OFFSET_SECONDS) {
        const offset = Number(env.ESIGNET_CLOCK_OFFSET_SECONDS)
        if (!Number.isInteger(offset) || Math.abs(offset) > 3600) {
            throw new Error(
                `ESIGNET_CLOCK_OFFSET_SECONDS must be a whole number of seconds within an hour, got "${env.ESIGNET_CLOCK_OFFSET_SECONDS}"`
            )
        }
        options.clockOffsetSeconds = offset
    }
    if (env.ESIGNET_DATA_DIR) {
        options.dataDir = env.ESIGNET_DATA_DIR
    }
    if (env.ESIGNET_IDENTITIES_FILE) {
        options.identitiesFile = env.ESIGNET_IDENTITIES_FILE
    }
    if (env.ESIGNET_EXTRA_CLIENTS) {
        options.extraClients = JSON.parse(env.ESIGNET_EXTRA_CLIENTS) as EsignetClient[]
    }
    if (env.ESIGNET_EXTRA_REDIRECT_URIS) {
        options.extraRedirectUris = JSON.parse(env.ESIGNET_EXTRA_REDIRECT_URIS) as Record<
            string,
            string[]
        >
    }
    if (env.ESIGNET_OTP) {
        options.otp = env.ESIGNET_OTP
    }
    return options
}

/**
 * eSignet's static discovery map (`mosip.esignet.discovery.key-values`, application-default
 * .properties): 1.5/1.6 as below; 1.7+ adds PAR, PS256/ES256 client assertions
 * (`mosip.esignet.supported.client.auth.signing.algorithms`), S256, DPoP and RFC 9207.
 */
export function discoveryDocument(
    baseUrl: string,
    acrValues: string[],
    profile: EsignetProfile
): Record<string, unknown> {
    const document = discovery16(baseUrl, acrValues)
    if (isOauthHardened(profile)) {
        Object.assign(document, {
            pushed_authorization_request_endpoint: `${baseUrl}${PATHS.par}`,
            token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256'],
            code_challenge_methods_supported: ['S256'],
            dpop_signing_alg_values_supported: ['RS256', 'PS256'],
            require_pushed_authorization_requests: profile.fapi2,
            authorization_response_iss_parameter_supported: true,
        })
    }
    return document
}

function discovery16(baseUrl: string, acrValues: string[]): Record<string, unknown> {
    return {
        issuer: baseUrl,
        authorization_endpoint: `${baseUrl}${PATHS.authorize}`,
        token_endpoint: `${baseUrl}${PATHS.token}`,
        userinfo_endpoint: `${baseUrl}${PATHS.userinfo}`,
        jwks_uri: `${baseUrl}${PATHS.jwks}`,
        scopes_supported: ['openid', 'profile', 'email', 'phone'],
        response_types_supported: ['code'],
        response_modes_supported: ['query'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['RS256'],
        userinfo_signing_alg_values_supported: ['RS256'],
        userinfo_encryption_alg_values_supported: ['RSAXXXXX'],
        userinfo_encryption_enc_values_supported: ['A128GCM'],
        id_token_signing_alg_values_supported: ['RS256'],
        claims_supported: ESIGNET_CLAIMS_SUPPORTED,
        claims_locales_supported: ['en'],
        claims_parameter_supported: true,
        request_parameter_supported: false,
        display_values_supported: ['page', 'popup', 'touch', 'wap'],
        ui_locales_supported: ['en'],
        subject_types_supported: ['pairwise'],
        acr_values_supported: acrValues,
    }
}
