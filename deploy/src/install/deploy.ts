/**
 * The install command's work: check the server, then plan each step by comparing what DHIS2 has
 * with what this release needs, then (unless a dry run) apply only what differs. A second run
 * against the same server plans nothing.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import AdmZip from 'adm-zip'
import {
    ANC_CONFIG_KEYS,
    type AncConfigPart,
    type ConfigProblem,
    mergeAncConfig,
} from '@anc/shared/config'
import { DATASTORE, PROGRAM_ANC } from '@anc/shared/metadata'
import { buildDatastoreDefaults, buildMetadata, CONFIG_PUBLIC_ACCESS } from '../metadata'
import {
    buildRoutes,
    remoteServersAllowed,
    type RouteDefinition,
    type RouteSettings,
} from '../routes'
import { canonicalJson, covers, differingKeys } from './compare'
import { DeployError, type Dhis2Client } from './dhis2-client'
import { fingerprint, matchesFingerprint } from './fingerprint'

export const MIN_VERSION = { major: 2, minor: 41, patch: 0 }
/** `api-headers` route auth (the relay secret) exists from 2.41.4 (and 2.40.7, 2.42.0). */
export const MIN_PATCH_FOR_API_HEADERS_ON_241 = 4

export type Step = 'apps' | 'metadata' | 'routes' | 'datastore' | 'sharing'
/** `kept`: the server's value differs and is left as it is on purpose (the operator's). */
export type Action = 'create' | 'update' | 'unchanged' | 'kept'

export interface Change {
    step: Step
    target: string
    action: Action
    detail: string
    apply?: () => Promise<void>
    /** Settings of a kept configuration that the apps refuse (each falls back to its default). */
    problems?: ConfigProblem[]
}

export interface DeployOptions {
    client: Dhis2Client
    routes: RouteSettings
    /** Folders holding <app>/build/bundle/*.zip (default: the three apps of this checkout). */
    appDirs?: string[]
    dryRun?: boolean
    /** Replace configuration that differs from the shipped defaults (kept otherwise). */
    resetConfig?: boolean
    log?: (line: string) => void
}

export interface DeployResult {
    version: string
    changes: Change[]
    /** How many changes were applied (0 on a dry run). */
    applied: number
    remoteServersAllowed: string
}

const REPO_ROOT = path.resolve(__dirname, '../../..')
export const APP_DIRS = ['registration-app', 'doctor-app', 'patient-app'].map((d) =>
    path.join(REPO_ROOT, d)
)

// ---- server checks ---------------------------------------------------------------------------

export function parseVersion(
    version: string
): { major: number; minor: number; patch: number } | undefined {
    const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version)
    if (!match) return undefined
    return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) }
}

export async function checkVersion(client: Dhis2Client): Promise<string> {
    const info = await client.json<{ version?: unknown }>('GET', '/api/system/info')
    const version = typeof info?.version === 'string' ? info.version : ''
    const parsed = parseVersion(version)
    if (!parsed) {
        throw new DeployError(
            `${client.url}/api/system/info has no DHIS2 version: is --url a DHIS2 server?`
        )
    }
    const { major, minor, patch } = parsed
    if (major < MIN_VERSION.major || (major === MIN_VERSION.major && minor < MIN_VERSION.minor)) {
        throw new DeployError(
            `DHIS2 ${version} at ${client.url} is too old: the ANC apps need DHIS2 2.41 or newer ` +
                '(tracker API v41, routes with all HTTP methods). Upgrade DHIS2 first.'
        )
    }
    if (major === 2 && minor === 41 && patch < MIN_PATCH_FOR_API_HEADERS_ON_241) {
        throw new DeployError(
            `DHIS2 ${version} at ${client.url} is too old: the relay route needs the api-headers route ` +
                'authentication of DHIS2 2.41.4 or newer. Upgrade to the latest 2.41 patch release.'
        )
    }
    return version
}

/** Authorities each step needs; ALL covers them all. Alternatives are any-of. */
export const REQUIRED_AUTHORITIES: { step: Step; anyOf: string[] }[] = [
    { step: 'apps', anyOf: ['M_dhis-web-app-management'] },
    { step: 'metadata', anyOf: ['F_METADATA_IMPORT'] },
    { step: 'routes', anyOf: ['F_ROUTE_PUBLIC_ADD', 'F_ROUTE_PRIVATE_ADD'] },
]

