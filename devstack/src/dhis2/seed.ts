import { createHash } from 'node:crypto'
import {
    buildDatastoreDefaults,
    buildMetadata,
    CONFIG_PUBLIC_ACCESS,
} from '../../../deploy/src/metadata'
import { AUTHORITIES, PROGRAM_ANC, ROUTE_CODES, USER_ROLES } from '@anc/shared/metadata'
import { pairwiseSub } from '../common/pairwise'
import { DEV_SECRETS, ROUTE_SECRET_HEADER } from '../stack/dev-secrets'
import { hashPassword } from './auth'
import { defaultSharing } from './datastore'
import type { Db } from './db'
import { importMetadata } from './metadata'
import type { Route } from './routes'

export const ORG_UNITS = {
    country: 'ancOuLanka0',
    province: 'ancOuWestrn',
    district: 'ancOuColDis',
    mohArea: 'ancOuMOHCol',
    clinicA: 'ancOuClinA0',
    clinicB: 'ancOuClinB0',
} as const

/** The staff client at eSignet: DHIS2 maps users by this client's pairwise sub. */
const STAFF_CLIENT_ID = 'dhis2-staff'

export const SEED_USERS = {
    admin: { id: 'ancUsrAdmin', username: 'admin', password: 'district' },
    midwife: {
        id: 'ancUsrMidwf',
        username: 'midwife',
        password: 'Anc#2026dev',
        individualId: '8267411072',
    },
    doctor: {
        id: 'ancUsrDoctr',
        username: 'doctor',
        password: 'Anc#2026dev',
        individualId: '2374109628',
    },
    expired: { id: 'ancUsrExpir', username: 'expired', password: 'Anc#2026dev' },
    disabled: { id: 'ancUsrDisab', username: 'disabled', password: 'Anc#2026dev' },
} as const

const SUPERUSER_ROLE = 'ancRoleSupr'

function orgUnits(): object[] {
    const ou = (id: string, name: string, code: string, level: number, parentPath: string) => ({
        id,
        name,
        shortName: name,
        code,
        level,
        path: `${parentPath}/${id}`,
        openingDate: '2000-01-01T00:00:00.000',
        ...(parentPath ? { parent: { id: parentPath.split('/').pop() } } : {}),
    })
    const p1 = `/${ORG_UNITS.country}`
    const p2 = `${p1}/${ORG_UNITS.province}`
    const p3 = `${p2}/${ORG_UNITS.district}`
    const p4 = `${p3}/${ORG_UNITS.mohArea}`
    return [
        ou(ORG_UNITS.country, 'Sri Lanka', 'LK', 1, ''),
        ou(ORG_UNITS.province, 'Western Province', 'LK-1', 2, p1),
        ou(ORG_UNITS.district, 'Colombo District', 'LK-11', 3, p2),
        ou(ORG_UNITS.mohArea, 'MOH Colombo', 'LK-11-MOH-CMB', 4, p3),
        ou(ORG_UNITS.clinicA, 'Colombo ANC Clinic A', 'LK-11-CMB-A', 5, p4),
        ou(ORG_UNITS.clinicB, 'Colombo ANC Clinic B', 'LK-11-CMB-B', 5, p4),
    ]
}

function seedRoutes(relayUrl: string, fhirUrl: string): Route[] {
    return [
        {
            id: 'ancRouteRly',
            code: ROUTE_CODES.relay,
            name: 'ANC eSignet relay',
            url: `${relayUrl}/**`,
            auth: {
                type: 'api-headers',
                headers: { [ROUTE_SECRET_HEADER]: DEV_SECRETS.relayRouteSecret },
            },
            authorities: [AUTHORITIES.useRelay],
            responseTimeoutSeconds: 20,
            sharing: { public: '--------', users: {} },
        },
        {
            id: 'ancRouteFhr',
            code: ROUTE_CODES.fhir,
            name: 'ANC FHIR record',
            url: `${fhirUrl}/fhir/**`,
            auth: {
                type: 'http-basic',
                username: DEV_SECRETS.fhirUsername,
                password: DEV_SECRETS.fhirPassword,
            },
            authorities: [AUTHORITIES.useFhir],
            responseTimeoutSeconds: 20,
            sharing: { public: '--------', users: {} },
        },
    ]
}

/**
 * Idempotent: imports the ANC package (CREATE_AND_UPDATE) and inserts org units, users, routes
 * and datastore defaults only where missing, so local edits survive a restart.
 */
