import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import path from 'node:path'

/**
 * The built server (dist/) in processes of its own, as an operator runs it: for what only a real process shows
 * (signals, two instances on one database, a kill mid-write).
 */
export const ROOT = path.resolve(__dirname, '../..')

/** Compiles src/ into dist/, once per test file that needs processes. */
export function buildServer() {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' })
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  return port
}

export interface ServerProcess {
  base: string
  process: ChildProcess
  /** What the process wrote to stderr so far (and stdout, when `logs` was asked). */
  output: () => string
}

export interface StartOptions {
  /** The command, npm's `start` or node on dist/src/server.js (the default). */
  via?: 'node' | 'npm start'
  env?: Record<string, string>
  /** Keep the server's log lines (stdout) in output(); silent otherwise. */
  logs?: boolean
}

/** Every process started, for stopAll. */
const started: ChildProcess[] = []

/** Starts a server on `location` (a SQLite file or a postgres:// URL) and waits until /health answers 200. */
export async function startServer(location: string, { via = 'node', env = {}, logs = false }: StartOptions = {}): Promise<ServerProcess> {
  const port = await freePort()
  const environment = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: logs ? 'info' : 'silent',
    WRITE_RATE_LIMIT: '1000000',
    ...(location.startsWith('postgres') ? { DATABASE_URL: location } : { DATABASE_URL: '', DATABASE_PATH: location }),
    ...env,
  }
  // In a process group of its own, so that a test can tell whether anything it started outlives it. `npm start`
  // finds dist/ up to date (the test built it) and runs it with config.nodeFlags' 128 MB heap: without tap's
  // coverage, which it would collect at exit beyond that heap, and abort (SIGABRT).
  const child =
    via === 'npm start'
      ? spawn('npm', ['start'], { cwd: ROOT, env: { ...environment, _TAPJS_PROCESSINFO_COVERAGE_: '0' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      : spawn(process.execPath, [path.join(ROOT, 'dist/src/server.js')], { cwd: ROOT, env: environment, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  started.push(child)
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const base = `http://127.0.0.1:${port}`
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output}`)
    try {
      if ((await fetch(`${base}/health`)).ok) return { base, process: child, output: () => output }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  killGroup(child)
  throw new Error(`the server did not answer /health within 30 s: ${output}`)
}

/** Whether any process of the child's group (npm, a shell, node) is still alive. */
export function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0)
    return true
  } catch {
    return false
  }
}

function killGroup(child: ChildProcess) {
  try {
    process.kill(-child.pid!, 'SIGKILL')
  } catch {
    // gone already
  }
}

/** Kills every process a test started, and whatever they started; for t.teardown. */
export async function stopAll() {
  for (const child of started) killGroup(child)
  await Promise.all(started.filter((child) => child.exitCode === null && child.signalCode === null).map((child) => once(child, 'exit')))
  started.length = 0
}
