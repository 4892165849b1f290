// The public's page of the published yellow/red lists and rates: no login, text only (every value
// reaches the page through textContent), Chinese by default with an English switch. One list at a
// time, chosen by quarter and city (newest first) and searchable by enterprise name, with who issued
// it, its document number, the rules in words, the data it stands on and its earlier versions.
// Built with the dashboard's own modules (h, formatting, one dictionary per language).
import { h } from '../dom.js';
import { pct } from '../format.js';
import { lang, setLang, t, tf } from '../i18n.js';

const day = s => s ? String(s).slice(0, 10) : '';
const minute = s => s ? String(s).replace('T', ' ').slice(0, 16) : '';
const quarterText = q => tf('pub.quarter', { y: q.slice(0, 4), q: q.slice(5) });
const versionLine = p => `${tf('pub.version', { v: p.version })} · ${t('pub.published')} ${day(p.publishedAt)}`;
const cardWord = c => t('pub.' + c) || c;
const state = { about: null, all: [] };

// The selection lives in the address (#quarter=…&city=…&q=…), so a link names one list.
const chosen = () => new URLSearchParams(location.hash.slice(1));
const choose = (key, value) => {
  const q = chosen();
  if (value) q.set(key, value); else q.delete(key);
  location.hash = q.toString();
};

function cardsTable(p, search) {
  const cards = p.cards.filter(c => !search || (c.enterpriseName || '').includes(search));
  if (p.cards.length === 0) return h('p', {}, t('pub.none'));
  if (cards.length === 0) return h('p', { id: 'no-match' }, tf('pub.noMatch', { q: search }));
  return h('table', { class: 'cards' },
    h('thead', {}, h('tr', {}, ['city', 'enterprise', 'card', 'reasons', 'rectifyBy', 'rate', 'lifted'].map(k => h('th', {}, t('pub.' + k))))),
    h('tbody', {}, cards.map(c => h('tr', {},
      h('td', { 'data-label': t('pub.city') }, c.city), h('td', { 'data-label': t('pub.enterprise') }, c.enterpriseName, c.permitNumber ? h('div', { class: 'permit' }, c.permitNumber) : null),
      h('td', { class: c.card, 'data-label': t('pub.card') }, cardWord(c.card)),
      h('td', { 'data-label': t('pub.reasons') }, c.reasons.map((r, i) => [i ? h('br') : null, r[lang]])),
      h('td', { 'data-label': t('pub.rectifyBy') }, c.rectifyBy), h('td', { class: 'num', 'data-label': t('pub.rate') }, pct(c.effectiveRate)),
      h('td', { 'data-label': t('pub.lifted') }, c.lifted ? day(c.lifted.at) : '')))));
}

function publication(p, earlier, search) {
  const city = p.city ?? t('pub.province');
  const id = encodeURIComponent(p.id);
  const now = state.about?.now;
  const open = now && now < p.quarterEnd;
  const rates = h('table', { class: 'rates' },
    h('thead', {}, h('tr', {}, [t('pub.city'), t('pub.rate')].map(k => h('th', {}, k)))),
    h('tbody', {}, p.cities.map(c => h('tr', {}, h('td', {}, c.city),
      h('td', { class: 'num' + (c.belowThreshold ? ' red' : '') }, pct(c.effectiveRate), c.belowThreshold ? ` (${t('pub.below')} ${pct(p.rateThreshold)})` : '')))));
  const updates = p.updates.length === 0 ? null
    : [h('h3', {}, t('pub.updates')), h('ul', { class: 'updates' }, p.updates.map(u => h('li', {}, tf('pub.liftedOn', { d: day(u.at), n: u.enterpriseName }))))];
  return h('section', { class: 'publication', 'data-version': p.version },
    h('h2', {}, tf('pub.heading', { quarter: quarterText(p.quarter), city })),
    h('p', { class: 'meta' }, `${t('pub.issuer')}：${p.authority ?? state.about?.authority ?? ''} · ${t('pub.number')}：${p.documentNumber ?? ''} · ${versionLine(p)}`),
    h('p', { class: 'meta', id: 'data-up-to' }, tf('pub.dataUpTo', { t: minute(p.dataUpTo) })),
    p.quarterEnded === false || open ? h('p', { class: 'notice', id: 'not-ended' }, t('pub.notEnded')) : null,
    cardsTable(p, search), h('h3', {}, t('pub.cities')), rates, updates,
    h('p', { class: 'downloads' },
      h('a', { href: `/api/public/publications/${id}?format=csv&lang=${lang}`, download: '' }, t('pub.csv')),
      h('a', { href: `/api/public/publications/${id}?format=xlsx&lang=${lang}`, download: '', class: 'xlsx' }, t('pub.xlsx'))),
    earlier.length ? h('details', { class: 'history' }, h('summary', {}, t('pub.history')),
      earlier.map(e => h('div', { class: 'earlier', 'data-version': e.version }, h('h4', {}, versionLine(e)),
        h('p', {}, e.cards.map(c => `${c.enterpriseName} (${cardWord(c.card)})`).join('；') || t('pub.none'))))) : null);
}

