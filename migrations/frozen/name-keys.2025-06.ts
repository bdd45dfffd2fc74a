/**
 * FROZEN: the name folding of June 2025, as src/core/search/name-keys.ts stood when the migrations
 * SearchIndexes (1750800000000), LacinkaNameKeys (1750900000000) and NamePairKeys (1751000000000) landed.
 * Those migrations run this copy, so what they write never depends on today's rules: a landed migration
 * must give the same result forever, and migrations import nothing from src/ (DESIGN.md §8).
 *
 * NEVER CHANGE THIS FILE. The live rules are in src/core/search/name-keys.ts; when they change, bump
 * NAME_KEYS_VERSION there and the app rebuilds the stored keys (src/core/search/name-keys-rebuild.ts).
 * A verbatim copy, trimmed only of what no migration uses (nameMatches);
 * test/migrations/frozen-name-keys.test.ts checks it against the live rules as they were.
 */

/**
 * Search keys for personal names, so that every spelling of a Belarusian (or Russian) name finds the same person.
 *
 * Why this design:
 * - One Belarusian name reaches us in Belarusian Cyrillic, Russian Cyrillic, Łacinka, the official/passport/BGN
 *   romanisations of either language, and popular English. Those spellings differ in two ways: the script, and
 *   the language (Belarusian Ціханоўскі vs Russian Тихановский). So every word is first rewritten into one Latin
 *   spelling (any script, any romanisation), and then the differences between the two languages are folded by
 *   rules: г/х/h/g, ц/т, дз/д, ў/в, а/о, і/и/ы, soft-vowel spellings (ia/ya/ja/я), akanne and yakanne.
 * - Vowels are kept (folded into classes) rather than reduced to a consonant skeleton. The Belarusian–Russian
 *   vowel differences are systematic, so rules can bring them together, while a skeleton would also merge
 *   different names (Maria/Mara/Mira, Lena/Lina, Dulina/Dalina, Igor/Egor) and a query like "Ihar" would return
 *   far too many people from a large registry.
 * - A few given names differ between the languages by more than a rule (Вольга/Ольга, Мікалай/Николай); they
 *   are listed as data and compiled to keys at load, so the list stays in readable Cyrillic.
 * - Keys are stored in the database: any change to the tables or rules below changes keys, and stored keys
 *   must then be rebuilt. The tests pin a few exact keys so that such a change is noticed.
 */

/** Cyrillic (Belarusian, Russian, a little Ukrainian) into a Latin that the Latin rules below read unambiguously:
 *  ч/ш/ж keep their own letters because "ch"/"sh" mean different things in different romanisations, and the
 *  soft vowels are written with "i" because every romanisation marks them with i, y or j. */
const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', е: 'ie', ё: 'io', є: 'ie', ж: 'ž', з: 'z',
  и: 'i', і: 'i', ї: 'ii', й: 'j', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ў: 'w', ф: 'f', х: 'kh', ц: 'ts', ч: 'č', ш: 'š', щ: 'šč', ъ: '',
  ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
}

/** Latin letters with diacritics whose base letter alone would lose a distinction the key keeps
 *  (Łacinka/official č š ž are ч ш ж; ć is ць; ŭ is ў; Polish ż is ж). */
const LATIN_DIACRITIC_LETTERS: Readonly<Record<string, string>> = {
  č: 'č', š: 'š', ž: 'ž', ż: 'ž', ć: 'ts', ŭ: 'w', ǆ: 'dž', ǳ: 'dz',
}

/** Letters that Unicode does not decompose into a base letter and a mark. */
const LATIN_UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  ł: 'l', đ: 'd', ø: 'o', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i', ħ: 'h', ŧ: 't', ŋ: 'n', þ: 'th', ð: 'd',
  ŀ: 'l', ƚ: 'l', ɨ: 'i',
}