export async function seed(db: Db, urls: { relay: string; fhir: string }): Promise<void> {
    const metadata = buildMetadata() as Record<string, unknown>
    const program = (metadata.programs as Record<string, unknown>[]).find(
        (p) => p.id === PROGRAM_ANC
    )
    if (program) program.organisationUnits = [{ id: ORG_UNITS.clinicA }, { id: ORG_UNITS.clinicB }]
    const payload = {
        ...metadata,
        organisationUnits: orgUnits(),
        userRoles: [
            ...(metadata.userRoles as object[]),
            { id: SUPERUSER_ROLE, code: 'SUPERUSER', name: 'Superuser', authorities: ['ALL'] },
        ],
    }
    // Re-import only when the package changed: keeps a restart fast (budget: stack up in 15 s).
    const digest = createHash('sha256').update(JSON.stringify(payload)).digest('hex')
    await db.exec(
        'create table if not exists seed_state (key text primary key, value text not null)'
    )
    const seeded = await db.query<{ value: string }>(
        `select value from seed_state where key = 'metadata'`
    )
    if (seeded.rows[0]?.value !== digest) {
        const result = await importMetadata(db, payload)
        if (result.errors.length > 0)
            throw new Error(`Seeding metadata failed: ${result.errors.join('; ')}`)
        await db.query(
            `insert into seed_state (key, value) values ('metadata', $1) on conflict (key) do update set value = excluded.value`,
            [digest]
        )
    }

    const users = [
        {
            ...SEED_USERS.admin,
            firstName: 'System',
            surname: 'Administrator',
            roles: [SUPERUSER_ROLE],
            ous: [ORG_UNITS.country],
        },
        {
            ...SEED_USERS.midwife,
            firstName: 'Nimali',
            surname: 'Perera',
            roles: [USER_ROLES.midwife],
            ous: [ORG_UNITS.mohArea],
            openId: pairwiseSub(SEED_USERS.midwife.individualId, STAFF_CLIENT_ID),
        },
        {
            ...SEED_USERS.doctor,
            firstName: 'Ruwan',
            surname: 'Jayasinghe',
            roles: [USER_ROLES.doctor],
            ous: [ORG_UNITS.mohArea],
            openId: pairwiseSub(SEED_USERS.doctor.individualId, STAFF_CLIENT_ID),
        },
        {
            ...SEED_USERS.expired,
            firstName: 'Expired',
            surname: 'Password',
            roles: [USER_ROLES.midwife],
            ous: [ORG_UNITS.clinicA],
            passwordExpired: true,
        },
        {
            ...SEED_USERS.disabled,
            firstName: 'Disabled',
            surname: 'Account',
            roles: [USER_ROLES.midwife],
            ous: [ORG_UNITS.clinicA],
            disabled: true,
        },
    ]
    const present = new Set(
        (await db.query<{ id: string }>('select id from users')).rows.map((r) => r.id)
    )
    for (const u of users) {
        if (present.has(u.id)) continue
        const openId = 'openId' in u ? u.openId : undefined
        const data = {
            id: u.id,
            username: u.username,
            firstName: u.firstName,
            surname: u.surname,
            email: `${u.username}@anc.local`,
            openId,
            externalAuth: openId !== undefined,
            organisationUnits: u.ous,
            teiSearchOrganisationUnits: u.ous,
            userRoles: u.roles,
        }
        await db.query(
            `insert into users (id, username, password_hash, open_id, disabled, password_expired, external_auth, data)
             values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`,
            [
                u.id,
                u.username,
                await hashPassword(u.password),
                openId ?? null,
                'disabled' in u ? u.disabled : false,
                'passwordExpired' in u ? u.passwordExpired : false,
                openId !== undefined,
                JSON.stringify(data),
            ]
        )
    }

    for (const route of seedRoutes(urls.relay, urls.fhir)) {
        await db.query(
            'insert into routes (id, code, name, data) values ($1, $2, $3, $4) on conflict do nothing',
            [route.id, route.code, route.name, JSON.stringify(route)]
        )
    }
    // As on a deployed server: the configuration was written by the superuser who ran the
    // install, and everyone else may only read it (deploy/src/install/deploy.ts sets that).
    const configSharing = { ...defaultSharing(SEED_USERS.admin.id), public: CONFIG_PUBLIC_ACCESS }
    for (const [namespace, keys] of Object.entries(buildDatastoreDefaults())) {
        for (const [key, value] of Object.entries(keys)) {
            await db.query(
                'insert into datastore (namespace, key, value, sharing) values ($1, $2, $3, $4) on conflict do nothing',
                [namespace, key, JSON.stringify(value), JSON.stringify(configSharing)]
            )
        }
    }
}
