/**
 * The two engines the registry runs on, and the little SQL that differs between them. Every query is written
 * once, with `?` marks and quoted camelCase aliases (PostgreSQL folds unquoted names to lower case); where the
 * engines need different words, the query asks its dialect here, so the differences stay in one file.
 */
export type Dialect = 'sqlite' | 'postgres'

/** A DATABASE_URL names PostgreSQL; anything else is the path of a SQLite file. */
export const dialectOf = (location: string): Dialect => (/^postgres(ql)?:\/\//.test(location) ? 'postgres' : 'sqlite')

export interface DialectSql {
  /** Whether `text` holds `part` (both SQL expressions). */
  contains(text: string, part: string): string
  /**
   * A join whose order the planner must keep. SQLite's CROSS JOIN … ON joins in the order written (left to
   * itself, name search starts from the 100,000 visible records); PostgreSQL has no CROSS JOIN … ON, and
   * plans that join well by itself.
   */
  orderedJoin: string
}

export const SQL: Record<Dialect, DialectSql> = {
  sqlite: {
    contains: (text, part) => `instr(${text}, ${part}) > 0`,
    orderedJoin: 'CROSS JOIN',
  },
  postgres: {
    contains: (text, part) => `strpos(${text}, ${part}) > 0`,
    orderedJoin: 'JOIN',
  },
}

const numbered = new Map<string, string>()

/**
 * A query written with `?` marks, as PostgreSQL takes it: `$1`, `$2`, … in order. A `?` inside a quoted
 * string or name is left alone. Each text is converted once.
 */
export function numberedParams(sql: string): string {
  let converted = numbered.get(sql)
  if (converted === undefined) {
    let n = 0
    let quote: string | null = null
    converted = ''
    for (const char of sql) {
      if (quote) {
        if (char === quote) quote = null
      } else if (char === "'" || char === '"') {
        quote = char
      } else if (char === '?') {
        converted += `$${++n}`
        continue
      }
      converted += char
    }
    numbered.set(sql, converted)
  }
  return converted
}
