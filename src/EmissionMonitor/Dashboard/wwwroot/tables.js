// The report tables: totals against caps, exceedance episodes, red and yellow cards, the barometer.
import { HttpError, TOTALLED, api, badge, downloads, enumText, fmt, h, hashQuery, lang, localDate, pad, pct, pol, progressBar, quarterOf, reasonText, role, show, sizeBars, t, table, time, tonnes } from './core.js';

import { cardActions } from './decisions.js';
import { apiQuery, filterHash, periodFields, registryPickers } from './forms.js';

export async function totalsPage() {
  const q = hashQuery();
  const now = new Date();
  if (!q.get('quarter') && !q.get('from')) { q.set('period', 'year'); q.set('from', `${now.getFullYear()}-01-01`); q.set('to', `${now.getFullYear() + 1}-01-01`); }
  const by = ['province', 'city', 'enterprise', 'outlet'].includes(q.get('by')) ? q.get('by') : 'city';
  const query = apiQuery(q, ['city', 'enterprise', 'pollutant']);
  query.set('by', by);
  const year = Number((q.get('from') || q.get('quarter') || String(now.getFullYear())).slice(0, 4));
  const scope = apiQuery(q, ['city', 'enterprise', 'pollutant']); scope.delete('quarter'); scope.delete('from'); scope.delete('to');
  const months = [...Array(12).keys()];
  const [rows, pickers, monthly] = await Promise.all([api('/api/totals?limit=100000&' + query), registryPickers(q, ['city', 'enterprise', 'pollutant']),
    Promise.all(months.map(m => new Date(year, m, 1) > now ? Promise.resolve([]) :
      api(`/api/totals?from=${year}-${pad(m + 1)}-01&to=${localDate(new Date(year, m + 1, 1))}&by=province&limit=100&${scope}`)))]);
  const form = h('form', { class: 'filters', id: 'totals-filter' }, periodFields(q), pickers,
    h('label', {}, t('groupBy'), h('select', { name: 'by' }, ['province', 'city', 'enterprise', 'outlet'].map(g => h('option', { value: g, selected: g === by }, t('g.' + g))))),
    h('button', { type: 'submit' }, t('search')), ' ', downloads('/api/totals?' + query, 'totals'));
  form.addEventListener('submit', e => { e.preventDefault(); location.hash = filterHash('totals', e.target); });
  const against = r => r.permitKg ?? r.capKg ?? null;
  const name = r => by === 'outlet' ? `${r.enterpriseName} · ${r.mn}` : by === 'enterprise' ? r.enterpriseName : by === 'city' ? r.city : t('province');
  const chartBox = h('div', { id: 'monthly-plot', class: 'plot' });
  show(form, h('div', { class: 'panel' }, h('h3', {}, `${t('monthly')} · ${lang === 'zh' ? year + '年' : year}`), chartBox),
    table('totals', [by === 'province' ? 'province' : 'g.' + by, 'pollutant', 'tonnes', 'validT', 'permitT', 'progress'], rows.filter(r => TOTALLED.includes(r.pollutant)).map(r => {
      const limit = against(r), ratio = limit ? (r.ytdKg ?? r.kg) / limit : null;
      return h('tr', { dataset: { pollutant: r.pollutant } }, h('td', {}, by === 'enterprise' && r.enterprise ? h('a', { href: '#/enterprise/' + encodeURIComponent(r.enterprise) }, name(r)) : name(r)),
        h('td', { title: r.pollutant }, pol(r.pollutant)), h('td', { class: 'num' }, tonnes(r.kg)), h('td', { class: 'num' }, tonnes(r.validKg)),
        h('td', { class: 'num' }, limit ? tonnes(limit) : '–'),
        h('td', { class: 'progress' }, ratio == null ? '–' : [progressBar(Math.min(1, ratio), ratio >= 1 ? 'red' : ratio >= 0.9 ? 'yellow' : 'green'), ' ', fmt(ratio * 100, 0) + '%']));
    })));
  sizeBars();
  const xs = months.map(m => Date.parse(`${year}-${pad(m + 1)}-15T00:00:00+08:00`) / 1000);
  const colours = ['#3fa7ff', '#3ecf8e', '#ffc940', '#ff5a5a'];
  const codes = TOTALLED.filter(c => !q.get('pollutant') || c === q.get('pollutant'));
  window.emPlots = { monthly: new uPlot({ width: Math.max(320, chartBox.clientWidth - 10), height: 220, tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), 'Asia/Shanghai'),
    series: [{ label: t('time') }, ...codes.map((c, i) => ({ label: pol(c), stroke: colours[i], fill: colours[i] + '55', paths: uPlot.paths.bars({ size: [0.18, 30], align: 0 }) }))],
    axes: [{ stroke: '#8aa0b4', grid: { stroke: '#243244' } }, { stroke: '#8aa0b4', grid: { stroke: '#243244' } }] },
    [xs, ...codes.map(c => monthly.map(list => { const r = list.find(x => x.pollutant === c); return r ? r.kg / 1000 : null; }))], chartBox) };
}

