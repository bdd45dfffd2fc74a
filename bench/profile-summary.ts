import { readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Summarises a V8 CPU profile (from BENCH_CPU_PROF=1): where the app's time goes, by function and by
 * package or source file, self time and inclusive time. `node dist/bench/profile-summary.js <file.cpuprofile> [top]`
 */
interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

function owner(url: string): string {
  if (!url) return '(native/V8)'
  const clean = url.replace(/^file:\/\//, '')
  const modules = clean.lastIndexOf('node_modules/')
  if (modules >= 0) {
    const parts = clean.slice(modules + 'node_modules/'.length).split('/')
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]
  }
  if (clean.startsWith('node:')) return clean
  const dist = clean.indexOf('/dist/')
  return dist >= 0 ? clean.slice(dist + '/dist/'.length) : path.basename(clean)
}

function main() {
  const [file, topArg] = process.argv.slice(2)
  const top = Number(topArg ?? 30)
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)

  const selfTime = new Map<number, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0
    selfTime.set(id, (selfTime.get(id) ?? 0) + dt)
    total += dt
  })

  const idle = new Set(['(idle)', '(program)', '(garbage collector)'])
  const fnSelf = new Map<string, number>()
  const ownerSelf = new Map<string, number>()
  const ownerInclusive = new Map<string, number>()
  const fnInclusive = new Map<string, number>()
  for (const [id, time] of selfTime) {
    const node = byId.get(id)!
    const { functionName, url, lineNumber } = node.callFrame
    const fn = `${functionName || '(anonymous)'} ${owner(url)}:${lineNumber + 1}`
    const key = idle.has(functionName) ? functionName : fn
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + time)
    const own = idle.has(functionName) ? functionName : owner(url)
    ownerSelf.set(own, (ownerSelf.get(own) ?? 0) + time)
    // Inclusive: count this sample once for every distinct function / owner on its stack.
    const seenFn = new Set<string>()
    const seenOwner = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame
      const f = `${frame.functionName || '(anonymous)'} ${owner(frame.url)}:${frame.lineNumber + 1}`
      if (!seenFn.has(f)) {
        seenFn.add(f)
        fnInclusive.set(f, (fnInclusive.get(f) ?? 0) + time)
      }
      const o = owner(frame.url)
      if (!seenOwner.has(o)) {
        seenOwner.add(o)
        ownerInclusive.set(o, (ownerInclusive.get(o) ?? 0) + time)
      }
    }
  }
  const busy = total - (ownerSelf.get('(idle)') ?? 0)
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title} (share of busy time, ${(busy / 1e6).toFixed(1)} s busy of ${(total / 1e6).toFixed(1)} s)`)
    for (const [key, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(time)}  ${key}`)
  }
  print('Self time by package / file', ownerSelf)
  print('Inclusive time by package / file', ownerInclusive)
  print('Self time by function', fnSelf)
  print('Inclusive time by function', fnInclusive)
}

main()
