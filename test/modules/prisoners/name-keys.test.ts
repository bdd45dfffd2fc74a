import t from 'tap'
import { nameKeys, foldName } from '../../../src/modules/prisoners/name-keys'

/** Each group is one person's name in every spelling we must bring together. */
const SAME_NAME: string[][] = [
  [
    'Siarhei Tsikhanouski', 'Syarhei Tsikhanouski', 'Sergei Tikhanovsky', 'Sergey Tikhanovskiy',
    'Сергей Тихановский', 'Сяргей Ціханоўскі', 'Siarhiej Cichanoŭski', 'Syarhey Tsikhanouski',
    'Siarhey Tsikhanouski',
  ],
  ['Halina Krasnianskaya', 'Galina Krasnyanskaya', 'Галіна Краснянская', 'Галина Краснянская'],
  ['Kiryl Balakhanau', 'Kirill Balakhanov', 'Кірыл Балаханаў', 'Кирилл Балаханов'],
  ['Ihar Karnei', 'Ihar Karney', 'Igor Karnei', 'Ігар Карней', 'Игорь Карней'],
  ['Natallia Dulina', 'Natalia Dulina', 'Natalya Dulina', 'Наталля Дуліна', 'Наталья Дулина'],
  [
    'Aliaksandr Lukashenka', 'Alexander Lukashenko', 'Aleksandr Lukashenko', 'Аляксандр Лукашэнка',
    'Александр Лукашенко',
  ],
  ['Dzmitry Dashkevich', 'Dmitry Dashkevich', 'Дзмітрый Дашкевіч', 'Дмитрий Дашкевич'],
  ['Yauhen Afnahel', 'Yevgeny Afnagel', 'Яўген Афнагель', 'Евгений Афнагель'],
  ['Viktar Babaryka', 'Viktor Babariko', 'Віктар Бабарыка', 'Виктор Бабарико'],
  ['Maryia Kalesnikava', 'Maria Kolesnikova', 'Марыя Калеснікава', 'Мария Колесникова'],
]

/** More spellings the rules and the given-name table are meant to cover. */
const ALSO_SAME_NAME: string[][] = [
  [
    'Sviatlana Tsikhanouskaya', 'Svetlana Tikhanovskaya', 'Святлана Ціханоўская', 'Светлана Тихановская',
    'Sviatlana Cichanoŭskaja',
  ],
  ['Ales Bialiatski', 'Ales Byalyatsky', 'Алесь Бяляцкі', 'Алесь Беляцкий'],
  ['Mikalai Statkevich', 'Nikolai Statkevich', 'Mikola Statkevich', 'Мікалай Статкевіч', 'Николай Статкевич'],
  ['Zmitser Dashkevich', 'Źmicier Daškievič', 'Dzmitry Dashkevich'],
  ['Alaksandar Łukašenka', 'Aliaksandr Lukashenka'],
  ['Raman Pratasevich', 'Roman Protasevich', 'Раман Пратасевіч', 'Роман Протасевич'],
  ['Andrzej Poczobut', 'Анджэй Пачобут'],
  ['Uladzimir', 'Vladimir', 'Уладзімір', 'Владимир'],
  ['Volha', 'Olga', 'Вольга', 'Ольга'],
  ['Hanna', 'Anna', 'Ганна', 'Анна'],
  ['Alena', 'Yelena', 'Elena', 'Алена', 'Елена'],
  ['Katsiaryna', 'Yekaterina', 'Ekaterina', 'Кацярына', 'Екатерина'],
  ['Piatro', 'Pyotr', 'Petr', 'Peter', 'Пятро', 'Пётр'],
  ['Yury', 'Yuri', 'Iurii', 'Jury', 'Юрый', 'Юрий'],
  ['Yulia', 'Yuliya', 'Iuliia', 'Julija', 'Юлія', 'Юлия'],
  ['Yahor', 'Yegor', 'Egor', 'Ягор', 'Егор'],
  ['Viachaslau', 'Vyacheslav', 'Вячаслаў', 'Вячеслав'],
  ['Shauchenka', 'Shevchenko', 'Шаўчэнка', 'Шевченко'],
  ['Stsiapan', 'Stepan', 'Сцяпан', 'Степан'],
  ['Dzianis', 'Denis', 'Дзяніс', 'Денис'],
  ['Tatsiana', 'Tatyana', 'Tatiana', 'Таццяна', 'Татьяна'],
  ['Siamion', 'Semyon', 'Semen', 'Сямён', 'Семён', 'Семен'],
  ['Salaujou', 'Solovyov', 'Soloviev', 'Салаўёў', 'Соловьёв'],
  ['Maksim', 'Maxim', 'Максім', 'Максим'],
  ['Daria', "Dar'ya", 'Дар’я', 'Дарья'],
  ['Ilya', 'Illia', 'Ілля', 'Илья'],
  ['Mariya', 'Mariia', 'Maryja'],
  ['Victor', 'Viktar'],
  ['Siarhiej Cichanouski', 'Siarhei Tsikhanouski'],
]

