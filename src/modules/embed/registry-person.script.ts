/**
 * The source of <registry-person>, the card a site puts on its page (issue 26), served as it is written here by
 * embed.routes.ts under a URL named by its hash. Plain browser JavaScript, no dependency: a custom element
 * that reads one record from the API it was loaded from (CORS) and renders it in an open shadow root. Built
 * with DOM calls and textContent only (no innerHTML, no inline script or style attribute, no eval), styled by a
 * constructed stylesheet, so that it works under a host page's strict Content-Security-Policy
 * (`script-src <api>; connect-src <api>`, and no 'unsafe-inline' for styles).
 * Kept free of backticks and dollar-brace so that it can live in this template literal unchanged.
 */
export const REGISTRY_PERSON_SOURCE = String.raw`/* <registry-person record-id="…" lang="en|be|ru|pl|lt">: a cited record of the political prisoners registry. */
(function () {
  'use strict';
  if (!window.customElements || customElements.get('registry-person')) return;
  var script = document.currentScript;
  var API = script && script.src ? new URL(script.src).origin : location.origin;

  var WORDS = {
    en: { name: 'Name', status: 'Status', nationality: 'Nationality', sentence: 'Sentence', releaseDate: 'Release date', destination: 'Taken to',
      detained: 'Detained', released: 'Released', deceased: 'Deceased', loading: 'Loading the record…', failed: 'The record could not be loaded.',
      withheld: 'Withheld', unverified: 'not checked against an archived text', privateSource: 'a private source', registry: 'Registry of political prisoners',
      hint: 'Hover, focus or tap a value to read its source.' },
    be: { name: 'Імя', status: 'Статус', nationality: 'Грамадзянства', sentence: 'Прысуд', releaseDate: 'Дата вызвалення', destination: 'Куды вывезены',
      detained: 'Пад вартай', released: 'Вызвалены', deceased: 'Памёр', loading: 'Загружаецца запіс…', failed: 'Не ўдалося загрузіць запіс.',
      withheld: 'Схавана', unverified: 'не зверана з архіўным тэкстам', privateSource: 'закрытая крыніца', registry: 'Рэестр палітвязняў',
      hint: 'Навядзіце, перайдзіце клавіятурай або націсніце на значэнне, каб убачыць крыніцу.' },
    ru: { name: 'Имя', status: 'Статус', nationality: 'Гражданство', sentence: 'Приговор', releaseDate: 'Дата освобождения', destination: 'Куда вывезены',
      detained: 'Под стражей', released: 'Освобождён', deceased: 'Умер', loading: 'Загрузка записи…', failed: 'Не удалось загрузить запись.',
      withheld: 'Скрыто', unverified: 'не сверено с архивным текстом', privateSource: 'закрытый источник', registry: 'Реестр политзаключённых',
      hint: 'Наведите, перейдите клавиатурой или нажмите на значение, чтобы увидеть источник.' },
    pl: { name: 'Imię i nazwisko', status: 'Status', nationality: 'Obywatelstwo', sentence: 'Wyrok', releaseDate: 'Data uwolnienia', destination: 'Przewieziony do',
      detained: 'W areszcie', released: 'Uwolniony', deceased: 'Zmarły', loading: 'Wczytywanie rekordu…', failed: 'Nie udało się wczytać rekordu.',
      withheld: 'Utajnione', unverified: 'niesprawdzone z archiwalnym tekstem', privateSource: 'źródło niepubliczne', registry: 'Rejestr więźniów politycznych',
      hint: 'Najedź, przejdź klawiaturą lub dotknij wartości, aby zobaczyć źródło.' },
    lt: { name: 'Vardas', status: 'Statusas', nationality: 'Pilietybė', sentence: 'Nuosprendis', releaseDate: 'Paleidimo data', destination: 'Išvežtas į',
      detained: 'Sulaikytas', released: 'Paleistas', deceased: 'Miręs', loading: 'Įkeliamas įrašas…', failed: 'Įrašo įkelti nepavyko.',
      withheld: 'Nuslėpta', unverified: 'nepatikrinta su archyvuotu tekstu', privateSource: 'neviešas šaltinis', registry: 'Politinių kalinių registras',
      hint: 'Užveskite, pasiekite klaviatūra arba palieskite reikšmę, kad pamatytumėte šaltinį.' }
  };

  // Colours: text 16:1, labels 9:1, links and values 8:1 on white; the quote box 16:1 (WCAG AA asks 4.5:1).
  var CSS = [
    ':host { display: block; max-width: 30rem; margin: 0 0 1rem; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; }',
    '.card { background: #fff; border: 1px solid #767676; border-radius: 8px; padding: 1rem 1.1rem; }',
    '.name { margin: 0 0 .6rem; font-size: 1.25rem; font-weight: 700; }',
    'dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1rem; margin: 0; }',
    'dt { color: #454545; }',
    'dd { margin: 0; }',
    '.item { position: relative; display: inline-block; }',
    'button.value { font: inherit; color: #0b4f8a; background: none; border: 0; border-bottom: 1px dashed #0b4f8a; padding: 0; margin: 0; cursor: help; text-align: start; }',
    'button.value:focus-visible { outline: 3px solid #0b4f8a; outline-offset: 2px; border-radius: 2px; }',
    '.name button.value { color: #1b1b1b; border-bottom-color: #1b1b1b; font-weight: 700; }',
    '.tip { display: none; position: absolute; z-index: 10; inset-inline-start: 0; top: 100%; margin-top: .4rem; width: max-content; max-width: min(24rem, 85vw); background: #1b1b1b; color: #fff; padding: .6rem .75rem; border-radius: 6px; font-size: .875rem; font-weight: 400; line-height: 1.4; box-shadow: 0 2px 8px rgba(0,0,0,.3); }',
    '.item:hover .tip, .item:focus-within .tip, .item.open .tip { display: block; }',
    '.item.closed .tip { display: none; }',
    '.cite { display: block; }',
    '.cite + .cite { margin-top: .5rem; }',
    '.from { display: block; color: #e6e6e6; margin-top: .15rem; }',
    '.muted { color: #454545; }',
    'footer { margin-top: .8rem; font-size: .8rem; color: #454545; }',
    'a { color: #0b4f8a; }',
    'a:focus-visible { outline: 3px solid #0b4f8a; outline-offset: 2px; }'
  ].join('\n');

  var sheet = null;
  function styles() {
    if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); }
    return sheet;
  }

  var sources = {};
  function source(id) {
    if (!sources[id]) {
      sources[id] = fetch(API + '/v1/sources/' + encodeURIComponent(id), { headers: { accept: 'application/json' } })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .catch(function () { return null; });
    }
    return sources[id];
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) { node.append(child); });
    return node;
  }

  function language(value) {
    var lang = String(value || '').toLowerCase().split('-')[0];
    return WORDS[lang] ? lang : 'en';
  }

  function country(code, lang) {
    try { return new Intl.DisplayNames([lang, 'en'], { type: 'region' }).of(code) || code; } catch (error) { return code; }
  }

  function date(value, lang) {
    var parts = String(value).split('-');
    var options = parts.length === 3 ? { day: 'numeric', month: 'long', year: 'numeric' } : parts.length === 2 ? { month: 'long', year: 'numeric' } : { year: 'numeric' };
    options.timeZone = 'UTC';
    var day = new Date(Date.UTC(Number(parts[0]), Number(parts[1] || 1) - 1, Number(parts[2] || 1)));
    try { return new Intl.DateTimeFormat(lang, options).format(day); } catch (error) { return value; }
  }

  var counter = 0;

  class RegistryPerson extends HTMLElement {
    static get observedAttributes() { return ['record-id', 'lang']; }

    constructor() {
      super();
      this.root = this.attachShadow({ mode: 'open' });
      this.root.adoptedStyleSheets = [styles()];
      this.uid = 'rp' + (++counter);
    }

    connectedCallback() { this.load(); }

    attributeChangedCallback() { if (this.isConnected) this.load(); }

    load() {
      var id = this.getAttribute('record-id');
      var lang = language(this.getAttribute('lang') || document.documentElement.lang);
      var words = WORDS[lang];
      var ticket = (this.ticket = {});
      var self = this;
      this.show(el('p', { role: 'status', class: 'muted' }, [words.loading]), lang);
      if (!id) return this.show(el('p', { role: 'status' }, [words.failed]), lang);
      fetch(API + '/v1/prisoners/' + encodeURIComponent(id), { headers: { accept: 'application/json' } })
        .then(function (answer) { if (!answer.ok) throw new Error(String(answer.status)); return answer.json(); })
        .then(function (record) {
          var ids = [];
          ['name', 'status', 'nationality', 'sentence', 'releaseDate', 'destination'].forEach(function (field) {
            ((record[field] && record[field].citations) || []).forEach(function (citation) { if (citation.sourceId && ids.indexOf(citation.sourceId) < 0) ids.push(citation.sourceId); });
          });
          return Promise.all(ids.map(source)).then(function (found) {
            var titles = {};
            ids.forEach(function (sourceId, i) { titles[sourceId] = found[i]; });
            if (self.ticket === ticket) self.render(record, titles, lang);
          });
        })
        .catch(function () { if (self.ticket === ticket) self.show(el('p', { role: 'status' }, [words.failed]), lang); });
    }

    show(content, lang) {
      this.root.replaceChildren(el('div', { class: 'card', lang: lang }, [content]));
    }

    /** A value as a button that shows, on hover, focus or tap, the quotes and sources that support it. */
    cited(text, field, titles, words) {
      var tipId = this.uid + '-' + field.name;
      var quotes = (field.citations || []).slice(0, 3).map(function (citation) {
        var found = titles[citation.sourceId];
        var from = citation.private ? words.privateSource : found ? found.title + (found.publisher ? ', ' + found.publisher : '') : '';
        if (citation.quote && (citation.note || citation.start === null)) from += ' (' + words.unverified + ')';
        return el('span', { class: 'cite' }, citation.quote ? ['\u201c' + citation.quote + '\u201d', el('span', { class: 'from' }, ['\u2014 ' + from])] : [from]);
      });
      var button = el('button', { type: 'button', class: 'value', 'aria-describedby': tipId, 'aria-expanded': 'false' }, [text]);
      var tip = el('span', { role: 'tooltip', id: tipId, class: 'tip' }, quotes);
      var item = el('span', { class: 'item' }, [button, tip]);
      button.addEventListener('click', function () {
        var open = !item.classList.contains('open');
        item.classList.toggle('open', open);
        item.classList.remove('closed');
        button.setAttribute('aria-expanded', String(open));
      });
      // WCAG 1.4.13: what appears on hover or focus can be dismissed without moving either.
      item.addEventListener('keydown', function (event) {
        if (event.key === 'Escape') { item.classList.add('closed'); item.classList.remove('open'); button.setAttribute('aria-expanded', 'false'); }
      });
      item.addEventListener('focusout', function () { item.classList.remove('closed'); });
      item.addEventListener('mouseleave', function () { item.classList.remove('closed'); });
      return item;
    }

    render(record, titles, lang) {
      var words = WORDS[lang];
      var self = this;
      var rows = [];
      function text(field) {
        var value = record[field].value;
        if (field === 'status') return words[value] || value;
        if (field === 'nationality') return country(value, lang);
        if (field === 'releaseDate') return date(value, lang);
        if (field === 'sentence') return value.text || '';
        if (field === 'destination') return country(value.country, lang) + (value.place ? ', ' + value.place : '');
        return String(value);
      }
      ['status', 'nationality', 'sentence', 'releaseDate', 'destination'].forEach(function (field) {
        var view = record[field];
        if (!view) return;
        if (view.value === null && !view.withheld) return;
        var value = view.value === null ? el('span', { class: 'muted' }, [words.withheld]) : self.cited(text(field), { name: field, citations: view.citations }, titles, words);
        rows.push(el('dt', {}, [words[field]]), el('dd', { 'data-field': field }, [value]));
      });
      var name = record.name && record.name.value !== null
        ? this.cited(String(record.name.value), { name: 'name', citations: record.name.citations }, titles, words)
        : words.withheld;
      var link = el('a', { href: API + '/v1/prisoners/' + encodeURIComponent(record.id), target: '_blank', rel: 'noopener' }, [words.registry]);
      this.root.replaceChildren(el('article', { class: 'card', lang: lang, 'aria-label': (record.name && record.name.value) || words.registry }, [
        el('p', { class: 'name', role: 'heading', 'aria-level': this.getAttribute('heading-level') || '2', 'data-field': 'name' }, [name]),
        el('dl', {}, rows),
        el('footer', {}, [words.hint + ' ', link])
      ]));
    }
  }

  customElements.define('registry-person', RegistryPerson);
})();
`
