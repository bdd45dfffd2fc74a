import { readFileSync } from 'node:fs'
import { valueSupport } from './src/core/evidence/value-support'
const records = JSON.parse(readFileSync('seeds-data/prisoners.json', 'utf8'))
let checked = 0; const warnings: string[] = []
for (const r of records) { const s = valueSupport(r.fields); checked += s.checked; for (const w of s.warnings) warnings.push(`${r.fields.name?.value ?? r.id} ${w.path}: ${JSON.stringify(r.fields[w.path.split('/')[1]])} — ${w.message}`) }
console.log(checked, warnings.length); for (const w of warnings) console.log(w.slice(0, 900))