export async function checkAuthorities(client: Dhis2Client, username: string): Promise<void> {
    const me = await client.json<{ authorities?: string[] }>('GET', '/api/me?fields=authorities')
    const held = new Set(me?.authorities ?? [])
    if (held.has('ALL')) return
    const missing = REQUIRED_AUTHORITIES.filter((r) => !r.anyOf.some((a) => held.has(a)))
    if (missing.length > 0) {
        const names = missing.map((r) => `${r.anyOf.join(' or ')} (${r.step})`).join(', ')
        throw new DeployError(
            `User "${username}" lacks authorities the install needs: ${names}. ` +
                'Give the user a role with these authorities (or ALL), or run the install as a superuser.'
        )
    }
}

// ---- apps ------------------------------------------------------------------------------------

export interface AppBundle {
    file: string
    key: string
    version: string
}

/** DHIS2's app key: the short name without characters outside [A-Za-z0-9 -], spaces as dashes. */
export function appKey(name: string): string {
    return name.replace(/[^A-Za-z0-9 -]/g, '').replace(/ /g, '-')
}

export function findAppBundles(appDirs: string[]): AppBundle[] {
    const missing: string[] = []
    const bundles: AppBundle[] = []
    for (const dir of appDirs) {
        const bundleDir = path.join(dir, 'build/bundle')
        const zips = existsSync(bundleDir)
            ? readdirSync(bundleDir).filter((f) => f.endsWith('.zip'))
            : []
        if (zips.length === 0) {
            missing.push(path.relative(process.cwd(), bundleDir) || bundleDir)
            continue
        }
        // Several zips after version bumps: the newest build is the one to ship.
        const newest = zips
            .map((f) => path.join(bundleDir, f))
            .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0] as string
        const manifestEntry = new AdmZip(newest).getEntry('manifest.webapp')
        if (!manifestEntry)
            throw new DeployError(
                `${newest} has no manifest.webapp: rebuild it with \`npm run build\`.`
            )
        const manifest = JSON.parse(manifestEntry.getData().toString('utf8')) as Record<
            string,
            unknown
        >
        const name = String(manifest.short_name ?? manifest.name ?? '')
        bundles.push({ file: newest, key: appKey(name), version: String(manifest.version ?? '') })
    }
    if (missing.length > 0) {
        throw new DeployError(
            `App zips not built (no *.zip in ${missing.join(', ')}). Run \`npm run build\` at the repository root first.`
        )
    }
    return bundles
}

async function planApps(client: Dhis2Client, bundles: AppBundle[]): Promise<Change[]> {
    const installed =
        (await client.json<{ key?: string; short_name?: string; version?: string }[]>(
            'GET',
            '/api/apps'
        )) ?? []
    return bundles.map((bundle) => {
        const current = installed.find((a) => a.key === bundle.key || a.short_name === bundle.key)
        const target = `${bundle.key} ${bundle.version}`
        const upload = async () => {
            const { readFileSync } = await import('node:fs')
            await client.upload(
                '/api/apps',
                'file',
                path.basename(bundle.file),
                readFileSync(bundle.file)
            )
        }
        if (!current)
            return {
                step: 'apps',
                target,
                action: 'create',
                detail: 'not installed',
                apply: upload,
            }
        if (current.version !== bundle.version) {
            return {
                step: 'apps',
                target,
                action: 'update',
                detail: `installed: ${current.version ?? '?'}`,
                apply: upload,
            }
        }
        return { step: 'apps', target, action: 'unchanged', detail: 'same version installed' }
    })
}

// ---- metadata --------------------------------------------------------------------------------

type MetadataObject = Record<string, unknown> & { id: string }

