/** A person who took part in an event, as the public reads them. */
export interface Participant {
  id: string
  name: string | null
  nationality: string | null
}

export interface NationalityCount {
  nationality: string
  /** How many the event's composition says; 0 when it names the nationality not at all, null when it has no composition. */
  stated: number | null
  /** How many linked participants have this nationality in their records. */
  identified: number
}

/** What an event's group facts say against the records linked to it (docs/design.md §3). */
export interface Comparison {
  count: { stated: number | null; linked: number }
  composition: NationalityCount[]
  /** Linked participants whose records give no nationality yet. */
  unknownNationality: number
  /** Where the group facts and the records cannot both be right, in words. */
  contradictions: string[]
  /** What is still to be found, in words: people not linked yet, nationalities not identified yet. */
  missing: string[]
}

const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`

/**
 * Compares the preferred count and composition of an event with its participants: a volunteer sees which facts
 * are still missing (5 Belarusians stated, 1 identified), an auditor what contradicts (a record's nationality that
 * the composition does not include, more people linked than stated).
 */
export function compare(count: number | null, composition: Record<string, number> | null, participants: Participant[]): Comparison {
  const identified = new Map<string, number>()
  for (const { nationality } of participants) if (nationality) identified.set(nationality, (identified.get(nationality) ?? 0) + 1)
  const codes = [...new Set([...Object.keys(composition ?? {}), ...identified.keys()])]
  const rows = codes
    .map((nationality) => ({ nationality, stated: composition ? (composition[nationality] ?? 0) : null, identified: identified.get(nationality) ?? 0 }))
    .sort((a, b) => (b.stated ?? 0) - (a.stated ?? 0) || b.identified - a.identified || (a.nationality < b.nationality ? -1 : 1))
  const unknownNationality = participants.filter((participant) => !participant.nationality).length

  const contradictions: string[] = []
  const missing: string[] = []
  const linked = participants.length
  if (count !== null && linked > count) contradictions.push(`${people(linked)} linked, but the event's count says ${count}`)
  if (count !== null && linked < count) missing.push(`${people(count - linked)} of the ${count} stated not linked to the event yet`)
  if (composition) {
    const total = Object.values(composition).reduce((sum, n) => sum + n, 0)
    if (count !== null && total !== count) contradictions.push(`the composition adds up to ${total}, but the event's count says ${count}`)
    for (const { nationality, stated, identified: found } of rows) {
      if (stated === 0) contradictions.push(`${people(found)} of nationality ${nationality} linked, which the composition does not include`)
      else if (found > stated!) contradictions.push(`${found} of nationality ${nationality} linked, but the composition says ${stated}`)
      else if (found === 0) missing.push(`none of the ${stated} of nationality ${nationality} identified yet`)
      else if (found < stated!) missing.push(`${stated! - found} of the ${stated} of nationality ${nationality} not identified yet`)
    }
  }
  if (unknownNationality > 0) missing.push(`${people(unknownNationality)} linked with no nationality in their records`)
  return { count: { stated: count, linked }, composition: rows, unknownNationality, contradictions, missing }
}
