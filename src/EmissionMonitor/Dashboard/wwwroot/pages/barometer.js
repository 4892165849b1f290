// The barometer: each city's totals against the caps of the year.
import { api } from '../api.js';
import { hashQuery, pol } from '../core.js';
import { h, show } from '../dom.js';
import { pct, tonnes } from '../format.js';
import { t } from '../i18n.js';

export async function barometerPage() {
  const q = hashQuery();
  const thisYear = new Date().getFullYear();
  const year = /^\d{4}$/.test(q.get('year') || '') ? Number(q.get('year')) : thisYear;
  const rows = await api('/api/barometer?year=' + year);
  const form = h('form', { class: 'filters', id: 'barometer-filter' },
    h('label', {}, t('year'), h('select', { name: 'year' }, [thisYear - 1, thisYear, thisYear + 1].map(y => h('option', { value: y, selected: y === year }, String(y))))),
    h('button', { type: 'submit' }, t('search')));
  form.addEventListener('submit', e => { e.preventDefault(); location.hash = '#/barometer?' + new URLSearchParams(new FormData(e.target)); });
  const byCity = new Map();
  for (const r of rows) (byCity.get(r.city) || byCity.set(r.city, []).get(r.city)).push(r);
  const bar = r => h('div', { class: 'bar-row', dataset: { pollutant: r.pollutant, level: r.level } },
    h('span', { class: 'bar-name' }, pol(r.pollutant)),
    h('span', { class: 'bar' }, h('span', { class: 'fill ' + r.level, dataset: { width: Math.min(100, Math.round((r.progress ?? 0) * 100 / 1.5)) } })),
    h('span', { class: 'bar-text' }, `${tonnes(r.ytdKg)} / ${tonnes(r.allocationKg)} ${t('t')} · ${r.progress == null ? '–' : Math.round(r.progress * 100) + '%'} · ${t('lv.' + r.level)}`));
  const card = (city, list) => h('div', { class: 'card barometer', dataset: { city: city ?? 'province' } },
    h('h3', {}, city ?? t('province')),
    h('div', { class: 'rate' }, `${t('rateQuarter')}: ${pct(list[0].effectiveRate)}`, list[0].belowThreshold ? h('span', { class: 'red' }, ' < 90%') : null),
    list.map(bar));
  const cities = [...byCity.keys()].filter(c => c != null).sort();
  show(form, rows.length === 0 ? h('p', { id: 'no-targets' }, t('noTargets')) :
    h('div', { class: 'cards', id: 'barometer' }, byCity.has(null) ? card(null, byCity.get(null)) : null, cities.map(c => card(c, byCity.get(c)))));
  // Widths through the CSSOM (the Content-Security-Policy allows no inline style attributes).
  document.querySelectorAll('#barometer .fill').forEach(el => { el.style.width = el.dataset.width + '%'; });
}