async function planMetadata(client: Dhis2Client): Promise<Change[]> {
    const pkg = buildMetadata() as Record<string, unknown>
    const payload: Record<string, unknown> = { ...pkg }
    const created: string[] = []
    const updated: string[] = []
    for (const [type, value] of Object.entries(pkg)) {
        if (!Array.isArray(value)) continue
        const desired = value as MetadataObject[]
        const ids = desired.map((o) => o.id)
        const query = `filter=id:in:[${ids.join(',')}]&fields=*&paging=false`
        const body = await client.json<Record<string, MetadataObject[]>>(
            'GET',
            `/api/${type}?${query}`
        )
        const existing = new Map((body?.[type] ?? []).map((o) => [o.id, o]))
        const toImport: MetadataObject[] = []
        for (const object of desired) {
            const current = existing.get(object.id)
            let wanted = object
            if (type === 'programs' && object.id === PROGRAM_ANC && current) {
                // Clinics are assigned on the server after the first install; keep them.
                wanted = { ...object, organisationUnits: current.organisationUnits ?? [] }
            }
            toImport.push(wanted)
            if (!current) created.push(`${type}/${object.id}`)
            else if (!covers(current, wanted))
                updated.push(`${type}/${object.id} (${differingKeys(current, wanted).join(', ')})`)
        }
        payload[type] = toImport
    }
    const count = Object.values(pkg)
        .filter(Array.isArray)
        .reduce((n, list) => n + (list as unknown[]).length, 0)
    const target = `ANC package (${count} objects)`
    if (created.length === 0 && updated.length === 0) {
        return [{ step: 'metadata', target, action: 'unchanged', detail: 'every object matches' }]
    }
    const parts = [
        created.length > 0 ? `${created.length} new` : '',
        updated.length > 0
            ? `${updated.length} changed: ${updated.slice(0, 5).join('; ')}${updated.length > 5 ? '; ...' : ''}`
            : '',
    ].filter(Boolean)
    return [
        {
            step: 'metadata',
            target,
            action: created.length === count ? 'create' : 'update',
            detail: parts.join(', '),
            apply: async () => {
                const report = await client.json<{
                    status?: string
                    response?: { status?: string }
                }>('POST', '/api/metadata?importStrategy=CREATE_AND_UPDATE&atomicMode=ALL', payload)
                const status = report?.response?.status ?? report?.status
                if (status === 'ERROR')
                    throw new DeployError(
                        `Metadata import failed: ${JSON.stringify(report).slice(0, 1000)}`
                    )
            },
        },
    ]
}

// ---- routes ----------------------------------------------------------------------------------

interface ServerRoute {
    id: string
    code?: string
    name?: string
    url?: string
    description?: string
    authorities?: string[]
    responseTimeoutSeconds?: number
    disabled?: boolean
    auth?: { type?: string; username?: string }
    sharing?: { public?: string }
}

function comparableRoute(route: RouteDefinition): Record<string, unknown> {
    return {
        code: route.code,
        name: route.name,
        url: route.url,
        authorities: route.authorities,
        responseTimeoutSeconds: route.responseTimeoutSeconds,
        auth:
            route.auth.type === 'http-basic'
                ? { type: route.auth.type, username: route.auth.username }
                : { type: route.auth.type },
        sharing: { public: route.sharing.public },
    }
}

const DESCRIPTION =
    'Managed by the ANC install command (npm run deploy); edits are replaced on the next run.'

async function planRoutes(client: Dhis2Client, settings: RouteSettings): Promise<Change[]> {
    const body = await client.json<{ routes?: ServerRoute[] }>(
        'GET',
        '/api/routes?fields=*&paging=false'
    )
    const existing = body?.routes ?? []
    const changes: Change[] = []
    for (const route of buildRoutes(settings)) {
        const current =
            existing.find((r) => r.code === route.code) ??
            existing.find((r) => r.name === route.name)
        const secret = JSON.stringify(route.auth)
        const write = async (method: 'POST' | 'PUT', id?: string) => {
            const payload = {
                ...route,
                ...(id ? { id } : {}),
                description: `${DESCRIPTION} ${await fingerprint(secret)}`,
            }
            await client.json(method, id ? `/api/routes/${id}` : '/api/routes', payload)
        }
        if (!current) {
            changes.push({
                step: 'routes',
                target: route.code,
                action: 'create',
                detail: route.url,
                apply: () => write('POST'),
            })
            continue
        }
        const differences = differingKeys(
            current as unknown as Record<string, unknown>,
            comparableRoute(route)
        )
        if (current.disabled === true) differences.push('disabled')
        if (!(await matchesFingerprint(current.description, secret))) differences.push('secret')
        if (differences.length === 0) {
            changes.push({
                step: 'routes',
                target: route.code,
                action: 'unchanged',
                detail: route.url,
            })
        } else {
            // A PUT replaces the whole route, secrets included (DHIS2 never returns them).
            changes.push({
                step: 'routes',
                target: route.code,
                action: 'update',
                detail: `differs: ${differences.join(', ')}`,
                apply: () => write('PUT', current.id),
            })
        }
    }
    return changes
}

