// Exceedance episodes of a period, filtered by city, enterprise, outlet and pollutant.
import { HttpError } from '../api.js';
import { downloads, hashQuery, pol } from '../core.js';
import { h, show, table } from '../dom.js';
import { fmt, quarterOf, time } from '../format.js';
import { apiQuery, filterHash, periodFields, registryPickers } from '../forms.js';
import { enumText, t } from '../i18n.js';

export const exceedanceTable = rows => table('exceedances', ['city', 'enterprise', 'mn', 'pollutant', 'basis', 'valueKind', 'start', 'end', 'periods', 'peak', 'limit', 'multiple'], rows.map(r =>
  h('tr', {}, h('td', {}, r.city), h('td', {}, r.enterpriseName), h('td', { title: r.code ?? '' }, r.code ? `${r.mn}（${r.code}）` : r.mn), h('td', { title: r.pollutant }, pol(r.pollutant)), h('td', {}, enumText('basis.', r.basis)),
    h('td', {}, enumText('vk.', r.valueKind), r.source === 'manual' && r.valueKind !== 'manual' ? t('withManual') : null), h('td', { class: 'nowrap' }, time(r.start)), h('td', { class: 'nowrap' }, r.ongoing ? t('ongoing') : time(r.end)),
    h('td', { class: 'num' }, r.periods), h('td', { class: 'num' }, fmt(r.peak, 2)), h('td', { class: 'num' }, fmt(r.limit, 2)),
    h('td', { class: 'num' }, typeof r.peakMultiple === 'number' ? fmt(r.peakMultiple, 2) : '–'))));

// Exceedance episodes, 200 to a page (a province's quarter holds hundreds of thousands): the
// count comes from X-Total-Count, the downloads carry them all.
export async function exceedancesPage() {
  const q = hashQuery();
  const now = new Date();
  if (!q.get('quarter') && !q.get('from')) q.set('quarter', quarterOf(now));
  const query = apiQuery(q);
  const page = Math.max(0, Number(q.get('page')) || 0), size = 200;
  const res = await fetch(`/api/exceedances?limit=${size}&offset=${page * size}&${query}`, { credentials: 'same-origin' });
  if (!res.ok) throw new HttpError(res.status, '/api/exceedances: ' + res.status);
  const total = Number(res.headers.get('X-Total-Count') || 0);
  const [rows, pickers] = await Promise.all([res.json(), registryPickers(q)]);
  const form = h('form', { class: 'filters', id: 'exc-filter' }, periodFields(q), pickers, h('button', { type: 'submit' }, t('search')), ' ', downloads('/api/exceedances?' + query, 'exceedances'));
  form.addEventListener('submit', e => { e.preventDefault(); location.hash = filterHash('exceedances', e.target); });
  const pages = Math.max(1, Math.ceil(total / size));
  const go = n => { const f = new URLSearchParams(q); f.set('page', n); location.hash = '#/exceedances?' + f; };
  const summary = h('p', { id: 'exc-counts', class: 'muted' }, t('episodesOf').replace('{n}', fmt(total, 0)), ' · ', t('pageOf').replace('{n}', page + 1).replace('{m}', pages), ' ',
    page > 0 ? h('button', { type: 'button', id: 'prev-page', onclick: () => go(page - 1) }, t('prev')) : null, ' ',
    page + 1 < pages ? h('button', { type: 'button', id: 'next-page', onclick: () => go(page + 1) }, t('next')) : null);
  show(form, summary, exceedanceTable(rows));
}
