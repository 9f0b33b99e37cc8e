import {
    cpSync,
    existsSync,
    mkdirSync,
    readdirSync,
    readFileSync,
    renameSync,
    rmSync,
} from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'

/**
 * The stand-in's database: PGlite (PostgreSQL compiled to WASM), because DHIS2 itself runs on
 * PostgreSQL. Each statement is committed to the data directory before its promise resolves,
 * so an acknowledged write survives SIGKILL (tested). PGlite serialises queries on its single
 * connection; transactions hold it exclusively.
 */
export type Db = PGlite

/** The installed PGlite version (its exports map hides package.json from require). */
function pgliteVersion(): string {
    const pkg = path.resolve(__dirname, '../../../node_modules/@electric-sql/pglite/package.json')
    try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version
    } catch {
        return 'unknown'
    }
}

/**
 * initdb takes ~7 s on these machines; copying a freshly initialised cluster takes ~0.2 s. The
 * template lives in node_modules/.cache so `npm run reset` (which wipes .data) stays fast.
 */
function templateDir(): string {
    return path.resolve(
        __dirname,
        `../../../node_modules/.cache/anc-devstack/pglite-${pgliteVersion()}`
    )
}

async function ensureTemplate(): Promise<string> {
    const dir = templateDir()
    if (existsSync(path.join(dir, 'PG_VERSION'))) return dir
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`
    mkdirSync(tmp, { recursive: true })
    const db = await PGlite.create(tmp)
    await db.close()
    try {
        renameSync(tmp, dir)
    } catch {
        // Another process won the race: its template is as good as ours.
        rmSync(tmp, { recursive: true, force: true })
    }
    return dir
}

export async function openDatabase(dir: string): Promise<Db> {
    mkdirSync(dir, { recursive: true })
    if (!existsSync(path.join(dir, 'PG_VERSION')) && readdirSync(dir).length === 0) {
        cpSync(await ensureTemplate(), dir, { recursive: true })
    }
    const db = await PGlite.create(dir)
    await db.exec(SCHEMA)
    return db
}

const SCHEMA = `
create table if not exists users (
    id text primary key,
    username text not null unique,
    password_hash text,
    open_id text unique,
    disabled boolean not null default false,
    password_expired boolean not null default false,
    external_auth boolean not null default false,
    data jsonb not null
);
create table if not exists sessions (
    id text primary key,
    user_id text not null references users(id) on delete cascade,
    expires_at timestamptz not null
);
create table if not exists metadata (
    type text not null,
    id text not null,
    code text,
    data jsonb not null,
    primary key (type, id)
);
create index if not exists metadata_id on metadata (id);
create table if not exists tracked_entities (
    uid text primary key,
    tracked_entity_type text not null,
    org_unit text not null,
    data jsonb not null
);
create table if not exists attribute_values (
    tracked_entity text not null references tracked_entities(uid),
    attribute text not null,
    value text not null,
    primary key (tracked_entity, attribute)
);
-- Only values of unique attributes land here: the primary key is the uniqueness guarantee.
create table if not exists unique_attribute_values (
    attribute text not null,
    value text not null,
    tracked_entity text not null references tracked_entities(uid),
    primary key (attribute, value)
);
create table if not exists enrollments (
    uid text primary key,
    tracked_entity text not null references tracked_entities(uid),
    program text not null,
    org_unit text not null,
    data jsonb not null
);
create table if not exists events (
    uid text primary key,
    enrollment text references enrollments(uid),
    tracked_entity text,
    program text not null,
    program_stage text not null,
    org_unit text not null,
    data jsonb not null
);
create table if not exists generated_values (
    attribute text not null,
    value text not null,
    created timestamptz not null default now(),
    expiry_date timestamptz not null,
    primary key (attribute, value)
);
create table if not exists datastore (
    namespace text not null,
    key text not null,
    value jsonb not null,
    primary key (namespace, key)
);
-- Each entry is a DHIS2 object with a UID and sharing ({owner, public, external, users,
-- userGroups}, DHIS2's own sharing column). Added by ALTER so data directories from before keep
-- their entries: those get a UID here and DHIS2's default sharing for a new key, without owner.
alter table datastore add column if not exists
    uid text not null unique default ('d' || substr(md5(random()::text || clock_timestamp()::text), 1, 10));
alter table datastore add column if not exists
    sharing jsonb not null default '{"owner": null, "public": "rw------", "external": false, "users": {}, "userGroups": {}}';
create table if not exists routes (
    id text primary key,
    code text unique,
    name text not null unique,
    data jsonb not null
);
create table if not exists apps (
    key text primary key,
    data jsonb not null
);
`
