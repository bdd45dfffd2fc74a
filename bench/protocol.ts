import { readFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'

/** What a server child tells the benchmark. */
export type ServerMessage =
  | {
      type: 'ready'
      port: number
      /** An editor key (the app): the create scenario writes with it. */
      key?: string
      /** With production limits (the adversarial scenario): a volunteer key, and the writes per minute it may make. */
      volunteerKey?: string
      writesPerMinute?: number
    }
  | { type: 'memory'; peakRssMb: number; rssMb: number; heapUsedMb: number; vmHwmMb: number | null }
  | { type: 'profiling' }
  | { type: 'profiled'; file: string }

const MB = 1024 * 1024

/** The kernel's own high-water mark of this process's resident memory (Linux), in MB. */
function vmHwmMb(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    return match ? Number(match[1]) / 1024 : null
  } catch {
    return null
  }
}

/** Samples the process's resident memory every 100 ms and keeps the peak. */
export class MemoryProbe {
  private peak = process.memoryUsage.rss()

  constructor(intervalMs = 100) {
    setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage.rss())
    }, intervalMs).unref()
  }

  /** Answers the benchmark's questions over IPC: `memory` (report) and `memory-reset` (start a new peak). */
  listen(): this {
    process.on('message', (message: { type: string }) => {
      if (message.type === 'memory-reset') this.peak = process.memoryUsage.rss()
      if (message.type === 'memory' || message.type === 'memory-reset') process.send!(this.report())
    })
    return this
  }

  report(): ServerMessage {
    const { rss, heapUsed } = process.memoryUsage()
    this.peak = Math.max(this.peak, rss)
    return { type: 'memory', peakRssMb: this.peak / MB, rssMb: rss / MB, heapUsedMb: heapUsed / MB, vmHwmMb: vmHwmMb() }
  }
}

/**
 * A V8 CPU profile of the server's steady state only (bench/read-ab.ts): `profile-start` starts it, once the server is
 * ready and warmed up, and `profile-stop` writes it to `file`. `--cpu-prof` would count the start-up too (compiling
 * every route's serializer, loading modules), which on a short run weighs as much as the requests.
 */
export function listenForProfiling(): void {
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))))
  process.on('message', (message: { type: string; file?: string }) => {
    if (message.type === 'profile-start') {
      void post('Profiler.enable')
        .then(() => post('Profiler.setSamplingInterval', { interval: 100 }))
        .then(() => post('Profiler.start'))
        .then(() => process.send!({ type: 'profiling' } satisfies ServerMessage))
    }
    if (message.type === 'profile-stop' && message.file) {
      const file = message.file
      void post('Profiler.stop').then((result) => {
        writeFileSync(file, JSON.stringify((result as { profile: unknown }).profile))
        process.send!({ type: 'profiled', file } satisfies ServerMessage)
      })
    }
  })
}
