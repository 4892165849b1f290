// The dashboard's core: the language, the element builder h(), tables, the API client with errors said
// in the user's language, formatting, and the shared state. Everything that comes from the server, a
// frame or the URL reaches the page as text: elements are built with h() (textContent and
// setAttribute), never from HTML strings.
import { I18N } from './i18n.js';

export let lang = localStorage.getItem('em.lang') || 'zh';
// The page's language, kept for the next visit.
export const setLang = l => { lang = l; localStorage.setItem('em.lang', l); };
export const t = key => (I18N[lang] && I18N[lang][key]) || key;
export const view = document.getElementById('view');
export const state = { alerts: new Map(), stations: [], listeners: [], session: null, codes: new Map() };
// A pollutant by name in the user's language (the catalogue from /api/codes), the code when unknown.
export const pol = code => { const c = code && state.codes.get(code); return c ? (lang === 'zh' ? c.name : c.englishName) : (code ?? ''); };

// h('td', { class: 'num', dataset: { id } }, 'text', childNode, …): an element with attributes and text or element children.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'dataset') Object.entries(v).forEach(([dk, dv]) => { if (dv != null) el.dataset[dk] = String(dv); });
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
export const show = (...nodes) => view.replaceChildren(...nodes);
// A table; each cell also carries its column's name (data-label), which a phone shows beside the value
// when rows become stacked cards; an empty table says so (暂无).
export const table = (id, headers, rows) => {
  const labels = headers.map(k => k ? t(k) : '');
  const body = h('tbody', {}, rows);
  for (const tr of body.rows) [...tr.cells].forEach((td, i) => { if (labels[i]) td.dataset.label = labels[i]; });
  if (!body.rows.length) body.append(h('tr', { class: 'empty' }, h('td', { colspan: headers.length }, t('nothing'))));
  return h('table', { id }, h('thead', {}, h('tr', {}, labels.map(l => h('th', {}, l)))), body);
};

// A refused request said in the user's language from the problem's code and params; the English
// title (for API users and logs) stays in `detail`.
export class HttpError extends Error {
  constructor(status, problem) {
    const p = problem || {};
    const parameter = p.params?.parameter ?? p.parameter;
    const said = lang === 'zh' && p.code && I18N.zh['err.' + p.code]
      ? I18N.zh['err.' + p.code] + (parameter ? `（${I18N.zh['p.' + parameter] || I18N.zh[parameter] || parameter}）` : '')
      : (p.title || String(status));
    super(said);
    Object.assign(this, { status, code: p.code, params: p.params || {}, detail: p.title });
  }
}
export const api = async (path, options = {}) => {
  const res = await fetch(path, Object.assign({ headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin' }, options));
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch { /* not a problem body */ }
    throw new HttpError(res.status, problem);
  }
  if (res.status === 204) return null;
  return res.headers.get('content-type')?.includes('json') ? res.json() : res.text();
};
export const pct = v => v == null ? '–' : (v * 100).toFixed(1) + '%';
// An alert in the user's language: its messageKey's template filled with its params (pollutants
// by name, enumerations translated); the server's English sentence when the key is unknown.
const PARAM_PREFIX = { pollutant: 'pol.', level: 'lv.', colour: 'colour.', direction: 'dir.', valueKind: 'vk.' };
export const alertText = a => {
  const tpl = a.messageKey && I18N[lang] && I18N[lang]['m.' + a.messageKey];
  if (!tpl) return a.message;
  const p = a.params || {};
  return tpl.replace(/\{(\w+)\}/g, (_, k) => {
    const v = p[k];
    if (v == null) return '';
    if (k === 'pollutant') return pol(v);
    const key = PARAM_PREFIX[k] ? PARAM_PREFIX[k] + v : null;
    return key && I18N[lang][key] ? I18N[lang][key] : v;
  });
};
export const time = s => s ? String(s).replace('T', ' ').slice(0, 16) : '';
export const pad = n => String(n).padStart(2, '0');
export const localDate = d => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
export const quarterOf = d => `${d.getFullYear()}Q${Math.floor(d.getMonth() / 3) + 1}`;
export const hashQuery = () => new URLSearchParams(location.hash.split('?')[1] || '');
// The caller's role: with no API users configured everyone is an operator.
export const role = () => { const s = state.session; return !s || !s.loginRequired ? 'operator' : s.role; };
export const stationsOnce = async () => { if (!state.stations.length) state.stations = await api('/api/stations'); return state.stations; };
export const outletList = async () => (await stationsOnce()).flatMap(e => e.outlets.map(o => Object.assign({ enterprise: e }, o)));
export const stamp = d => `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`;

// Numbers and tonnes in the user's locale; badges and bars drawn with CSS (no emoji, no glyph boxes).
export const fmt = (v, digits = 1) => v == null || Number.isNaN(v) ? '–' : Number(v).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
export const tonnes = kg => kg == null ? '–' : fmt(kg / 1000, 1);
export const badge = (cls, text) => h('span', { class: 'badge ' + cls }, text);
export const progressBar = (ratio, cls, mark) => {
  const fill = h('span', { class: 'fill ' + cls, dataset: { width: Math.max(0, Math.min(100, Math.round((ratio ?? 0) * 100))) } });
  return h('span', { class: 'bar' + (mark ? ' mark ' + mark : '') }, fill);
};
// Widths through the CSSOM: the Content-Security-Policy allows no inline style attributes.
export const sizeBars = () => document.querySelectorAll('#view .fill[data-width]').forEach(el => { el.style.width = el.dataset.width + '%'; });
export const TOTALLED = ['w01018', 'w21003', 'a21026', 'a21002'];
export const enumText = (prefix, v) => v == null ? '' : (I18N[lang][prefix + v] ?? v);
// A card's reasons in the user's language, from the structured items (the strings as a fallback).
export const reasonText = (item, fallback) => {
  const tpl = item && I18N[lang]['r.' + item.kind];
  if (!tpl) return fallback;
  return tpl.replace(/\{(\w+)\}/g, (_, k) => k === 'pollutant' ? pol(item.pollutant) : (k === 'value' || k === 'bound') ? fmt(item[k], 1) : (item[k] ?? ''));
};
export const downloads = (path, name) => h('span', { class: 'downloads' },
  h('a', { id: 'csv', href: path + (path.includes('?') ? '&' : '?') + 'format=csv', download: name + '.csv' }, h('button', { type: 'button' }, t('csv'))), ' ',
  h('a', { id: 'xlsx', href: path + (path.includes('?') ? '&' : '?') + 'format=xlsx&lang=' + lang, download: name + '.xlsx' }, h('button', { type: 'button' }, t('xlsx'))));

// Pickers from the registry: a select per filter, narrowed by typing into the box beside it.

// A modal dialog: `build(close)` makes its content; resolves with what close() is given, null when
// cancelled (Escape or the cancel button); the dialog is removed either way, and `focus` takes the focus.
export const modal = (id, build) => new Promise(resolve => {
  const dialog = h('dialog', { id, class: 'handle' });
  const close = value => { dialog.close(); dialog.remove(); resolve(value); };
  dialog.addEventListener('cancel', () => { dialog.remove(); resolve(null); });
  const { content, focus } = build(close);
  dialog.append(content);
  document.body.append(dialog);
  dialog.showModal();
  focus?.focus();
});

// A pollutant's unit from the code catalogue.
export const codeUnit = code => state.codes.get(code)?.unit ?? '';
// The pages of other modules, by name (alerts, wall, overview, handling, publish, data).
export const pages = {};
// Renders the page the address names again (set by main.js).
let router = async () => {};
export const route = () => router();
export const setRouter = r => { router = r; };
