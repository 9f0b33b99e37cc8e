import { errors, type KoaContextWithOIDC, type Provider } from 'oidc-provider'
import { ESIGNET_CLAIMS_SUPPORTED, SCOPE_CLAIMS } from './config'
import { renderClaim, type RawClaimValue } from './identities'
import type { IdentitySystem } from './profile'

/** Claims the stand-in can supply; eSignet's list plus names a deployment may enable. */
export const CLAIMS_AVAILABLE = [
    ...ESIGNET_CLAIMS_SUPPORTED,
    'given_name',
    'family_name',
    'middle_name',
    'locale',
]

export interface ResolvedClaims {
    essential: string[]
    voluntary: string[]
}

/**
 * eSignet's claim resolution: the client's registered userClaims intersected with the explicit
 * `claims.userinfo` request (essential flag kept) and the claims implied by scope (voluntary).
 */
export function resolveClaims(
    params: Record<string, unknown>,
    userClaims: string[]
): ResolvedClaims {
    const essential: string[] = []
    const voluntary: string[] = []
    const allowed = new Set(userClaims.filter((claim) => CLAIMS_AVAILABLE.includes(claim)))
    const add = (claim: string, isEssential: boolean): void => {
        if (!allowed.has(claim) || essential.includes(claim)) {
            return
        }
        if (isEssential) {
            essential.push(claim)
            const at = voluntary.indexOf(claim)
            if (at >= 0) {
                voluntary.splice(at, 1)
            }
        } else if (!voluntary.includes(claim)) {
            voluntary.push(claim)
        }
    }
    if (typeof params.claims === 'string') {
        const parsed = JSON.parse(params.claims) as {
            userinfo?: Record<string, { essential?: boolean } | null>
        }
        for (const [claim, spec] of Object.entries(parsed.userinfo ?? {})) {
            add(claim, spec?.essential === true)
        }
    }
    const scopes = typeof params.scope === 'string' ? params.scope.split(' ') : []
    for (const scope of scopes) {
        for (const claim of SCOPE_CLAIMS[scope] ?? []) {
            add(claim, false)
        }
    }
    return { essential, voluntary }
}

const RAW_CLAIMS = Symbol('esignet raw claims')
const LANGUAGES = Symbol('esignet claim languages')

/**
 * What an account answers for userinfo: the claims oidc-provider filters, plus the raw values
 * and languages that the localized rendering (installLocalizedClaims) reads after the filter.
 */
export function userinfoClaims(
    sub: string,
    raw: Record<string, RawClaimValue>,
    languages: string[]
): Record<string, unknown> {
    return { sub, ...raw, [RAW_CLAIMS]: raw, [LANGUAGES]: languages }
}

/** eSignet's claims-parameter schema: members null or {essential, purpose(3-300), value, values}. */
export async function assertClaimsParameter(
    _ctx: KoaContextWithOIDC,
    request: object
): Promise<void> {
    const claims = request as Record<string, unknown>
    const invalid = (why: string): never => {
        throw new errors.CustomOIDCProviderError('invalid_claim', why)
    }
    for (const container of ['userinfo', 'id_token']) {
        const members = claims[container]
        if (members === undefined) {
            continue
        }
        if (members === null || typeof members !== 'object' || Array.isArray(members)) {
            invalid(`claims.${container} must be an object`)
        }
        for (const [name, spec] of Object.entries(members as Record<string, unknown>)) {
            if (spec === null) {
                continue
            }
            if (typeof spec !== 'object' || Array.isArray(spec)) {
                invalid(`claims.${container}.${name} must be null or an object`)
            }
            const { essential, purpose, values } = spec as Record<string, unknown>
            if (essential !== undefined && typeof essential !== 'boolean') {
                invalid(`claims.${container}.${name}.essential must be a boolean`)
            }
            if (
                purpose !== undefined &&
                (typeof purpose !== 'string' || purpose.length < 3 || purpose.length > 300)
            ) {
                invalid(`claims.${container}.${name}.purpose must be 3-300 characters`)
            }
            if (values !== undefined && !Array.isArray(values)) {
                invalid(`claims.${container}.${name}.values must be an array`)
            }
        }
    }
}

/**
 * Renders the mock identity system's raw values after oidc-provider has filtered the claims to
 * what was granted: `name` becomes `name#eng`/`name#sin`/... per the grant's claims_locales.
 * oidc-provider's claim filter only knows plain claim names, hence the post-filter step.
 */
export function installLocalizedClaims(provider: Provider, system: IdentitySystem): void {
    const BaseClaims = provider.Claims as unknown as new (...args: unknown[]) => {
        available: Record<string | symbol, unknown>
        result(): Promise<Record<string, unknown>>
    }
    class EsignetClaims extends BaseClaims {
        override async result(): Promise<Record<string, unknown>> {
            const filtered = await super.result()
            const raw = this.available[RAW_CLAIMS] as Record<string, RawClaimValue> | undefined
            const languages = this.available[LANGUAGES] as string[] | undefined
            if (!raw || !languages) {
                return filtered
            }
            const out: Record<string, unknown> = {}
            for (const [name, value] of Object.entries(filtered)) {
                const rawValue = raw[name]
                Object.assign(
                    out,
                    rawValue === undefined
                        ? { [name]: value }
                        : renderClaim(name, rawValue, languages, system)
                )
            }
            return out
        }
    }
    // IdToken (which also builds JWT userinfo) reads `provider.Claims` at call time.
    Object.defineProperty(provider, 'Claims', { value: EsignetClaims, configurable: true })
}
