import { mkdir, open, readFile, truncate } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import path from 'node:path'

import type { JournalWrite } from './store'

/** One acknowledged unit of work (a request): all its writes, or none of them. */
interface JournalRecord {
    at: string
    writes: JournalWrite[]
}

/**
 * The append-only NDJSON log behind the FHIR stand-in: one line per acknowledged request, holding
 * every version it wrote, so history survives restarts. A line is written and fdatasync'd before
 * the response is sent. A crash can only tear the last line (never acknowledged); it is cut off
 * at start-up so the next append starts on a clean line.
 */
export class Journal {
    private constructor(
        readonly file: string,
        private readonly handle: FileHandle
    ) {}

    /** Reads the records already on disk, repairs a torn tail, and opens the log for appending. */
    static async open(directory: string): Promise<{ journal: Journal; records: JournalWrite[][] }> {
        await mkdir(directory, { recursive: true })
        const file = path.join(directory, 'journal.ndjson')
        let text = ''
        let created = false
        try {
            text = await readFile(file, 'utf8')
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
                throw error
            }
            created = true
        }
        const complete = text.lastIndexOf('\n') + 1
        const records: JournalWrite[][] = []
        let lineStart = 0
        let lineNumber = 0
        while (lineStart < complete) {
            const lineEnd = text.indexOf('\n', lineStart)
            const line = text.slice(lineStart, lineEnd)
            lineNumber++
            if (line.trim() !== '') {
                try {
                    records.push((JSON.parse(line) as JournalRecord).writes)
                } catch {
                    throw new Error(
                        `${file} line ${lineNumber} is not valid JSON. The FHIR journal is damaged ` +
                            'before its end; move the file away to start empty.'
                    )
                }
            }
            lineStart = lineEnd + 1
        }
        if (complete < Buffer.byteLength(text)) {
            // Bytes after the last newline: a write that never completed, so never acknowledged.
            await truncate(file, Buffer.byteLength(text.slice(0, complete)))
        }
        const handle = await open(file, 'a')
        if (created) {
            // A new file's directory entry must be durable too, or the first writes could vanish.
            const dir = await open(directory, 'r')
            await dir.sync().finally(() => dir.close())
        }
        return { journal: new Journal(file, handle), records }
    }

    /** Appends one request's writes and returns once they are on disk. */
    async append(writes: JournalWrite[]): Promise<void> {
        if (writes.length === 0) {
            return
        }
        const record: JournalRecord = { at: new Date().toISOString(), writes }
        await this.handle.write(JSON.stringify(record) + '\n')
        await this.handle.datasync()
    }

    async close(): Promise<void> {
        await this.handle.close()
    }
}
