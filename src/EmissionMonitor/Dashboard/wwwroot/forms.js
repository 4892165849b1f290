// Form parts the pages share: evidence uploads, date and time inputs, pickers of the registry, the
// period fields (quarter, month, year, custom) and the query they make.
import { outletName, pol, stationsOnce } from './core.js';
import { h } from './dom.js';
import { localDate, pad, quarterOf } from './format.js';
import { lang, t } from './i18n.js';
import { api } from './api.js';

// Evidence files added to a record one by one; the server checks each file's content, size and count.
export async function upload(path, files) {
  for (const file of files) {
    const form = new FormData();
    form.append('file', file, file.name);
    await api(path, { method: 'POST', body: form });
  }
}
// A file picker in the page's language (the browser's own button speaks the browser's): a
// label around a hidden input, with the chosen names beside it.
export const fileInput = name => {
  const input = h('input', { type: 'file', name, multiple: true, class: 'visually-hidden', accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png' });
  const names = h('span', { class: 'file-names' });
  input.addEventListener('change', () => { names.textContent = [...input.files].map(f => f.name).join('、'); });
  return { input, el: h('span', { class: 'file-pick' }, h('label', { class: 'button', title: t('fileTypes') }, t('chooseFiles'), input), names) };
};
// A local date and time typed as YYYY-MM-DD HH:mm (no browser-locale picker), sent as YYYY-MM-DDTHH:mm:ss.
export const dateTimeInput = (name, value) => h('input', { name, required: true, size: 16, value: value.replace('T', ' ').slice(0, 16), placeholder: 'YYYY-MM-DD HH:mm',
  pattern: '\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?', autocomplete: 'off' });
export const fromDateTime = v => { const x = (v || '').trim().replace(' ', 'T'); return x.length === 16 ? x + ':00' : x; };
export const fileLinks = files => (files || []).map((f, i) => [i ? ' ' : null, h('a', { href: f.href, download: f.name, class: 'file' }, f.name)]);

export function picker(name, options, selected, allLabel = t('all')) {
  const select = h('select', { name }, h('option', { value: '' }, allLabel), options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
  if (options.length <= 12) return select;
  const search = h('input', { type: 'search', class: 'narrow', placeholder: t('searchHint'), size: 8, 'aria-label': t('searchHint') });
  search.addEventListener('input', () => {
    const term = search.value.trim().toLowerCase();
    for (const o of select.options) o.hidden = o.value !== '' && term !== '' && !o.textContent.toLowerCase().includes(term);
  });
  return h('span', { class: 'picker' }, search, select);
}
// One outlet to act on (an order, a mark): every outlet the caller may see, narrowed by typing.
export const outletPicker = outlets => {
  const el = picker('mn', outlets.map(o => [o.mn, `${o.enterprise.name} · ${outletName(o)} (${o.mn})`]), outlets[0]?.mn ?? '', null);
  const select = el.tagName === 'SELECT' ? el : el.querySelector('select');
  select.querySelector('option[value=""]')?.remove();
  select.required = true;
  return el;
};
export async function registryPickers(q, which = ['city', 'enterprise', 'mn', 'pollutant']) {
  const stations = await stationsOnce();
  const city = q.get('city') || '', enterprise = q.get('enterprise') || '';
  const inCity = stations.filter(e => !city || e.city === city);
  const outlets = inCity.filter(e => !enterprise || e.id === enterprise).flatMap(e => e.outlets.map(o => [o.mn, `${outletName(o)} · ${e.name} (${o.mn})`]));
  const codes = [...new Set(stations.flatMap(e => e.outlets.flatMap(o => Object.keys(o.limits))))].sort();
  const make = {
    city: () => picker('city', [...new Set(stations.map(e => e.city))].sort().map(c => [c, c]), city),
    enterprise: () => picker('enterprise', inCity.map(e => [e.id, e.name]), enterprise),
    mn: () => picker('mn', outlets, q.get('mn') || ''),
    pollutant: () => picker('pollutant', codes.map(c => [c, pol(c)]), q.get('pollutant') || ''),
  };
  return which.map(k => h('label', {}, t(k === 'mn' ? 'outlet' : k), make[k]()));
}
// The period as a quarter, a month, a year or a custom range of days (typed YYYY-MM-DD, never the browser's locale picker).
export function periodFields(q, modes = ['quarter', 'month', 'year', 'custom']) {
  const now = new Date();
  const mode = q.get('from') ? (q.get('period') || 'custom') : (q.get('quarter') ? 'quarter' : modes[0]);
  const quarters = []; for (let i = 0; i < 8; i++) { const d = new Date(now.getFullYear(), now.getMonth() - 3 * i, 1); quarters.push(quarterOf(d)); }
  const months = []; for (let i = 0; i < 12; i++) { const d = new Date(now.getFullYear(), now.getMonth() - i, 1); months.push(`${d.getFullYear()}-${pad(d.getMonth() + 1)}`); }
  const from = q.get('from') || '', to = q.get('to') || '';
  const inputs = {
    quarter: h('select', { name: 'quarter' }, quarters.map(x => h('option', { value: x, selected: x === (q.get('quarter') || quarters[0]) }, x.replace('Q', lang === 'zh' ? '年第' : ' Q') + (lang === 'zh' ? '季度' : '')))),
    month: h('select', { name: 'month' }, months.map(x => h('option', { value: x, selected: from.startsWith(x) && mode === 'month' }, lang === 'zh' ? x.replace('-', '年') + '月' : x))),
    year: h('select', { name: 'year' }, [0, 1, 2].map(i => now.getFullYear() - i).map(y => h('option', { value: y, selected: from.startsWith(String(y)) && mode === 'year' }, lang === 'zh' ? y + '年' : String(y)))),
    custom: h('span', { class: 'range' }, dateInput('from', from || localDate(new Date(now.getFullYear(), now.getMonth(), 1))), ' – ', dateInput('to', to || localDate(new Date(now.getTime() + 864e5)))),
  };
  const select = h('select', { name: 'period' }, modes.map(m => h('option', { value: m, selected: m === mode }, t('pm.' + m))));
  const holder = h('span', { class: 'period-input' });
  const fill = () => holder.replaceChildren(inputs[select.value]);
  select.addEventListener('change', fill); fill();
  return h('label', {}, t('p.period'), h('span', { class: 'period' }, select, holder));
}
const dateInput = (name, value) => h('input', { name, value, size: 10, placeholder: 'YYYY-MM-DD', pattern: '\\d{4}-\\d{2}-\\d{2}', required: true, autocomplete: 'off' });
// The form's period as the API's query: quarter=…, or from/to (to exclusive).
function periodQuery(f) {
  const out = new URLSearchParams();
  const mode = f.get('period');
  if (mode === 'quarter') out.set('quarter', f.get('quarter'));
  else if (mode === 'month') { const [y, m] = f.get('month').split('-').map(Number); out.set('period', 'month'); out.set('from', `${y}-${pad(m)}-01`); out.set('to', localDate(new Date(y, m, 1))); }
  else if (mode === 'year') { const y = Number(f.get('year')); out.set('period', 'year'); out.set('from', `${y}-01-01`); out.set('to', `${y + 1}-01-01`); }
  else if (f.get('from')) { out.set('from', f.get('from')); out.set('to', f.get('to')); }
  return out;
}
// A filter form's values as the page's hash (empty ones left out).
export function filterHash(page, form) {
  const f = new FormData(form);
  const out = periodQuery(f);
  for (const [k, v] of f) if (!['period', 'quarter', 'month', 'year', 'from', 'to'].includes(k) && v) out.set(k, v);
  return `#/${page}?${out}`;
}
// A filter form whose every non-empty field goes into the page's address (a month, a year, a state …) on submit.
export function submitsTo(form, page) {
  form.addEventListener('submit', e => {
    e.preventDefault();
    const out = new URLSearchParams();
    for (const [k, v] of new FormData(e.target)) if (v) out.set(k, v);
    location.hash = `#/${page}?${out}`;
  });
}
// The API query of a page's hash: the period and the registry filters.
export function apiQuery(q, keys = ['city', 'enterprise', 'mn', 'pollutant']) {
  const out = new URLSearchParams();
  if (q.get('quarter')) out.set('quarter', q.get('quarter'));
  else if (q.get('from')) { out.set('from', q.get('from')); if (q.get('to')) out.set('to', q.get('to')); }
  for (const k of keys) if (q.get(k)) out.set(k, q.get(k));
  return out;
}