// ---- datastore -------------------------------------------------------------------------------

const datastorePath = (namespace: string, key: string) =>
    `/api/dataStore/${encodeURIComponent(namespace)}/${encodeURIComponent(key)}`

/** The settings of a stored configuration that the apps refuse, as the apps label them. */
function configProblems(namespace: string, key: string, value: unknown): ConfigProblem[] {
    const parts = Object.keys(ANC_CONFIG_KEYS) as AncConfigPart[]
    const part = parts.find((p) => ANC_CONFIG_KEYS[p] === key)
    if (namespace !== DATASTORE.namespace || !part) return []
    return mergeAncConfig({ [part]: value }).problems
}

interface SharingGrant {
    id: string
    access: string
}

interface ServerSharing {
    object?: {
        publicAccess?: string
        externalAccess?: boolean
        userAccesses?: SharingGrant[]
        userGroupAccesses?: SharingGrant[]
    }
}

/**
 * Makes a datastore key public read-only. Grants to users and groups are the operator's (e.g. a
 * group allowed to edit the configuration), so they are sent back unchanged.
 */
async function makeReadOnly(
    client: Dhis2Client,
    at: string,
    grants: { userAccesses?: SharingGrant[]; userGroupAccesses?: SharingGrant[] } = {}
): Promise<void> {
    const meta = await client.json<{ id?: string }>('GET', `${at}/metaData`)
    if (!meta?.id)
        throw new DeployError(`DHIS2 gave no id for ${at}, so its sharing cannot be set.`)
    const onlyAccess = (list: SharingGrant[] = []) => list.map(({ id, access }) => ({ id, access }))
    await client.json('POST', `/api/sharing?type=dataStore&id=${encodeURIComponent(meta.id)}`, {
        object: {
            publicAccess: CONFIG_PUBLIC_ACCESS,
            externalAccess: false,
            user: {},
            userAccesses: onlyAccess(grants.userAccesses),
            userGroupAccesses: onlyAccess(grants.userGroupAccesses),
        },
    })
}

/** Whether an existing key is public read-only; if not, the change that makes it so. */
async function planSharing(client: Dhis2Client, at: string, target: string): Promise<Change> {
    const meta = await client.json<{ id?: string }>('GET', `${at}/metaData`)
    const shared = await client.json<ServerSharing>(
        'GET',
        `/api/sharing?type=dataStore&id=${encodeURIComponent(meta?.id ?? '')}`
    )
    const object = shared?.object ?? {}
    const grants = (object.userAccesses?.length ?? 0) + (object.userGroupAccesses?.length ?? 0)
    const kept = grants > 0 ? `; ${grants} user/group grant(s) kept` : ''
    const differences = [
        object.publicAccess === CONFIG_PUBLIC_ACCESS
            ? ''
            : `public access ${object.publicAccess ?? '?'} → ${CONFIG_PUBLIC_ACCESS}`,
        object.externalAccess === true ? 'external access off' : '',
    ].filter(Boolean)
    if (differences.length === 0) {
        return {
            step: 'sharing',
            target,
            action: 'unchanged',
            detail: `public read-only (${CONFIG_PUBLIC_ACCESS})${kept}`,
        }
    }
    return {
        step: 'sharing',
        target,
        action: 'update',
        detail: `${differences.join(', ')}${kept}`,
        apply: () => makeReadOnly(client, at, object),
    }
}

/**
 * The stored configuration is the operator's: an absent key gets the shipped default, a
 * different one is kept (and checked with the apps' own validators) unless `resetConfig`. Every
 * key is made public read-only, so only superusers and its owner may change it.
 */