/** Latin letters that look like Cyrillic ones; scraped Cyrillic text often has a few of them mixed in. */
const LATIN_LOOKALIKE_TO_CYRILLIC: Readonly<Record<string, string>> = {
  a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', i: 'і', k: 'к', m: 'м', o: 'о', p: 'р', t: 'т', x: 'х', y: 'у',
}

/** Latin spellings of one sound, longest first, and what they become. "ch" and "c" depend on context
 *  (see latinUnit); everything not listed stays as it is. */
const LATIN_UNITS: Readonly<Record<string, string>> = {
  shch: 'šč', tsch: 'č', tch: 'č', dzh: 'dž', zh: 'ž', sh: 'š', sz: 'š', cz: 'č', kh: 'g', gh: 'g',
  ph: 'f', ts: 't', tz: 't', dz: 'd', h: 'g', j: 'i', y: 'i', q: 'k', w: 'v', x: 'ks',
}
const LATIN_UNIT = /shch|tsch|tch|dzh|zh|sh|sz|cz|ch|kh|gh|ph|ts|tz|dz|[chjqwxy]/g

/**
 * Given names whose Belarusian and Russian forms differ by more than the rules fold: [variant, canonical].
 * Both sides are turned into keys at load; the variant's key is replaced by the canonical one.
 */
const GIVEN_NAME_VARIANTS: ReadonlyArray<readonly [string, string]> = [
  ['Ганна', 'Анна'],
  ['Вольга', 'Ольга'],
  ['Алена', 'Елена'],
  ['Кацярына', 'Екатерина'],
  ['Мікалай', 'Николай'],
  ['Мікола', 'Николай'],
  ['Мікіта', 'Никита'],
  ['Пятро', 'Пётр'],
  ['Рыгор', 'Григорий'],
  ['Надзея', 'Надежда'],
  ['Зміцер', 'Дмитрий'],
  ['Апанас', 'Афанасий'],
  ['Язэп', 'Иосиф'],
  ['Хведар', 'Фёдор'],
]

/** Consonants after which Belarusian writes а where Russian writes е (Вячаслаў/Вячеслав, Шаўчэнка/Шевченко,
 *  Церашко/Терешко): е is folded into а after them. */
const HARD_CONSONANTS = new Set(['č', 'š', 'ž', 'r', 't'])
const VOWELS = new Set(['a', 'e', 'o', 'u'])

/** Longest key kept; the database column holds 100 characters. */
const MAX_KEY_LENGTH = 100

