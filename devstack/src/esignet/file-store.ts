import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import path from 'node:path'

/**
 * The durable state of the eSignet stand-in: oidc-provider's models (sessions, interactions,
 * codes, grants, tokens, replay-detected assertion `jti`s) and the stand-in's own records, kept
 * in memory and in an append-only NDJSON log under the data directory.
 *
 * A write resolves only after its log line has been fsync'ed, so an acknowledged code or grant
 * survives a crash (SIGKILL included). Concurrent writes share one fsync (group commit). At open,
 * the log is replayed (a torn last line from a crash is dropped: it was never acknowledged) and
 * rewritten without expired or deleted entries.
 */

type Payload = Record<string, unknown>

interface Entry {
    payload: Payload
    /** epoch ms; undefined = no expiry */
    expiresAt?: number
}

type LogRecord =
    { op: 'set'; key: string; payload: Payload; expiresAt?: number } | { op: 'del'; key: string }

const LOG_FILE = 'oidc-state.ndjson'
/** Compact when the log holds this many more lines than live entries. */
const COMPACT_SLACK = 5000

export class FileStore {
    private readonly entries = new Map<string, Entry>()
    private handle: FileHandle | undefined
    private pending: { line: string; resolve: () => void; reject: (error: unknown) => void }[] = []
    private flushing: Promise<void> | undefined
    private linesInLog = 0
    private closed = false

    private constructor(private readonly file: string) {}

    static async open(dir: string): Promise<FileStore> {
        const store = new FileStore(path.join(dir, LOG_FILE))
        store.replay()
        store.compactSync()
        store.handle = await open(store.file, 'a')
        return store
    }

    get(key: string): Payload | undefined {
        const entry = this.entries.get(key)
        if (!entry) {
            return undefined
        }
        if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
            this.entries.delete(key)
            return undefined
        }
        return entry.payload
    }

    /** Keys with the given prefix whose entries are live. */
    keysWithPrefix(prefix: string): string[] {
        return [...this.entries.keys()].filter(
            (key) => key.startsWith(prefix) && this.get(key) !== undefined
        )
    }

    async set(key: string, payload: Payload, expiresInSeconds?: number): Promise<void> {
        const expiresAt =
            typeof expiresInSeconds === 'number' ? Date.now() + expiresInSeconds * 1000 : undefined
        const stored = structuredClone(payload)
        this.entries.set(
            key,
            expiresAt === undefined ? { payload: stored } : { payload: stored, expiresAt }
        )
        const record: LogRecord = { op: 'set', key, payload: stored }
        if (expiresAt !== undefined) {
            record.expiresAt = expiresAt
        }
        await this.append(record)
    }

    async delete(key: string): Promise<void> {
        if (!this.entries.delete(key)) {
            return
        }
        await this.append({ op: 'del', key })
    }

    async close(): Promise<void> {
        this.closed = true
        await this.flushing
        await this.handle?.close()
        this.handle = undefined
    }

    private append(record: LogRecord): Promise<void> {
        if (this.closed) {
            return Promise.reject(new Error('eSignet state store is closed'))
        }
        return new Promise<void>((resolve, reject) => {
            this.pending.push({ line: JSON.stringify(record) + '\n', resolve, reject })
            this.flushing ??= this.flush()
        })
    }

    /** Writes everything queued so far with one write + fdatasync, then repeats while more arrived. */
    private async flush(): Promise<void> {
        try {
            while (this.pending.length > 0) {
                const batch = this.pending
                this.pending = []
                try {
                    const handle = this.handle
                    if (!handle) {
                        throw new Error('eSignet state store is not open')
                    }
                    await handle.write(batch.map((item) => item.line).join(''))
                    await handle.datasync()
                    this.linesInLog += batch.length
                    batch.forEach((item) => item.resolve())
                } catch (error) {
                    batch.forEach((item) => item.reject(error))
                }
            }
            if (this.linesInLog > this.entries.size + COMPACT_SLACK) {
                await this.compactOnline()
            }
        } finally {
            this.flushing = undefined
            if (this.pending.length > 0) {
                this.flushing = this.flush()
            }
        }
    }

    private replay(): void {
        let text: string
        try {
            text = readFileSync(this.file, 'utf8')
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
                return
            }
            throw error
        }
        const lines = text.split('\n')
        lines.forEach((line, index) => {
            if (line === '') {
                return
            }
            let record: LogRecord
            try {
                record = JSON.parse(line) as LogRecord
            } catch (error) {
                // Only the last line can be torn (a crash mid-write); it was never acknowledged.
                if (index >= lines.length - 2) {
                    return
                }
                throw new Error(`${this.file} is corrupt at line ${index + 1}`, { cause: error })
            }
            if (record.op === 'set') {
                this.entries.set(
                    record.key,
                    record.expiresAt === undefined
                        ? { payload: record.payload }
                        : { payload: record.payload, expiresAt: record.expiresAt }
                )
            } else {
                this.entries.delete(record.key)
            }
        })
    }

    private snapshotLines(): string {
        const now = Date.now()
        let out = ''
        for (const [key, entry] of this.entries) {
            if (entry.expiresAt !== undefined && entry.expiresAt <= now) {
                this.entries.delete(key)
                continue
            }
            const record: LogRecord = { op: 'set', key, payload: entry.payload }
            if (entry.expiresAt !== undefined) {
                record.expiresAt = entry.expiresAt
            }
            out += JSON.stringify(record) + '\n'
        }
        return out
    }

    /** Rewrites the log as a snapshot: write a temporary file, fsync it, rename over, fsync the dir. */
    private compactSync(): void {
        const tmp = `${this.file}.tmp`
        const fd = openSync(tmp, 'w')
        try {
            writeSync(fd, this.snapshotLines())
            fsyncSync(fd)
        } finally {
            closeSync(fd)
        }
        renameSync(tmp, this.file)
        const dirFd = openSync(path.dirname(this.file), 'r')
        try {
            fsyncSync(dirFd)
        } finally {
            closeSync(dirFd)
        }
        this.linesInLog = this.entries.size
    }

    private async compactOnline(): Promise<void> {
        // Called from flush() with nothing in flight, so the snapshot covers every acknowledged write.
        await this.handle?.close()
        this.handle = undefined
        try {
            this.compactSync()
        } finally {
            this.handle = await open(this.file, 'a')
        }
    }
}