function controls(quarters, cities, q) {
  const select = (id, key, options, value) => {
    const el = h('select', { id, onchange: e => choose(key, e.target.value) }, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
    return el;
  };
  const search = h('input', { id: 'search', type: 'search', value: q.get('q') || '', placeholder: t('pub.search'), autocomplete: 'off' });
  search.addEventListener('change', () => choose('q', search.value.trim()));
  return h('form', { class: 'pick', onsubmit: e => { e.preventDefault(); choose('q', search.value.trim()); } },
    h('label', {}, t('pub.pickQuarter'), select('pick-quarter', 'quarter', quarters.map(x => [x, quarterText(x)]), q.get('quarter'))),
    h('label', {}, t('pub.pickCity'), select('pick-city', 'city', cities.map(c => [c, c || t('pub.province')]), q.get('city') ?? '')),
    h('label', { class: 'grow' }, t('pub.search'), search));
}

function render() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  const title = state.about?.title && lang === 'zh' ? state.about.title : t('pub.title');
  document.getElementById('title').textContent = title;
  document.title = title;
  document.getElementById('lang').textContent = lang === 'zh' ? 'EN' : '中文';
  document.getElementById('print').textContent = t('pub.print');
  const view = document.getElementById('view');
  const rules = h('details', { class: 'rules' }, h('summary', {}, t('pub.rulesTitle')), h('p', {}, tf('pub.rules', { t: pct(state.about?.rateThreshold ?? 0.9) })));
  if (!state.all.length) { view.replaceChildren(h('p', {}, t('pub.empty')), rules); return; }
  const q = chosen();
  const quarters = [...new Set(state.all.map(p => p.quarter))].sort().reverse();
  const quarter = quarters.includes(q.get('quarter')) ? q.get('quarter') : quarters[0];
  q.set('quarter', quarter);
  const inQuarter = state.all.filter(p => p.quarter === quarter);
  const cities = [...new Set(inQuarter.map(p => p.city ?? ''))].sort((a, b) => a.localeCompare(b, 'zh'));
  const city = cities.includes(q.get('city') ?? '') ? (q.get('city') ?? '') : cities[0];
  q.set('city', city);
  const versions = inQuarter.filter(p => (p.city ?? '') === city).sort((a, b) => b.version - a.version);
  const quarterEnd = (() => { const y = +quarter.slice(0, 4), n = +quarter.slice(5); return n === 4 ? `${y + 1}-01-01T00:00:00` : `${y}-${String(n * 3 + 1).padStart(2, '0')}-01T00:00:00`; })();
  versions.forEach(p => { p.quarterEnd = quarterEnd; });
  view.replaceChildren(controls(quarters, cities, q), publication(versions[0], versions.slice(1), (q.get('q') || '').trim()), rules);
  document.body.dataset.ready = 'public';
}

async function load() {
  try {
    const [about, all] = await Promise.all(['/api/public/about', '/api/public/publications'].map(async u => {
      const res = await fetch(u);
      if (!res.ok) throw new Error(String(res.status));
      return res.json();
    }));
    Object.assign(state, { about, all });
    render();
  } catch (e) { document.getElementById('view').replaceChildren(h('p', { class: 'red' }, String(e.message))); }
  document.body.dataset.ready = 'public';
}

document.getElementById('lang').addEventListener('click', () => { setLang(lang === 'zh' ? 'en' : 'zh'); render(); });
document.getElementById('print').addEventListener('click', () => window.print());
window.addEventListener('hashchange', render);
load();