const APOSTROPHES = /['’ʼʹʺ`´′″]/g
/** Stress marks (Серге́й) are not spelling. Breve and diaeresis are, and are composed by NFC before this runs. */
const STRESS_MARKS = /[\u0300\u0301]/g
const NOT_A_LETTER = /[^\p{L}\p{M}]+/u
const NOT_A_LETTER_OR_DIGIT = /[^\p{L}\p{M}\p{N}]+/gu
const MARKS_AFTER_LATIN = /(?<=[a-z])\p{M}+/gu
const LATIN_WITH_DIACRITIC = /[\u00c0-\u024f\u1e00-\u1eff]/g
const CYRILLIC = /[\u0400-\u04ff]/
const LATIN = /[a-z]/
/** Łacinka, the official Belarusian romanisation and Polish write х as "ch"; English writes ч as "ch". */
const CH_IS_KH_IN_NAME = /[ćčłńśšŭźžżóąę]|cz|sz/
/** Within one word, c before a vowel (Cichanouski) or w (Tichanowski) betrays the same spelling traditions. */
const CH_IS_KH_IN_WORD = /c[aeiouy]|w/
/** Polish rz is ж (Andrzej Poczobut); elsewhere r+z are two letters (Rzhev). */
const POLISH_IN_NAME = /[żóąę]|cz|sz/
const FINAL_ER = /([dt])[ae]r$/

/** Latin letters with diacritics → base letters, computed once from Unicode decompositions. */
const LATIN_FOLD: Readonly<Record<string, string>> = buildLatinFold()

function buildLatinFold(): Record<string, string> {
  const fold: Record<string, string> = {}
  for (const [first, last] of [[0x00c0, 0x024f], [0x1e00, 0x1eff]]) {
    for (let code = first; code <= last; code++) {
      const letter = String.fromCharCode(code)
      const base = LATIN_UNDECOMPOSABLE[letter] ?? letter.normalize('NFD').replace(/\p{M}+/gu, '')
      if (/^[a-zA-Z]+$/.test(base)) fold[letter] = base.toLowerCase()
    }
  }
  return fold
}

/** The same as LATIN_FOLD, but keeping the letters that matter for keys. */
const KEY_LATIN_FOLD: Readonly<Record<string, string>> = { ...LATIN_FOLD, ...LATIN_DIACRITIC_LETTERS }

/** Lower case, NFC, no stress marks or apostrophes (Дар'я is one word). */
function prepare(name: string): string {
  return name.toLowerCase().normalize('NFC').replace(STRESS_MARKS, '').replace(APOSTROPHES, '')
}

/**
 * A lighter normalisation for exact-ish matching and ranking: lower case, NFC, diacritics of Latin letters
 * stripped (ŭ→u, ł→l, č→c ...), Cyrillic left as is, punctuation → space, spaces collapsed, trimmed.
 * Apostrophes are dropped rather than turned into spaces, and Cyrillic stress marks removed, so that
 * "Дар'я" and "Серге́й" stay one word.
 */
export function foldName(name: string): string {
  return prepare(name)
    .replace(LATIN_WITH_DIACRITIC, (letter) => LATIN_FOLD[letter] ?? letter)
    .replace(MARKS_AFTER_LATIN, '')
    .replace(NOT_A_LETTER_OR_DIGIT, ' ')
    .trim()
}

/**
 * The search keys of each word of a name: the same key for every spelling of that word in Belarusian Latin
 * (official/BGN/passport romanisations), Łacinka, Russian-based romanisations (BGN, scholarly, popular
 * English like "Sergei Tikhanovsky"), Belarusian Cyrillic and Russian Cyrillic. Order follows the name;
 * repeated words removed; empty for a name with no letters. Hyphenated parts are separate words.
 *
 * Most words have one key. A Latin word with "la" or "lo" has two: Łacinka writes ля as "la" (Alaksandr,
 * Natalla, Palak) where every other romanisation writes ла, and nothing in the word says which it is, so
 * both readings are kept and either one matches.
 */
export function nameKeyGroups(name: string): string[][] {
  const prepared = prepare(name)
  const context: NameContext = {
    chIsKh: CH_IS_KH_IN_NAME.test(prepared),
    polish: POLISH_IN_NAME.test(prepared),
  }
  const groups: string[][] = []
  const seen = new Set<string>()
  for (const word of prepared.split(NOT_A_LETTER)) {
    if (word === '') continue
    const keys = [...new Set(wordReadings(word).map((reading) => wordKey(reading, context)))].filter((key) => key !== '')
    if (keys.length === 0 || seen.has(keys.join(' '))) continue
    seen.add(keys.join(' '))
    groups.push(keys)
  }
  return groups
}

/** Every key of every word of a name: what a query's words are looked up in. */
export function nameKeys(name: string): string[] {
  return [...new Set(nameKeyGroups(name).flat())]
}

/**
 * What is stored for a name claim: the keys of its words, and pair keys, so that a search for a full name
 * reads the few people who have two of its words rather than everyone with one of them (thousands are
 * called Aliaksandr). Pair keys hold a space, which word keys never do:
 * - a key for each two words of the name (in either order, each word by any of its keys), for its first
 *   MAX_PAIRED_WORDS words; a longer name also gets LONG_NAME_KEY, so a search still considers it;
 * - for a word read two ways (Łacinka "la"), a key for its two readings, so that two words of a query may
 *   both match that one word, as nameMatches allows.
 */
export function storedNameKeys(name: string): string[] {
  const groups = nameKeyGroups(name)
  const paired = groups.slice(0, MAX_PAIRED_WORDS)
  const across = paired.flatMap((first, i) => paired.slice(i + 1).flatMap((second) => pairKeys(first, second)))
  const within = groups.flatMap((keys) => keys.flatMap((a, i) => keys.slice(i + 1).map((b) => orderedPair(a, b))))
  const long = groups.length > MAX_PAIRED_WORDS ? [LONG_NAME_KEY] : []
  return [...new Set([...groups.flat(), ...across, ...within, ...long])]
}

/** The pair keys of two words, each word by any of its keys. */
export function pairKeys(first: readonly string[], second: readonly string[]): string[] {
  return [...new Set(first.flatMap((a) => second.map((b) => orderedPair(a, b))))]
}

/** Names rarely have more words than this; a longer name is found through LONG_NAME_KEY and its word keys. */
const MAX_PAIRED_WORDS = 8

/** Stored for names with more words than are paired: no word key or pair key can equal it. */
export const LONG_NAME_KEY = '*'

// Each half shortened so that a pair key fits the key column (search re-checks each word, so a shortened
// half can only add candidates, never lose one).
const orderedPair = (a: string, b: string): string => {
  const [x, y] = a < b ? [a, b] : [b, a]
  return `${x.slice(0, MAX_KEY_LENGTH / 2 - 1)} ${y.slice(0, MAX_KEY_LENGTH / 2)}`
}

/** What the whole name says about how its Latin words are spelt. */
interface NameContext {
  /** "ch" is х, not ч. */
  chIsKh: boolean
  /** "rz" is ж. */
  polish: boolean
}

const PLAIN_CONTEXT: NameContext = { chIsKh: false, polish: false }

/** Łacinka's l before a, o is ль (la = ля); ł is its hard л. Other romanisations' l before a vowel is hard. */
const LATIN_L_BEFORE_A_OR_O = /l(?=[aoó])/
const EVERY_LATIN_L_BEFORE_A_OR_O = new RegExp(LATIN_L_BEFORE_A_OR_O.source, 'g')

/** The ways a word can be read: as written, and for a Latin word with "la"/"lo" also as Łacinka (soft l). */
function wordReadings(word: string): string[] {
  if (CYRILLIC.test(word) || !LATIN_L_BEFORE_A_OR_O.test(word)) return [word]
  return [word, word.replace(EVERY_LATIN_L_BEFORE_A_OR_O, 'li')]
}

function wordKey(word: string, context: NameContext): string {
  const key = vowelClasses(latinSounds(toLatin(word, context), context))
  return ALIASES.get(key) ?? key
}

/** Any script → one Latin spelling with č š ž, soft vowels written with i, and Latin digraphs untouched. */
function toLatin(word: string, context: NameContext): string {
  const hasCyrillic = CYRILLIC.test(word)
  if (hasCyrillic && LATIN.test(word)) word = replaceChars(word, LATIN_LOOKALIKE_TO_CYRILLIC)
  let latin = ''
  for (let i = 0; i < word.length; i++) {
    const char = word[i]
    const cyrillic = CYRILLIC_TO_LATIN[char]
    if (cyrillic !== undefined) latin += cyrillic
    else latin += KEY_LATIN_FOLD[char] ?? char
  }
  if (context.polish) latin = latin.replace(/rz/g, 'ž')
  return latin.replace(MARKS_AFTER_LATIN, '')
}

/** Latin digraphs and spelling conventions → one letter per sound (i, y and j all become i). */
function latinSounds(latin: string, context: NameContext): string {
  const chIsKh = context.chIsKh || CH_IS_KH_IN_WORD.test(latin)
  return latin.replace(LATIN_UNIT, (unit, offset: number) => {
    const next = latin[offset + unit.length] ?? ''
    if (unit === 'ch') return chIsKh || isConsonant(next) ? 'g' : 'č'
    if (unit === 'c') {
      // Doubled: Łacinka цц before i (Tacciana), otherwise English k (Rebecca).
      const afterDouble = next === 'c' ? latin[offset + 2] : latin[offset - 1] === 'c' ? next : undefined
      if (afterDouble !== undefined) return afterDouble === 'i' ? 't' : 'k'
      // Łacinka/Polish c is ц (Cichanoŭski, Bialacki, Cvietkoŭ); English c before t, l, r is k (Victor, Clara).
      return 'tlr'.includes(next) && next !== '' ? 'k' : 't'
    }
    return LATIN_UNITS[unit]
  })
}

function isConsonant(char: string): boolean {
  return char !== '' && !'aeiouyj'.includes(char)
}

/**
 * Folds vowels into classes and reads i (from i, y, j) by its place:
 * - before a vowel it only softens or iotates it: ia/ya/я → e inside a word (yakanne: Сяргей/Сергей),
 *   "ia" at the end (Марыя, Наталля), ie/ye/е → e, io/yo/ё → e (Russian writes ё as е), iu/yu/ю → u;
 * - after a vowel and before a consonant or the end it is the glide й → j (Сяргей, Карней);
 * - otherwise it is the vowel і/и/ы → i, except at the end of a word after a consonant, where the Russian
 *   -ий/-ый ending is dropped because Belarusian shortens it (Евгений/Яўген, Тихановский/Ціханоўскі).
 * Also: о → a (akanne), е → a after the hard consonants, u after a vowel → v (ў: Balakhanau/Balakhanov),
 * a word-initial u before a consonant → v (Уладзімір/Владимир), doubled letters collapse.
 */
function vowelClasses(sounds: string): string {
  let key = ''
  let last = '' // the last letter written to key
  let afterVowel = false
  const write = (letter: string, isVowel: boolean) => {
    if (letter !== last) key += letter
    last = letter[letter.length - 1]
    afterVowel = isVowel
  }
  const writeE = () => write(HARD_CONSONANTS.has(last) && !afterVowel ? 'a' : 'e', true)

  for (let i = 0; i < sounds.length; ) {
    const sound = sounds[i]
    if (sound === 'i') {
      let end = i
      while (sounds[end] === 'i') end++
      const next = sounds[end] ?? ''
      if (VOWELS.has(next)) {
        if (next === 'u') write('u', true)
        else if (next === 'a' && end === sounds.length - 1) write('ia', true)
        else writeE()
        i = end + 1
        continue
      }
      if (afterVowel) write('j', false)
      else if (next !== '' || key === '') write('i', true)
      i = end
      continue
    }
    if (sound === 'u' && (afterVowel || (key === '' && isConsonant(sounds[i + 1] ?? '')))) write('v', false)
    else if (sound === 'o' || sound === 'a') write('a', true)
    else if (sound === 'e') writeE()
    else if (sound === 'u') write('u', true)
    else if (!(sound === 't' && sounds[i + 1] === 'č')) write(sound, false) // тч is ч (Ратченко/Ratchenko)
    i++
  }
  return key.replace(FINAL_ER, '$1r').slice(0, MAX_KEY_LENGTH)
}

function replaceChars(text: string, table: Readonly<Record<string, string>>): string {
  let result = ''
  for (const char of text) result += table[char] ?? char
  return result
}

/** variant key → canonical key, compiled from GIVEN_NAME_VARIANTS. */
const ALIASES: ReadonlyMap<string, string> = new Map(
  GIVEN_NAME_VARIANTS.map(([variant, canonical]) => [
    vowelClasses(latinSounds(toLatin(prepare(variant), PLAIN_CONTEXT), PLAIN_CONTEXT)),
    vowelClasses(latinSounds(toLatin(prepare(canonical), PLAIN_CONTEXT), PLAIN_CONTEXT)),
  ]),
)
