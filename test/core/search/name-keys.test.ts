import t, { Test } from 'tap'
import { LONG_NAME_KEY, foldName, nameKeyGroups, nameKeys, nameMatches, storedNameKeys } from '../../../src/core/search/name-keys'

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
  // Łacinka without ł: its "la" is ля, its "cc" before i is цц.
  ['Alaksandr Čarnionak', 'Аляксандр Чарнёнак', 'Aliaksandr Charnionak', 'Aleksandr Chernionok', 'Александр Чернёнок'],
  ['Tacciana Licoŭskaja', 'Таццяна Ліцоўская', 'Tatsiana Litsouskaya', 'Tatiana Litsovskaya', 'Татьяна Лицовская'],
  ['Hanna Palakoŭskaja', 'Ганна Палякоўская', 'Hanna Paliakouskaya', 'Anna Polyakovskaya'],
  ['Natalla Marozavik', 'Наталля Марозавік', 'Natallia Marozavik', 'Наталья Морозовик'],
  ['Alaksiej Licik', 'Аляксей Ліцік', 'Aliaksei Litsik', 'Алексей Лицик'],
  ['Aleś Palakoŭski', 'Алесь Палякоўскі', 'Ales Paliakouski'],
  // Hard л read as written: Łacinka ł, and la in every other romanisation.
  ['Kiryl Balakhanau', 'Kirył Bałachanaŭ', 'Кірыл Балаханаў'],
  ['Rebecca', 'Ребекка'],
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

/** Both ways: a search for either spelling finds the other. */
const sameName = (t: Test, a: string, b: string) => t.ok(nameMatches(a, b) && nameMatches(b, a), `${a} = ${b}`)

t.test('every spelling of a name finds every other', async (t) => {
  for (const group of SAME_NAME) {
    t.equal(nameKeyGroups(group[0]).length, group[0].split(' ').length, `${group[0]}: keys for each word`)
    for (const spelling of group.slice(1)) sameName(t, spelling, group[0])
  }
})

t.test('more spellings covered by the rules and the given-name table', async (t) => {
  for (const group of ALSO_SAME_NAME) {
    for (const spelling of group.slice(1)) sameName(t, spelling, group[0])
  }
})

t.test('different names do not find each other', async (t) => {
  for (const [a, b] of DIFFERENT_NAMES) t.notOk(nameMatches(a, b) || nameMatches(b, a), `${a} ≠ ${b}`)
})

t.test('a Latin "la"/"lo" is read both ways, since only Łacinka writes ля as "la"', async (t) => {
  t.same(nameKeyGroups('Alaksandr Palak'), [['alaksandr', 'aleksandr'], ['palak', 'palek']])
  t.same(nameKeyGroups('Аляксандр Паляк'), [['aleksandr'], ['palek']], 'Cyrillic says which it is')
  t.same(nameKeyGroups('Mikałaj'), [['nikalaj']], 'ł is always hard')
  t.same(nameKeys('Alaksandr Palak'), ['alaksandr', 'aleksandr', 'palak', 'palek'], 'every reading is stored')
  t.ok(nameMatches('Alaksandr', 'Аляксандр Паляк'), 'one word of the query is enough for a one-word query')
  t.notOk(nameMatches('Alaksandr Ivanou', 'Аляксандр Паляк'), 'but every word must match')
})

t.test('keys are stable: they are stored in the database', async (t) => {
  // A change here means the algorithm changed and stored keys must be rebuilt.
  t.same(nameKeys('Siarhei Tsikhanouski'), ['sergej', 'tiganavsk'])
  t.same(nameKeys('Аляксандр Лукашэнка'), ['aleksandr', 'lukašanka'])
  t.same(nameKeys('Maryia Kalesnikava'), ['maria', 'kalesnikava'])
  t.same(nameKeys('Yauhen Afnahel'), ['evgen', 'afnagel'])
  t.same(nameKeys('Tsikhanouskaya'), ['tiganavskaia'])
})

t.test('a name stores its word keys and a key for each two of its words', async (t) => {
  t.same(storedNameKeys('Siarhei Tsikhanouski'), ['sergej', 'tiganavsk', 'sergej tiganavsk'])
  t.same(storedNameKeys('Tsikhanouski Siarhei'), storedNameKeys('Siarhei Tsikhanouski').slice(0, 2).reverse().concat('sergej tiganavsk'), 'a pair is one key in either order')
  t.same(storedNameKeys('Akihiro Haievski-Khanada'), ['akigira', 'gaevsk', 'ganada', 'akigira gaevsk', 'akigira ganada', 'gaevsk ganada'])
  t.same(
    storedNameKeys('Alaksandr Palak'),
    ['alaksandr', 'aleksandr', 'palak', 'palek', 'alaksandr palak', 'alaksandr palek', 'aleksandr palak', 'aleksandr palek', 'alaksandr aleksandr', 'palak palek'],
    "each reading pairs with each reading of the other word, and a word read two ways pairs its readings (a query's two words may both match it)",
  )
  t.same(storedNameKeys('Ihar'), ['igar'], 'one word, no pair')
  t.same(storedNameKeys('—'), [])
})

t.test('a name of more than eight words pairs its first eight and is marked long', async (t) => {
  const words = ['Ivan', 'Piotr', 'Mikhail', 'Ales', 'Yury', 'Dzmitry', 'Raman', 'Viktar', 'Kiryl', 'Siarhei']
  const eight = storedNameKeys(words.slice(0, 8).join(' '))
  t.equal(eight.filter((key) => key.includes(' ')).length, 28, '8 words: 28 pairs')
  t.notOk(eight.includes(LONG_NAME_KEY))
  const ten = storedNameKeys(words.join(' '))
  t.equal(ten.filter((key) => key.includes(' ')).length, 28, 'the ninth and tenth words are not paired')
  t.ok(ten.includes(LONG_NAME_KEY), 'so the name is marked for searches to consider')
  t.ok(ten.includes(nameKeys('Siarhei')[0]), 'and every word keeps its own key')
})

t.test('pair keys fit the key column however long the words', async (t) => {
  const keys = storedNameKeys(`${'a'.repeat(300)} ${'b'.repeat(300)}`)
  t.ok(keys.every((key) => key.length <= 100))
  t.ok(keys.some((key) => key.includes(' ')), 'the pair is kept, shortened')
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
