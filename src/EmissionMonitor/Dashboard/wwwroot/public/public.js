// The public's page of the published yellow/red lists and rates: no login, text only (every value
// reaches the page through textContent), Chinese by default with an English switch. Built with the
// dashboard's own modules (h, formatting, one dictionary per language).
import { h } from '../dom.js';
import { pct } from '../format.js';
import { lang, setLang, t, tf } from '../i18n.js';

const day = s => s ? String(s).slice(0, 10) : '';
const quarterText = q => tf('pub.quarter', { y: q.slice(0, 4), q: q.slice(5) });
const versionLine = p => `${tf('pub.version', { v: p.version })} · ${t('pub.published')} ${day(p.publishedAt)}`;
const cardWord = c => t('pub.' + c) || c;

function publication(p, earlier) {
  const city = p.city ?? t('pub.province');
  const id = encodeURIComponent(p.id);
  const cards = p.cards.length === 0 ? h('p', {}, t('pub.none')) : h('table', { class: 'cards' },
    h('thead', {}, h('tr', {}, ['city', 'enterprise', 'card', 'reasons', 'rectifyBy', 'rate', 'lifted'].map(k => h('th', {}, t('pub.' + k))))),
    h('tbody', {}, p.cards.map(c => h('tr', { 'data-enterprise': c.enterprise },
      h('td', {}, c.city), h('td', {}, c.enterpriseName), h('td', { class: c.card }, cardWord(c.card)),
      h('td', {}, c.reasons.map((r, i) => [i ? h('br') : null, r[lang]])), h('td', {}, c.rectifyBy),
      h('td', { class: 'num' }, pct(c.effectiveRate)), h('td', {}, c.lifted ? day(c.lifted.at) : '')))));
  const rates = h('table', { class: 'rates' },
    h('thead', {}, h('tr', {}, [t('pub.city'), t('pub.rate')].map(k => h('th', {}, k)))),
    h('tbody', {}, p.cities.map(c => h('tr', {}, h('td', {}, c.city),
      h('td', { class: 'num' + (c.belowThreshold ? ' red' : '') }, pct(c.effectiveRate), c.belowThreshold ? ` (${t('pub.below')} ${pct(p.rateThreshold)})` : '')))));
  const updates = p.updates.length === 0 ? null
    : [h('h3', {}, t('pub.updates')), h('ul', { class: 'updates' }, p.updates.map(u => h('li', {}, tf('pub.liftedOn', { d: day(u.at), n: u.enterpriseName }))))];
  return h('section', { class: 'publication', 'data-id': p.id, 'data-version': p.version },
    h('h2', {}, tf('pub.heading', { quarter: quarterText(p.quarter), city })),
    h('p', { class: 'meta' }, versionLine(p)),
    cards, h('h3', {}, t('pub.cities')), rates, updates,
    h('p', { class: 'downloads' },
      h('a', { href: `/api/public/publications/${id}?format=csv&lang=${lang}`, download: '' }, t('pub.csv')),
      h('a', { href: `/api/public/publications/${id}?format=xlsx&lang=${lang}`, download: '', class: 'xlsx' }, t('pub.xlsx'))),
    earlier.length ? h('details', { class: 'history' }, h('summary', {}, t('pub.history')),
      earlier.map(e => h('div', { class: 'earlier', 'data-version': e.version }, h('h4', {}, versionLine(e)),
        h('p', {}, e.cards.map(c => `${c.enterpriseName} (${cardWord(c.card)})`).join('；') || t('pub.none'))))) : null);
}

async function render() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.getElementById('title').textContent = t('pub.title');
  document.title = t('pub.title');
  document.getElementById('lang').textContent = lang === 'zh' ? 'EN' : '中文';
  document.getElementById('print').textContent = t('pub.print');
  const view = document.getElementById('view');
  try {
    const res = await fetch('/api/public/publications');
    if (!res.ok) throw new Error(String(res.status));
    const all = await res.json();
    const groups = new Map();
    for (const p of all) { const k = p.quarter + '|' + (p.city ?? ''); (groups.get(k) || groups.set(k, []).get(k)).push(p); }
    const sections = [...groups.values()]
      .sort((a, b) => b[0].quarter.localeCompare(a[0].quarter) || (a[0].city ?? '').localeCompare(b[0].city ?? ''))
      .map(list => { list.sort((a, b) => b.version - a.version); return publication(list[0], list.slice(1)); });
    view.replaceChildren(...(sections.length ? sections : [h('p', {}, t('pub.empty'))]));
  } catch (e) { view.replaceChildren(h('p', { class: 'red' }, String(e.message))); }
  document.body.dataset.ready = 'public';
}

document.getElementById('lang').addEventListener('click', () => { setLang(lang === 'zh' ? 'en' : 'zh'); render(); });
document.getElementById('print').addEventListener('click', () => window.print());
render();