async function planDatastore(client: Dhis2Client, resetConfig: boolean): Promise<Change[]> {
    const values: Change[] = []
    const sharing: Change[] = []
    for (const [namespace, keys] of Object.entries(buildDatastoreDefaults())) {
        for (const [key, value] of Object.entries(keys)) {
            const at = datastorePath(namespace, key)
            const current = await client.jsonOrUndefined<unknown>('GET', at)
            const target = `${namespace}/${key}`
            if (current === undefined) {
                values.push({
                    step: 'datastore',
                    target,
                    action: 'create',
                    detail: 'absent: the shipped default',
                    apply: () => client.json('POST', at, value),
                })
                sharing.push({
                    step: 'sharing',
                    target,
                    action: 'update',
                    detail: `new key: DHIS2's default rw------ → ${CONFIG_PUBLIC_ACCESS}`,
                    apply: () => makeReadOnly(client, at),
                })
                continue
            }
            if (canonicalJson(current) === canonicalJson(value)) {
                values.push({
                    step: 'datastore',
                    target,
                    action: 'unchanged',
                    detail: 'the shipped default',
                })
            } else if (!resetConfig) {
                const problems = configProblems(namespace, key, current)
                values.push({
                    step: 'datastore',
                    target,
                    action: 'kept',
                    detail:
                        "differs from the shipped default: the operator's configuration" +
                        (problems.length > 0
                            ? `; ${problems.length} setting(s) the apps ignore (they use the default instead)`
                            : ''),
                    problems,
                })
            } else {
                const previous = `${key}.previous`
                const backup = datastorePath(namespace, previous)
                values.push({
                    step: 'datastore',
                    target,
                    action: 'update',
                    detail: `--reset-config: the shipped default replaces it; the old value is kept at ${namespace}/${previous}`,
                    apply: async () => {
                        const hadBackup =
                            (await client.jsonOrUndefined('GET', backup)) !== undefined
                        await client.json(hadBackup ? 'PUT' : 'POST', backup, current)
                        // The operator may restore from it: as protected as the key itself.
                        await makeReadOnly(client, backup)
                        await client.json('PUT', at, value)
                    },
                })
            }

            sharing.push(await planSharing(client, at, target))
        }
    }
    return [...values, ...sharing]
}

// ---- the whole run ---------------------------------------------------------------------------

export async function deploy(options: DeployOptions, username: string): Promise<DeployResult> {
    const { client } = options
    const log = options.log ?? (() => undefined)
    const version = await checkVersion(client)
    await checkAuthorities(client, username)
    log(
        `DHIS2 ${version} at ${client.url}, as ${username}${options.dryRun ? ' (dry run: nothing will be changed)' : ''}`
    )
    const bundles = findAppBundles(options.appDirs ?? APP_DIRS)

    const changes: Change[] = [
        ...(await planApps(client, bundles)),
        ...(await planMetadata(client)),
        ...(await planRoutes(client, options.routes)),
        ...(await planDatastore(client, options.resetConfig ?? false)),
    ]
    let applied = 0
    for (const change of changes) {
        const verb = {
            create: options.dryRun ? 'would create' : 'created',
            update: options.dryRun ? 'would update' : 'updated',
            unchanged: 'unchanged',
            kept: 'kept',
        }[change.action]
        if (change.apply && !options.dryRun) {
            await change.apply()
            applied++
        }
        log(`  ${change.step.padEnd(9)} ${change.target.padEnd(32)} ${verb} (${change.detail})`)
        for (const problem of change.problems ?? [])
            log(`      ignored by the apps: ${problem.path}: ${problem.reason}`)
    }
    const pending = changes.filter((c) => c.action !== 'unchanged' && c.action !== 'kept').length
    if (pending === 0) log('Nothing to change: this DHIS2 already has this release.')
    else if (options.dryRun) log(`Dry run: ${pending} change(s) planned, nothing was changed.`)
    else log(`Done: ${applied} change(s) applied.`)
    if (changes.some((c) => (c.problems?.length ?? 0) > 0)) {
        log(
            'Warning: the configuration above has settings the apps ignore (users see a warning). ' +
                'Correct them in the datastore, or rerun with --reset-config to restore the shipped defaults.'
        )
    }
    const allowed = remoteServersAllowed(buildRoutes(options.routes))
    log(`dhis.conf must allow the route upstreams: route.remote_servers_allowed = ${allowed}`)
    return { version, changes, applied, remoteServersAllowed: allowed }
}
