// Small helpers the root scripts share: running commands with prefixed output, timing, paths.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const APPS = ['registration-app', 'doctor-app', 'patient-app']

/** Node 20 lacks the global WebSocket that @medplum/core 5 expects; Node 22+ has it. */
export function nodeOptionsForMedplum(env = process.env) {
    const major = Number(process.versions.node.split('.')[0])
    const current = env.NODE_OPTIONS ?? ''
    if (major >= 22 || current.includes('--experimental-websocket')) return current
    return `${current} --experimental-websocket`.trim()
}

/**
 * Runs a command, streaming its output with a prefix, and resolves with its exit code and
 * duration. Never rejects: callers decide what a failure means.
 */
export function run(label, command, args, options = {}) {
    const started = Date.now()
    return new Promise((resolve) => {
        const child = spawn(command, args, {
            cwd: options.cwd ?? root,
            env: { ...process.env, ...options.env },
            stdio: ['ignore', 'pipe', 'pipe'],
        })
        const prefix = label ? `[${label}] ` : ''
        const forward = (stream, target) => {
            let pending = ''
            stream.on('data', (chunk) => {
                pending += chunk.toString()
                const lines = pending.split('\n')
                pending = lines.pop() ?? ''
                for (const line of lines) if (!options.quiet) target.write(prefix + line + '\n')
            })
            stream.on('end', () => {
                if (pending && !options.quiet) target.write(prefix + pending + '\n')
            })
        }
        forward(child.stdout, process.stdout)
        forward(child.stderr, process.stderr)
        child.on('error', (error) => {
            console.error(`${prefix}could not start ${command}: ${error.message}`)
            resolve({ code: 127, seconds: (Date.now() - started) / 1000 })
        })
        child.on('close', (code, signal) =>
            resolve({ code: code ?? (signal ? 128 : 1), seconds: (Date.now() - started) / 1000 })
        )
    })
}