/** Pairs of different names (or different words) that must keep different keys. */
const DIFFERENT_NAMES: Array<[string, string]> = [
  ['Karnei', 'Kirill'],
  ['Ihar', 'Ivan'],
  ['Ihar', 'Yahor'],
  ['Halina', 'Alina'],
  ['Natallia', 'Nadia'],
  ['Balakhanau', 'Balashov'],
  // The female and male forms of a surname are different people's names.
  ['Tsikhanouski', 'Tsikhanouskaya'],
  ['Maryia', 'Marat'],
  ['Maria', 'Mara'],
  ['Pavel', 'Paulina'],
  // Only systematic Belarusian–Russian vowel differences are folded; у/а is not one, so these stay apart.
  ['Dulina', 'Dalina'],
  ['Lena', 'Lina'],
  ['Yana', 'Anna'],
  ['Alla', 'Ella'],
  ['Oleg', 'Olga'],
  ['Dashkevich', 'Dashkevikh'],
]

const key = (word: string): string => {
  const keys = nameKeys(word)
  if (keys.length !== 1) throw new Error(`expected one key for ${word}, got ${JSON.stringify(keys)}`)
  return keys[0]
}

t.test('every spelling of a name gives the same keys', async (t) => {
  for (const group of SAME_NAME) {
    const expected = nameKeys(group[0])
    t.equal(expected.length, group[0].split(' ').length, `${group[0]}: one key per word`)
    for (const spelling of group.slice(1)) t.same(nameKeys(spelling), expected, `${spelling} = ${group[0]}`)
  }
})

t.test('more spellings covered by the rules and the given-name table', async (t) => {
  for (const group of ALSO_SAME_NAME) {
    const expected = nameKeys(group[0])
    for (const spelling of group.slice(1)) t.same(nameKeys(spelling), expected, `${spelling} = ${group[0]}`)
  }
})

t.test('different names keep different keys', async (t) => {
  for (const [a, b] of DIFFERENT_NAMES) t.not(key(a), key(b), `${a} ≠ ${b}`)
})

t.test('keys are stable: they are stored in the database', async (t) => {
  // A change here means the algorithm changed and stored keys must be rebuilt.
  t.same(nameKeys('Siarhei Tsikhanouski'), ['sergej', 'tiganavsk'])
  t.same(nameKeys('Аляксандр Лукашэнка'), ['aleksandr', 'lukašanka'])
  t.same(nameKeys('Maryia Kalesnikava'), ['maria', 'kalesnikava'])
  t.same(nameKeys('Yauhen Afnahel'), ['evgen', 'afnagel'])
  t.same(nameKeys('Tsikhanouskaya'), ['tiganavskaia'])
})

t.test('hyphenated parts are separate words', async (t) => {
  const keys = nameKeys('Akihiro Haievski-Khanada')
  t.same(keys, ['akigira', 'gaevsk', 'ganada'], 'one key per word: three words, three keys')
  t.same(nameKeys('Akihiro Haievski Khanada'), keys, 'hyphen = space')
  t.same(nameKeys('Haievski Khanada'), keys.slice(1))
  t.same(nameKeys('Акіхіра Гаеўскі-Ханада'), keys)
})

t.test('order follows the name and duplicates are removed', async (t) => {
  t.same(nameKeys('Ihar Igor Ігар Karnei'), ['igar', 'karnej'])
  t.same(nameKeys('Karnei, Ihar'), ['karnej', 'igar'])
})

t.test('names with no letters give no keys', async (t) => {
  t.same(nameKeys(''), [])
  t.same(nameKeys('—'), [])
  t.same(nameKeys('  ,.; 123 - '), [])
})

t.test('unusual input does not throw', async (t) => {
  t.same(nameKeys('Сeргей Tsikhanouski'), nameKeys('Сергей Тихановский'), 'Latin look-alike letters in Cyrillic')
  t.same(nameKeys('Серге́й'), nameKeys('Сергей'), 'stress mark')
  t.same(nameKeys('Сяргеи\u0306'), nameKeys('Сяргей'), 'decomposed й')
  for (const odd of ['東京 Tōkyō', 'ბიძინა', '😀 Ihar', 'Ihar\u0000Karnei', 'Ωmega Ціханоўскі-Tikhanovsky', 'x'.repeat(500)]) {
    t.doesNotThrow(() => nameKeys(odd), JSON.stringify(odd.slice(0, 30)))
    t.doesNotThrow(() => foldName(odd), JSON.stringify(odd.slice(0, 30)))
  }
  t.ok(nameKeys('x'.repeat(500))[0].length <= 100, 'keys fit the database column')
})

t.test('foldName', async (t) => {
  t.equal(foldName('Siarhiej Cichanoŭski'), 'siarhiej cichanouski')
  t.equal(foldName('  Ihar   KARNEI '), 'ihar karnei')
  t.equal(foldName('Alaksandar Łukašenka'), 'alaksandar lukasenka')
  t.equal(foldName('Сяргей Ціханоўскі'), 'сяргей ціханоўскі', 'Cyrillic is left as is')
  t.equal(foldName('Haievski-Khanada, Akihiro'), 'haievski khanada akihiro')
  t.equal(foldName("Дар'я"), 'даря', 'apostrophes join, they do not split')
  t.equal(foldName('—'), '')
})

t.test('speed', async (t) => {
  const seeds = [...SAME_NAME.flat(), 'Akihiro Haievski-Khanada']
  const start = process.hrtime.bigint()
  for (let i = 0; i < 10_000; i++) {
    nameKeys(seeds[i % seeds.length])
    foldName(seeds[i % seeds.length])
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  t.comment(`10,000 names through nameKeys and foldName: ${ms.toFixed(1)} ms`)
  t.pass()
})