export const exceedanceTable = rows => table('exceedances', ['city', 'enterprise', 'mn', 'pollutant', 'basis', 'valueKind', 'start', 'end', 'periods', 'peak', 'limit', 'multiple'], rows.map(r =>
  h('tr', {}, h('td', {}, r.city), h('td', {}, r.enterpriseName), h('td', {}, r.mn), h('td', { title: r.pollutant }, pol(r.pollutant)), h('td', {}, enumText('basis.', r.basis)),
    h('td', {}, enumText('vk.', r.valueKind)), h('td', { class: 'nowrap' }, time(r.start)), h('td', { class: 'nowrap' }, r.ongoing ? t('ongoing') : time(r.end)),
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

// Cards; `actions` (the operators' buttons of a row) adds a last column.
export const cardsTable = (id, rows, actions) => table(id, ['city', 'enterprise', 'card', 'reasons', 'cardDecision', 'lifted', actions ? '' : null].filter(x => x !== null), rows.map(r =>
  h('tr', { dataset: { enterprise: r.enterprise, card: r.card, quarter: r.quarter } }, h('td', {}, r.city), h('td', {}, h('a', { href: '#/enterprise/' + encodeURIComponent(r.enterprise) }, r.enterpriseName)),
    h('td', {}, badge(r.card, t('colour.' + r.card))),
    h('td', {}, r.reasons.map((reason, i) => [i ? h('br') : null, reasonText((r.reasonItems || [])[i], reason)])),
    h('td', {}, enumText('cd.', r.decision), r.decidedBy ? ` · ${r.decidedBy}` : ''),
    h('td', {}, r.lifted ? `${r.lifted.by} ${time(r.lifted.at)}` : ''), actions ? h('td', { class: 'nowrap' }, actions(r)) : null)));

export async function cardsPage() {
  const q = hashQuery();
  const quarter = /^\d{4}Q[1-4]$/.test(q.get('quarter') || '') ? q.get('quarter') : quarterOf(new Date());
  q.set('quarter', quarter);
  const query = apiQuery(q, ['city', 'enterprise']);
  const [rows, pickers] = await Promise.all([api('/api/cards?' + query), registryPickers(q, ['city', 'enterprise'])]);
  const form = h('form', { class: 'filters', id: 'card-filter' }, periodFields(q, ['quarter']), pickers, h('button', { type: 'submit' }, t('search')), ' ', downloads('/api/cards?' + query, 'cards'));
  form.addEventListener('submit', e => { e.preventDefault(); location.hash = filterHash('cards', e.target); });
  show(form, cardsTable('cards', rows, role() === 'operator' ? cardActions : null));
}

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

// Supervision orders (督办): operators issue, close and reopen them; an enterprise answers its own.
