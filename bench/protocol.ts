import { readFileSync } from 'node:fs'

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
