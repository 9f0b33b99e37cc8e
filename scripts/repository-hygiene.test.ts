import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * The repository stands alone: a person who clones it can follow every link and run every
 * command from its root. So no tracked text file may name a path of the machine it was built
 * on (absolute home or work folders) or link to design notes kept outside the repository; the
 * design lives in docs/architecture.md.
 */
const root = path.resolve(__dirname, '..')
const trackedTextFiles = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && !/\.(png|jpe?g|gif|ico|woff2?|zip)$/i.test(file))

const FORBIDDEN: { pattern: RegExp; why: string }[] = [
    {
        pattern: /(^|[\s`'"(=])\/(work|root|home|Users|tmp\/bash_jobs)\/[\w.-]/,
        why: 'names a path of the build machine',
    },
    {
        pattern: /\.\.\/shared\/notes|shared\/notes\//,
        why: 'links to notes outside the repository',
    },
]

describe('the repository is self-contained', () => {
    it('has tracked files to check', () => {
        expect(trackedTextFiles.length).toBeGreaterThan(100)
    })

    it('no tracked file names a machine path or links outside the repository', () => {
        const offences: string[] = []
        for (const file of trackedTextFiles) {
            if (file === 'scripts/repository-hygiene.test.ts') continue
            const lines = readFileSync(path.join(root, file), 'utf8').split('\n')
            lines.forEach((line, index) => {
                for (const { pattern, why } of FORBIDDEN) {
                    if (pattern.test(line))
                        offences.push(`${file}:${index + 1} ${why}: ${line.trim()}`)
                }
            })
        }
        expect(offences).toEqual([])
    })

    it('the design document the README points at exists', () => {
        const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
        expect(readme).toContain('docs/architecture.md')
        expect(readFileSync(path.join(root, 'docs/architecture.md'), 'utf8')).toMatch(
            /Trust boundaries/
        )
    })
})
