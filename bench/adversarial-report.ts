import { loadConfig } from '../src/config'
import type { AdversarialResult } from './adversarial'

/** The adversarial scenario's targets (docs/design.md §6, issue 23) and its part of RESULTS.md. */

const fixed = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** Answers counted by status (or by what happened instead), statuses first: "201 ×2, 429 ×40, reset ×1". */
function answers(outcomes: string[]): string {
  const counts = new Map<string, number>()
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1)
  const order = (outcome: string) => (/^\d+$/.test(outcome) ? Number(outcome) : 1000)
  return [...counts]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([outcome, count]) => `${outcome} ×${fixed(count)}`)
    .join(', ')
}

function deathSentence({ death }: AdversarialResult): string | null {
  if (!death) return null
  const on = death.inFlight ? `on the attacker's request ${fixed(death.afterRequests)}, ${death.inFlight}` : `after the attacker's request ${fixed(death.afterRequests)}, between two requests`
  return `The server died ${death.afterSeconds.toFixed(1)} s into the scenario, ${on} (${death.how}).`
}

const DEFAULT_WRITES_PER_MINUTE = loadConfig({}).writesPerMinute

const writeLimit = (perMinute: number) =>
  `${fixed(perMinute)} writes a minute per key, ${perMinute === DEFAULT_WRITES_PER_MINUTE ? "WRITE_RATE_LIMIT's default" : `set by WRITE_RATE_LIMIT (the default is ${DEFAULT_WRITES_PER_MINUTE})`}`

const requestCount = (n: number) => `${fixed(n)} attacker request${n === 1 ? '' : 's'}`

const stateWords = (result: AdversarialResult) =>
  result.state === 'alive' ? 'alive, answering' : result.state === 'dead' ? `dead after ${requestCount(result.death!.afterRequests)} (${result.death!.how})` : 'running but not answering /health within 10 s'

/**
 * A read that failed (no answer, or not a 200) counts as slower than any answered one: the percentiles of the
 * answered reads alone would call a server fast that answered none of them.
 */
export function adversarialTargets(result: AdversarialResult): { target: string; measured: string; pass: boolean }[] {
  const { reader, peakRssMb } = result
  const failed = reader.failures ? ` (and ${fixed(reader.failures)} failed)` : ''
  return [
    { target: 'Adversarial load: reader p99 < 100 ms', measured: `${reader.p99} ms${failed}`, pass: reader.failures === 0 && reader.p99 < 100 },
    { target: 'Adversarial load: reader max < 500 ms', measured: `${reader.max} ms${failed}`, pass: reader.failures === 0 && reader.max < 500 },
    { target: 'Adversarial load: every read answered 200', measured: `${fixed(reader.failures)} errors of ${fixed(reader.requests)}`, pass: reader.failures === 0 },
    { target: 'Adversarial load: server peak RSS < 300 MB', measured: peakRssMb === null ? 'n/a' : `${fixed(peakRssMb)} MB`, pass: peakRssMb !== null && peakRssMb < 300 },
    { target: 'Adversarial load: server alive at the end', measured: stateWords(result), pass: result.state === 'alive' },
  ]
}

/** One line for the console while the benchmark runs. */
export function adversarialSummary(result: AdversarialResult): string {
  const { reader } = result
  return (
    `  reader: ${fixed(reader.requests)} requests, p50 ${reader.p50} ms, p99 ${reader.p99} ms, max ${reader.max} ms, ${fixed(reader.failures)} errors; ` +
    `attacker: ${fixed(result.requests.length)} request${result.requests.length === 1 ? '' : 's'} (${answers(result.requests.map((r) => r.outcome))}); ` +
    `server peak RSS ${result.peakRssMb === null ? 'n/a' : `${fixed(result.peakRssMb)} MB`}, ${stateWords(result)}`
  )
}

export function adversarialSection(result: AdversarialResult, level: string, title: string): string[] {
  const { reader, requests, inputs } = result
  const death = deathSentence(result)
  const rows = inputs.map((input, i) => {
    const mine = requests.filter((r) => r.input === i)
    const slowest = mine.length ? (Math.max(...mine.map((r) => r.endedAt - r.sentAt)) / 1000).toFixed(2) : '—'
    return `| ${input.number} | ${input.name} | ${fixed(mine.length)} | ${answers(mine.map((r) => r.outcome)) || '—'} | ${slowest} |`
  })
  return [
    `${level}# Adversarial load on ${title}`,
    '',
    `The app as \`npm start\` runs it (its Node flags, and the limits of src/config.ts: ${writeLimit(result.writesPerMinute)}), on the run's copy of the database. ` +
      `One volunteer key sends the inputs below in turn, one request at a time, each as soon as the previous one is answered, refused or not; ` +
      `meanwhile a reader fetches a random record every 50 ms (open loop, latency counted from when each was due). ` +
      `${result.only.length ? `Only the inputs numbered ${result.only.join(', ')} were sent (BENCH_ADVERSARIAL_INPUTS). ` : ''}` +
      `The attack lasted ${result.death ? `${result.death.afterSeconds.toFixed(1)} s, until the server died` : `${result.plannedSeconds} s, as planned`}; the reader's last read ended ${result.readerSeconds.toFixed(1)} s after the start (a server that falls behind answers the reads it took late). The server's peak RSS is the kernel's VmHWM of its process, sampled every 100 ms.`,
    '',
    ...(death ? [`**${death}**`, ''] : []),
    '| reader requests | p50 (ms) | p99 (ms) | max (ms) | reader errors | server peak RSS (MB) | server at the end |',
    '|---|---|---|---|---|---|---|',
    `| ${fixed(reader.requests)} | ${reader.p50} | ${reader.p99} | ${reader.max} | ${fixed(reader.failures)} | ${result.peakRssMb === null ? 'n/a' : fixed(result.peakRssMb)} | ${stateWords(result)} |`,
    '',
    'The attacker\'s answers by input (an HTTP status, or reset: the connection closed before an answer; refused: nothing listening; timeout: no answer in 60 s; unfinished: cut at the end of the scenario):',
    '',
    '| # | input | requests | answers | slowest (s) |',
    '|---|---|---|---|---|',
    ...rows,
    `| | all | ${fixed(requests.length)} | ${answers(requests.map((r) => r.outcome)) || '—'} | |`,
    '',
  ]
}
