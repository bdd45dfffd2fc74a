/**
 * The benchmark's data set: deterministic (one seeded PRNG, never Math.random), so every run at the
 * same DATASET_VERSION and record count builds the same records, sources and ids.
 *
 * Shaped like a large registry such as Viasna's:
 * - Names in the spellings such a registry really receives: Belarusian names in the official/BGN Latin
 *   romanisation, in Russian-based Latin, in Belarusian and Russian Cyrillic and in Łacinka; a share
 *   of Polish, Lithuanian and Japanese names; a few people not yet identified (name null). Each named
 *   record has its preferred spelling and one alternative spelling, so search across spellings matters.
 *   Given names and surnames repeat, as real ones do: a full name is shared by a handful of people.
 * - Every value carries TWO citations from two different sources with archived text: a "bulletin" that
 *   covers 50 consecutive records and a "court report" that covers 40, worded differently. Each source's
 *   text is generated to contain the exact sentences the citations quote, so the real evidence check
 *   (invariant 2) locates every quote. Sources are article-sized (about 20-30 KB), as real ones are.
 */

export const DATASET_VERSION = 'v2'

const BULLETIN_SIZE = 50
const REPORT_SIZE = 40

/** sfc32: small, fast, good enough for test data; seeded from a string. */
export class Prng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: string) {
    let h = 1779033703 ^ seed.length
    for (let i = 0; i < seed.length; i++) {
      h = Math.imul(h ^ seed.charCodeAt(i), 3432918353)
      h = (h << 13) | (h >>> 19)
    }
    const next = () => {
      h = Math.imul(h ^ (h >>> 16), 2246822507)
      h = Math.imul(h ^ (h >>> 13), 3266489909)
      return (h ^= h >>> 16) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 15; i++) this.next()
  }

  /** A float in [0, 1). */
  next(): number {
    this.a >>>= 0
    this.b >>>= 0
    this.c >>>= 0
    this.d >>>= 0
    let t = (this.a + this.b) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.d = (this.d + 1) | 0
    t = (t + this.d) | 0
    this.c = (this.c + t) | 0
    return (t >>> 0) / 4294967296
  }

  int(below: number): number {
    return Math.floor(this.next() * below)
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  /** A random (version 4 shaped) UUID from this generator. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(16).toString(16))
    hex[12] = '4'
    hex[16] = '89ab'[this.int(4)]
    const s = hex.join('')
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
  }
}

/** The spellings of one Belarusian name part. */
type Spellings = readonly [beLatin: string, ruLatin: string, beCyrillic: string, ruCyrillic: string, lacinka: string]
const SCRIPTS = ['be-Latn (official)', 'ru-Latn', 'be-Cyrl', 'ru-Cyrl', 'Łacinka'] as const
type Script = 0 | 1 | 2 | 3 | 4
/** How often each spelling is the preferred one: mostly the official Latin, then Cyrillic. */
const SCRIPT_WEIGHTS: readonly number[] = [0.4, 0.15, 0.2, 0.15, 0.1]

const MALE_GIVEN: readonly Spellings[] = [
  ['Siarhei', 'Sergei', 'Сяргей', 'Сергей', 'Siarhiej'],
  ['Aliaksandr', 'Aleksandr', 'Аляксандр', 'Александр', 'Alaksandr'],
  ['Ihar', 'Igor', 'Ігар', 'Игорь', 'Ihar'],
  ['Mikalai', 'Nikolai', 'Мікалай', 'Николай', 'Mikałaj'],
  ['Uladzimir', 'Vladimir', 'Уладзімір', 'Владимир', 'Uładzimir'],
  ['Dzmitry', 'Dmitry', 'Дзмітрый', 'Дмитрий', 'Dzmitry'],
  ['Andrei', 'Andrey', 'Андрэй', 'Андрей', 'Andrej'],
  ['Kiryl', 'Kirill', 'Кірыл', 'Кирилл', 'Kirył'],
  ['Pavel', 'Pavel', 'Павел', 'Павел', 'Pavieł'],
  ['Yauhen', 'Evgeny', 'Яўген', 'Евгений', 'Jaŭhien'],
  ['Viktar', 'Viktor', 'Віктар', 'Виктор', 'Viktar'],
  ['Raman', 'Roman', 'Раман', 'Роман', 'Raman'],
  ['Maksim', 'Maksim', 'Максім', 'Максим', 'Maksim'],
  ['Aliaksei', 'Aleksei', 'Аляксей', 'Алексей', 'Alaksiej'],
  ['Yury', 'Yuri', 'Юрый', 'Юрий', 'Jury'],
  ['Vasil', 'Vasily', 'Васіль', 'Василий', 'Vasil'],
  ['Mikhail', 'Mikhail', 'Міхаіл', 'Михаил', 'Michaił'],
  ['Artsiom', 'Artem', 'Арцём', 'Артём', 'Arciom'],
  ['Ales', 'Ales', 'Алесь', 'Алесь', 'Aleś'],
  ['Leanid', 'Leonid', 'Леанід', 'Леонид', 'Leanid'],
]
const FEMALE_GIVEN: readonly Spellings[] = [
  ['Natallia', 'Natalia', 'Наталля', 'Наталья', 'Natalla'],
  ['Maryia', 'Maria', 'Марыя', 'Мария', 'Maryja'],
  ['Volha', 'Olga', 'Вольга', 'Ольга', 'Volha'],
  ['Halina', 'Galina', 'Галіна', 'Галина', 'Halina'],
  ['Tatsiana', 'Tatiana', 'Таццяна', 'Татьяна', 'Tacciana'],
  ['Alena', 'Elena', 'Алена', 'Елена', 'Alena'],
  ['Iryna', 'Irina', 'Ірына', 'Ирина', 'Iryna'],
  ['Hanna', 'Anna', 'Ганна', 'Анна', 'Hanna'],
  ['Katsiaryna', 'Ekaterina', 'Кацярына', 'Екатерина', 'Kaciaryna'],
  ['Yulia', 'Yulia', 'Юлія', 'Юлия', 'Julija'],
  ['Sviatlana', 'Svetlana', 'Святлана', 'Светлана', 'Śviatłana'],
  ['Liudmila', 'Lyudmila', 'Людміла', 'Людмила', 'Ludmiła'],
]

/** Surnames are a stem and an ending, each with its five spellings, so hundreds of surnames come out right. */
const STEMS: readonly Spellings[] = [
  ['Tsikhan', 'Tikhan', 'Ціхан', 'Тихан', 'Cichan'],
  ['Karn', 'Karn', 'Карн', 'Карн', 'Karn'],
  ['Balakhan', 'Balakhan', 'Балахан', 'Балахан', 'Bałachan'],
  ['Kaval', 'Koval', 'Кавал', 'Ковал', 'Kavał'],
  ['Mikhal', 'Mikhal', 'Міхал', 'Михал', 'Michał'],
  ['Dubr', 'Dubr', 'Дубр', 'Дубр', 'Dubr'],
  ['Sakal', 'Sokol', 'Сакал', 'Сокол', 'Sakał'],
  ['Zhuk', 'Zhuk', 'Жук', 'Жук', 'Žuk'],
  ['Hrab', 'Grab', 'Граб', 'Граб', 'Hrab'],
  ['Paliak', 'Polyak', 'Паляк', 'Поляк', 'Palak'],
  ['Kazl', 'Kozl', 'Казл', 'Козл', 'Kazł'],
  ['Barys', 'Boris', 'Барыс', 'Борис', 'Barys'],
  ['Lysen', 'Lysen', 'Лысен', 'Лысен', 'Łysien'],
  ['Marozav', 'Morozov', 'Марозав', 'Морозов', 'Marozav'],
  ['Navik', 'Novik', 'Навік', 'Новик', 'Navik'],
  ['Pratas', 'Protas', 'Пратас', 'Протас', 'Pratas'],
  ['Sidar', 'Sidor', 'Сідар', 'Сидор', 'Sidar'],
  ['Shap', 'Shap', 'Шап', 'Шап', 'Šap'],
  ['Yakub', 'Yakub', 'Якуб', 'Якуб', 'Jakub'],
  ['Kuzmin', 'Kuzmin', 'Кузьмін', 'Кузьмин', 'Kuźmin'],
  ['Ramanav', 'Romanov', 'Раманав', 'Романов', 'Ramanav'],
  ['Lebiad', 'Lebed', 'Лебяд', 'Лебед', 'Labiad'],
  ['Hurk', 'Gurk', 'Гурк', 'Гурк', 'Hurk'],
  ['Zaits', 'Zayts', 'Зайц', 'Зайц', 'Zajc'],
  ['Kupr', 'Kupr', 'Купр', 'Купр', 'Kupr'],
  ['Bialiats', 'Beliats', 'Бяляц', 'Беляц', 'Bialac'],
  ['Losik', 'Losik', 'Лосік', 'Лосик', 'Łosik'],
  ['Sharap', 'Sharap', 'Шарап', 'Шарап', 'Šarap'],
  ['Kalesn', 'Kolesn', 'Калесн', 'Колесн', 'Kalesn'],
  ['Babar', 'Babar', 'Бабар', 'Бабар', 'Babar'],
  ['Statk', 'Statk', 'Статк', 'Статк', 'Statk'],
  ['Znak', 'Znak', 'Знак', 'Знак', 'Znak'],
  ['Lapt', 'Lapt', 'Лапт', 'Лапт', 'Lapt'],
  ['Hryb', 'Grib', 'Грыб', 'Гриб', 'Hryb'],
  ['Pusht', 'Pusht', 'Пушт', 'Пушт', 'Pušt'],
  ['Sav', 'Sav', 'Сав', 'Сав', 'Sav'],
  ['Kupal', 'Kupal', 'Купал', 'Купал', 'Kupał'],
  ['Yarosh', 'Yarosh', 'Ярош', 'Ярош', 'Jaroš'],
  ['Haluz', 'Galuz', 'Галуз', 'Галуз', 'Hałuz'],
  ['Dzianis', 'Denis', 'Дзяніс', 'Денис', 'Dzianis'],
  ['Tarasev', 'Tarasev', 'Тарасев', 'Тарасев', 'Tarasiev'],
  ['Kurl', 'Kurl', 'Курл', 'Курл', 'Kurł'],
  ['Bandar', 'Bondar', 'Бандар', 'Бондар', 'Bandar'],
  ['Kalin', 'Kalin', 'Калін', 'Калин', 'Kalin'],
  ['Mash', 'Mash', 'Маш', 'Маш', 'Maš'],
  ['Rud', 'Rud', 'Руд', 'Руд', 'Rud'],
  ['Tsvirk', 'Tsvirk', 'Цвірк', 'Цвирк', 'Cvirk'],
  ['Charn', 'Chern', 'Чарн', 'Черн', 'Čarn'],
  ['Byk', 'Byk', 'Бык', 'Бык', 'Byk'],
  ['Klim', 'Klim', 'Клім', 'Клим', 'Klim'],
  ['Lits', 'Lits', 'Ліц', 'Лиц', 'Lic'],
  ['Prakap', 'Prokop', 'Пракап', 'Прокоп', 'Prakap'],
  ['Ramashk', 'Romashk', 'Рамашк', 'Ромашк', 'Ramašk'],
  ['Zhyl', 'Zhil', 'Жыл', 'Жил', 'Žyl'],
  ['Shchyr', 'Shchir', 'Шчыр', 'Щир', 'Ščyr'],
  ['Varan', 'Voron', 'Варан', 'Ворон', 'Varan'],
  ['Hanchar', 'Gonchar', 'Ганчар', 'Гончар', 'Hančar'],
  ['Dud', 'Dud', 'Дуд', 'Дуд', 'Dud'],
  ['Makar', 'Makar', 'Макар', 'Макар', 'Makar'],
  ['Hlush', 'Glush', 'Глуш', 'Глуш', 'Hłuš'],
  ['Stral', 'Strel', 'Страл', 'Стрел', 'Stral'],
]
/** Endings: [male spellings, female spellings]. */
const ENDINGS: readonly (readonly [Spellings, Spellings])[] = [
  [['ouski', 'ovsky', 'оўскі', 'овский', 'oŭski'], ['ouskaya', 'ovskaya', 'оўская', 'овская', 'oŭskaja']],
  [['enka', 'enko', 'энка', 'енко', 'enka'], ['enka', 'enko', 'энка', 'енко', 'enka']],
  [['evich', 'evich', 'евіч', 'евич', 'ievič'], ['evich', 'evich', 'евіч', 'евич', 'ievič']],
  [['chuk', 'chuk', 'чук', 'чук', 'čuk'], ['chuk', 'chuk', 'чук', 'чук', 'čuk']],
  [['ionak', 'ionok', 'ёнак', 'ёнок', 'ionak'], ['ionak', 'ionok', 'ёнак', 'ёнок', 'ionak']],
  [['ski', 'sky', 'скі', 'ский', 'ski'], ['skaya', 'skaya', 'ская', 'ская', 'skaja']],
  [['ovich', 'ovich', 'овіч', 'ович', 'ovič'], ['ovich', 'ovich', 'овіч', 'ович', 'ovič']],
  [['au', 'ov', 'аў', 'ов', 'aŭ'], ['ava', 'ova', 'ава', 'ова', 'ava']],
  [['ik', 'ik', 'ік', 'ик', 'ik'], ['ik', 'ik', 'ік', 'ик', 'ik']],
]

/** Names of other nationals: given names and surnames by gender ([male, female] forms of a surname). */
interface ForeignNames {
  nationality: string
  male: readonly string[]
  female: readonly string[]
  surnames: readonly (readonly [string, string])[]
  /** Family name first, as the name is written in its own script (Japanese). */
  familyFirst?: boolean
  /** The spelling other sources give: romanised (Japanese) or without diacritics. */
  alternative: (given: string, surname: string) => string
}

const withoutDiacritics = (text: string) => text.replace(/ł/g, 'l').replace(/Ł/g, 'L').normalize('NFD').replace(/\p{M}+/gu, '')
const latinAlternative = (given: string, surname: string) => {
  const plain = withoutDiacritics(`${given} ${surname}`)
  // Registries that list surnames first: the other spelling of a name without diacritics.
  return plain === `${given} ${surname}` ? `${surname} ${given}` : plain
}

const POLISH: ForeignNames = {
  nationality: 'PL',
  male: ['Andrzej', 'Wojciech', 'Grzegorz', 'Tomasz', 'Paweł'],
  female: ['Katarzyna', 'Małgorzata', 'Agnieszka', 'Magdalena', 'Joanna'],
  surnames: [
    ['Wiśniewski', 'Wiśniewska'], ['Zieliński', 'Zielińska'], ['Szymański', 'Szymańska'], ['Łukaszewicz', 'Łukaszewicz'],
    ['Poczobut', 'Poczobut'], ['Kowalczyk', 'Kowalczyk'], ['Woźniak', 'Woźniak'], ['Kamiński', 'Kamińska'],
    ['Lewandowski', 'Lewandowska'], ['Dąbrowski', 'Dąbrowska'], ['Mazur', 'Mazur'], ['Krawczyk', 'Krawczyk'],
    ['Grabowski', 'Grabowska'], ['Pawłowski', 'Pawłowska'], ['Michalski', 'Michalska'],
  ],
  alternative: latinAlternative,
}
const LITHUANIAN: ForeignNames = {
  nationality: 'LT',
  male: ['Jonas', 'Vytautas', 'Mindaugas', 'Darius', 'Tomas'],
  female: ['Rūta', 'Aistė', 'Eglė', 'Jurgita', 'Ieva'],
  surnames: [
    ['Kazlauskas', 'Kazlauskienė'], ['Petrauskas', 'Petrauskienė'], ['Jankauskas', 'Jankauskienė'], ['Žukauskas', 'Žukauskienė'],
    ['Butkus', 'Butkienė'], ['Paulauskas', 'Paulauskienė'], ['Vasiliauskas', 'Vasiliauskienė'], ['Stankevičius', 'Stankevičienė'],
  ],
  alternative: latinAlternative,
}
const ROMAJI: Record<string, string> = {
  佐藤: 'Satō', 鈴木: 'Suzuki', 高橋: 'Takahashi', 田中: 'Tanaka', 伊藤: 'Itō', 渡辺: 'Watanabe', 山本: 'Yamamoto', 中村: 'Nakamura',
  健: 'Ken', 明宏: 'Akihiro', 誠: 'Makoto', 翔太: 'Shōta', 大輔: 'Daisuke', 由美: 'Yumi', 陽子: 'Yōko', 美咲: 'Misaki', 結衣: 'Yui',
}
const JAPANESE: ForeignNames = {
  nationality: 'JP',
  male: ['健', '明宏', '誠', '翔太', '大輔'],
  female: ['由美', '陽子', '美咲', '結衣'],
  surnames: ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村'].map((family) => [family, family] as const),
  familyFirst: true,
  alternative: (given, surname) => `${ROMAJI[given]} ${ROMAJI[surname]}`,
}

function foreignName(rng: Prng, names: ForeignNames): [string, string] {
  const female = rng.next() < 0.4
  const given = rng.pick(female ? names.female : names.male)
  const surname = rng.pick(names.surnames)[female ? 1 : 0]
  return [names.familyFirst ? `${surname} ${given}` : `${given} ${surname}`, names.alternative(given, surname)]
}

const CHARGES = [
  'organising mass unrest',
  'inciting hatred',
  'insulting the president',
  'participation in an extremist formation',
  'calls to action harming national security',
  'treason',
  'violence against a police officer',
  'defamation of the president',
  'facilitating extremist activity',
  'gross violation of public order',
]
const REGIMES = ['general-regime', 'enhanced-regime', 'high-security', 'strict-regime']
const PLACES: readonly (readonly [country: string, countryName: string, place: string])[] = [
  ['LT', 'Lithuania', 'Vilnius'],
  ['PL', 'Poland', 'Warsaw'],
  ['LT', 'Lithuania', 'Kaunas'],
  ['DE', 'Germany', 'Berlin'],
]
const COUNTRY_WORD: Record<string, string> = { BY: 'Belarus', PL: 'Poland', LT: 'Lithuania', JP: 'Japan' }
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

export interface GeneratedSource {
  id: string
  title: string
  publisher: string
  url: string
  publishedAt: string
  language: string
  kind: 'ngo' | 'court'
  content: string
}

export interface GeneratedRecord {
  id: string
  /** The body of POST /v1/prisoners. */
  body: Record<string, unknown>
  /** Spellings a search may use for this person (preferred first); empty for the unnamed. */
  names: string[]
}

interface Person {
  index: number
  id: string
  name: string | null
  alternative: string | null
  /** Other spellings of the same person, for search queries (not stored). */
  otherSpellings: string[]
  nationality: string
  status: 'detained' | 'released' | 'deceased'
  sentence: { text: string; termMonths: number; sentencedIn: string; charges: string[] }
  releaseDate: string | null
  releaseWords: string | null
  destination: { country: string; countryName: string; place: string } | null
}

function weightedScript(rng: Prng): Script {
  let x = rng.next()
  for (let i = 0; i < SCRIPT_WEIGHTS.length; i++) {
    x -= SCRIPT_WEIGHTS[i]
    if (x < 0) return i as Script
  }
  return 0
}

function belarusianName(rng: Prng): { spellings: string[]; nationality: string } {
  const female = rng.next() < 0.3
  const given = rng.pick(female ? FEMALE_GIVEN : MALE_GIVEN)
  const stem = rng.pick(STEMS)
  const ending = rng.pick(ENDINGS)[female ? 1 : 0]
  const spellings = SCRIPTS.map((_, s) => `${given[s]} ${stem[s]}${ending[s]}`)
  return { spellings, nationality: 'BY' }
}

function makePerson(rng: Prng, index: number): Person {
  const id = rng.uuid()
  let name: string | null
  let alternative: string | null
  let otherSpellings: string[] = []
  let nationality = 'BY'
  const kind = rng.next()
  if (kind < 0.03) {
    // Not yet identified: a source reports the person without a name.
    name = null
    alternative = null
  } else if (kind < 0.95) {
    const { spellings } = belarusianName(rng)
    const preferred = weightedScript(rng)
    let other = weightedScript(rng)
    // The alternative is a different spelling, not the same one again.
    if (spellings[other] === spellings[preferred]) other = (((preferred as number) + 2) % 5) as Script
    name = spellings[preferred]
    alternative = spellings[other] === name ? null : spellings[other]
    otherSpellings = spellings.filter((s) => s !== name)
  } else {
    const group = kind < 0.98 ? POLISH : kind < 0.995 ? LITHUANIAN : JAPANESE
    nationality = group.nationality
    ;[name, alternative] = foreignName(rng, group)
    otherSpellings = [alternative]
  }
  const statusRoll = rng.next()
  const status = statusRoll < 0.72 ? 'detained' : statusRoll < 0.97 ? 'released' : 'deceased'
  const years = 1 + rng.int(20)
  const extra = rng.next() < 0.2 ? 6 * (1 + rng.int(4)) : 0
  const regime = rng.pick(REGIMES)
  const sentencedIn = String(2020 + rng.int(6))
  const charges = [rng.pick(CHARGES)]
  if (rng.next() < 0.5) {
    const second = rng.pick(CHARGES)
    if (second !== charges[0]) charges.push(second)
  }
  const text = `${years} years in ${/^[aeiou]/.test(regime) ? 'an' : 'a'} ${regime} penal colony${extra ? `, extended by ${extra} months` : ''}`
  let releaseDate: string | null = null
  let releaseWords: string | null = null
  let destination: Person['destination'] = null
  if (status === 'released') {
    const year = Number(sentencedIn) + 1 + rng.int(3)
    const month = 1 + rng.int(12)
    const day = 1 + rng.int(28)
    releaseDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
    releaseWords = `${day} ${MONTHS[month - 1]} ${year}`
    if (rng.next() < 0.6) {
      const [country, countryName, place] = rng.pick(PLACES)
      destination = { country, countryName, place }
    }
  }
  return {
    index,
    id,
    name,
    alternative,
    otherSpellings,
    nationality,
    status,
    sentence: { text, termMonths: years * 12 + extra, sentencedIn, charges },
    releaseDate,
    releaseWords,
    destination,
  }
}

/** The sentences one source says about one person, and the quotes that cite them, by field. */
interface Passage {
  text: string
  quotes: Record<string, string>
}

function subject(person: Person, source: 'bulletin' | 'report'): string {
  if (person.name) return person.name
  return source === 'bulletin' ? `A detainee listed as number ${person.index + 1}` : `The prisoner registered as case ${person.index + 1}`
}

function passage(person: Person, source: 'bulletin' | 'report'): Passage {
  const who = subject(person, source)
  const s = person.sentence
  const charges = s.charges.join(' and ')
  const quotes: Record<string, string> = {}
  const sentences: string[] = []
  const say = (field: string | null, sentence: string, quote = sentence) => {
    sentences.push(sentence)
    if (field) quotes[field] = quote
  }
  if (source === 'bulletin') {
    say('name', `${who} is a citizen of ${COUNTRY_WORD[person.nationality]}.`, `${who} is a citizen of ${COUNTRY_WORD[person.nationality]}`)
    quotes.nationality = quotes.name
    if (person.alternative) say('nameAlternative', `Some reports spell the name as ${person.alternative}.`, `spell the name as ${person.alternative}`)
    say('sentence', `In ${s.sentencedIn}, ${who} was sentenced to ${s.text} on charges of ${charges}.`)
    if (person.status === 'detained') say('status', `${who} remains behind bars.`)
    if (person.status === 'deceased') say('status', `${who} died in custody.`)
    if (person.status === 'released') say('status', `${who} was released on ${person.releaseWords}.`)
    quotes.releaseDate = quotes.status
    if (person.destination) {
      say('destination', `After the release ${who} was taken to ${person.destination.place}, ${person.destination.countryName}.`)
    }
  } else {
    say('name', `Case ${person.index + 1}: ${who} (${COUNTRY_WORD[person.nationality]}).`, `Case ${person.index + 1}: ${who} (${COUNTRY_WORD[person.nationality]})`)
    quotes.nationality = quotes.name
    if (person.alternative) say('nameAlternative', `Also written ${person.alternative}.`, `Also written ${person.alternative}`)
    say('sentence', `The court imposed ${s.text} in ${s.sentencedIn} for ${charges}.`)
    const status = person.status === 'detained' ? 'is still serving the sentence' : person.status === 'deceased' ? 'died in prison' : `was freed on ${person.releaseWords}`
    say('status', `According to the court register, ${who} ${status}.`, `${who} ${status}`)
    quotes.releaseDate = quotes.status
    if (person.destination) say('destination', `The same day ${who} crossed into ${person.destination.countryName} and arrived in ${person.destination.place}.`)
  }
  return { text: sentences.join(' '), quotes }
}

function cited(bulletinId: string, reportId: string, bulletin: Passage, report: Passage, field: string) {
  return [
    { sourceId: bulletinId, quote: bulletin.quotes[field] },
    { sourceId: reportId, quote: report.quotes[field] },
  ]
}

function recordBody(person: Person, bulletinId: string, reportId: string, bulletin: Passage, report: Passage): Record<string, unknown> {
  const cite = (field: string) => cited(bulletinId, reportId, bulletin, report, field)
  const body: Record<string, unknown> = {
    nationality: { value: person.nationality, citations: cite('nationality') },
    status: { value: person.status, citations: cite('status') },
    sentence: { value: person.sentence, citations: cite('sentence') },
    comment: `Benchmark data set ${DATASET_VERSION}, record ${person.index + 1}.`,
  }
  if (person.name) {
    body.name = {
      value: person.name,
      citations: cite('name'),
      ...(person.alternative ? { alternatives: [{ value: person.alternative, citations: cite('nameAlternative') }] } : {}),
    }
  }
  if (person.releaseDate) body.releaseDate = { value: person.releaseDate, citations: cite('releaseDate') }
  if (person.destination) {
    body.destination = { value: { country: person.destination.country, place: person.destination.place }, citations: cite('destination') }
  }
  return body
}

export interface Dataset {
  sources: GeneratedSource[]
  /** Records in creation order; every source they cite comes before them in `sources`. */
  records: GeneratedRecord[]
}

/** The whole data set for `count` records. Deterministic: the same count gives the same data. */
export function generateDataset(count: number): Dataset {
  const rng = new Prng(`prisoner-registry-bench-${DATASET_VERSION}`)
  const people = Array.from({ length: count }, (_, i) => makePerson(rng, i))
  const sources: GeneratedSource[] = []
  const passages = people.map((person) => ({ bulletin: passage(person, 'bulletin'), report: passage(person, 'report') }))

  const bulletinIds: string[] = []
  for (let start = 0, n = 1; start < count; start += BULLETIN_SIZE, n++) {
    const id = rng.uuid()
    bulletinIds.push(id)
    const group = passages.slice(start, start + BULLETIN_SIZE)
    sources.push({
      id,
      title: `Political prisoners bulletin no. ${n}`,
      publisher: 'Bench Human Rights Centre',
      url: `https://bench.example/bulletins/${n}`,
      publishedAt: `20${20 + (n % 6)}-${String(1 + (n % 12)).padStart(2, '0')}`,
      language: 'en',
      kind: 'ngo',
      content: `Bulletin no. ${n}. This bulletin lists people recognised as political prisoners.\n\n${group.map((p) => p.bulletin.text).join('\n\n')}\n`,
    })
  }
  const reportIds: string[] = []
  for (let start = 0, n = 1; start < count; start += REPORT_SIZE, n++) {
    const id = rng.uuid()
    reportIds.push(id)
    const group = passages.slice(start, start + REPORT_SIZE)
    sources.push({
      id,
      title: `Court monitoring report no. ${n}`,
      publisher: 'Bench Trial Monitors',
      url: `https://bench.example/court-reports/${n}`,
      publishedAt: `20${20 + (n % 6)}`,
      language: 'en',
      kind: 'court',
      content: `Court monitoring report no. ${n}.\n\n${group.map((p) => p.report.text).join('\n')}\n`,
    })
  }

  const records = people.map((person, i) => {
    const bulletinId = bulletinIds[Math.floor(i / BULLETIN_SIZE)]
    const reportId = reportIds[Math.floor(i / REPORT_SIZE)]
    const { bulletin, report } = passages[i]
    return {
      id: person.id,
      body: recordBody(person, bulletinId, reportId, bulletin, report),
      names: person.name ? [person.name, ...person.otherSpellings] : [],
    }
  })
  return { sources, records }
}

/**
 * Bodies for the create scenario (POST): new records whose evidence is real (they re-cite passages of
 * the data set's people, so every quote occurs in its source), in one of two orders:
 * - `in-order`: consecutive people, so consecutive creates cite the same few sources, as a volunteer
 *   entering the people named in one article (or an import of a registry) does;
 * - `random`: each create cites two sources picked at random among all of them, the worst case for any
 *   per-source cache.
 */
export function extraRecordBodies(dataset: Dataset, count: number, order: 'in-order' | 'random'): Record<string, unknown>[] {
  const rng = new Prng(`prisoner-registry-bench-${DATASET_VERSION}-extra-${order}`)
  const start = rng.int(dataset.records.length)
  return Array.from({ length: count }, (_, i) => {
    const index = order === 'in-order' ? (start + i) % dataset.records.length : rng.int(dataset.records.length)
    return { ...dataset.records[index].body, comment: 'Benchmark create scenario.' }
  })
}

export const SCRIPT_NAMES = SCRIPTS
