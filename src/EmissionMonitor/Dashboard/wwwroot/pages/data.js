// The data query (#/data/{mn}?cn=&from=&to=): any outlet (searched by name, MN or enterprise), any kind
// (real-time, minute, hourly, daily) and period; a chart of one pollutant with its unit on the axis,
// 实测 and 折算 as separate named series and the limits labelled; below it the table of values —
// every pollutant's value, 折算 value and flag (named in the user's language) — paged, as CSV/XLSX;
// for hourly data the validity of each hour (received / missing / invalid / excused / exempt) with
// totals, as `report hours` counts them.
import { api } from '../api.js';
import { checksOnce, checkText, codeUnit, downloads, hashQuery, outletName, pages, pol, stationsOnce } from '../core.js';
import { h, show, table } from '../dom.js';
import { fmt, localDate, time } from '../format.js';
import { picker } from '../forms.js';
import { t } from '../i18n.js';
import { timeAxis, timeChart, unitAxis, valuesCaption } from '../charts.js';

const KINDS = [['2061', 'hourly'], ['2011', 'realtime'], ['2051', 'minute'], ['2031', 'daily']];

const FLAGS = ['N', 'F', 'M', 'S', 'D', 'C', 'T', 'B'];

const PAGE = 100;

const flagText = f => f == null ? '' : FLAGS.includes(f) ? `${t('flag.' + f)}（${f}）` : f;

const value = (r, zs) => r.cn === '2011' ? (zs ? r.zsRtd : r.rtd) : (zs ? r.zsAvg : r.avg);

pages.data = async function dataPage(mnInPath) {
  const q = hashQuery();
  const outlets = (await stationsOnce()).flatMap(e => e.outlets.map(o => Object.assign({ enterprise: e }, o)));
  const outlet = outlets.find(o => o.mn === mnInPath) || outlets[0];
  if (!outlet) { show(h('p', {}, t('nothing'))); return; }
  const cn = KINDS.some(([c]) => c === q.get('cn')) ? q.get('cn') : '2061';
  const now = new Date();
  const span = cn === '2011' || cn === '2051' ? 864e5 : cn === '2031' ? 30 * 864e5 : 7 * 864e5;
  const from = q.get('from') || localDate(new Date(now - span)), to = q.get('to') || localDate(new Date(now.getTime() + 864e5));
  const page = Math.max(0, Number(q.get('page')) || 0);
  const m = encodeURIComponent(outlet.mn);
  const query = `cn=${cn}&from=${from}&to=${to}`;
  const [rows, hours] = await Promise.all([api(`/api/outlets/${m}/readings?${query}&limit=1000000`),
    cn === '2061' ? api(`/api/hours?mn=${m}&from=${from}&to=${to}&limit=1000000`) : Promise.resolve(null), checksOnce()]);
  const pollutants = [...new Set(rows.map(r => r.pollutant))].sort((a, b) => (outlet.limits[b] ? 1 : 0) - (outlet.limits[a] ? 1 : 0) || a.localeCompare(b));
  const chosen = pollutants.includes(q.get('pollutant')) ? q.get('pollutant') : pollutants[0];
  const byPeriod = new Map();
  for (const r of rows) (byPeriod.get(r.period) || byPeriod.set(r.period, new Map()).get(r.period)).set(r.pollutant, r);
  const periods = [...byPeriod.keys()].sort().reverse();

  const form = h('form', { class: 'filters', id: 'data-filter' },
    h('label', {}, t('outlet'), picker('mn', outlets.map(o => [o.mn, `${o.enterprise.name} · ${outletName(o)} (${o.mn})`]), outlet.mn, t('outlet'))),
    h('label', {}, t('dataKind'), h('select', { name: 'cn' }, KINDS.map(([c, k]) => h('option', { value: c, selected: c === cn }, t('dk.' + k))))),
    h('label', {}, t('from'), h('input', { name: 'from', value: from, size: 10, pattern: '\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2})?', autocomplete: 'off' })),
    h('label', {}, t('to'), h('input', { name: 'to', value: to, size: 10, pattern: '\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2})?', autocomplete: 'off' })),
    pollutants.length ? h('label', {}, t('pollutant'), h('select', { name: 'pollutant' }, pollutants.map(p => h('option', { value: p, selected: p === chosen }, pol(p))))) : null,
    h('button', { type: 'submit' }, t('search')), ' ', downloads(`/api/outlets/${m}/readings?${query}`, `${outlet.mn}-${cn}`));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const f = new URLSearchParams(new FormData(e.target));
    const mn = f.get('mn') || outlet.mn; f.delete('mn');
    location.hash = `#/data/${encodeURIComponent(mn)}?${f}`;
  });

  const go = n => { const f = new URLSearchParams(q); f.set('page', n); location.hash = `#/data/${m}?${f}`; };
  const pages = Math.max(1, Math.ceil(periods.length / PAGE));
  const shown = periods.slice(page * PAGE, (page + 1) * PAGE);
  const headers = ['time', ...pollutants.flatMap(p => [p, 'zs:' + p, 'flag:' + p])];
  const label = k => k === 'time' ? t('time') : k.startsWith('zs:') ? `${pol(k.slice(3))} ${t('zs')}` : k.startsWith('flag:') ? `${pol(k.slice(5))} ${t('flagCol')}` : `${pol(k)} ${t('measured')}`;
  const table = h('table', { id: 'data-table' }, h('thead', {}, h('tr', {}, headers.map(k => h('th', {}, label(k))))),
    h('tbody', {}, shown.length ? shown.map(p => h('tr', { dataset: { period: p } }, h('td', { class: 'nowrap', dataset: { label: t('time') } }, time(p)),
      pollutants.flatMap(code => {
        const r = byPeriod.get(p).get(code);
        const v = r ? value(r, false) : null, z = r ? value(r, true) : null;
        return [h('td', { class: 'num', dataset: { label: label(code) } }, v == null ? '' : fmt(v, 3)), h('td', { class: 'num', dataset: { label: label('zs:' + code) } }, z == null ? '' : fmt(z, 3)),
          h('td', { class: 'nowrap' + (r?.flag && r.flag !== 'N' ? ' warn' : ''), dataset: { label: label('flag:' + code), derived: r?.derived ? 'true' : null } },
            r ? (r.derived ? `${flagText(r.flag)} · ${t('derivedHour')}` : flagText(r.flag)) : '')];
      }))) : h('tr', { class: 'empty' }, h('td', { colspan: headers.length }, t('nothing')))));
  const pager = h('p', { class: 'muted', id: 'data-pages' }, t('countOf').replace('{n}', fmt(periods.length, 0)), ' · ', t('pageOf').replace('{n}', page + 1).replace('{m}', pages), ' ',
    page > 0 ? h('button', { type: 'button', onclick: () => go(page - 1) }, t('prev')) : null, ' ', page + 1 < pages ? h('button', { type: 'button', onclick: () => go(page + 1) }, t('next')) : null);

  const plot = h('div', { class: 'plot', id: 'data-plot' });
  show(form, h('div', { class: 'chart' }, h('h4', {}, `${pol(chosen)} · ${t('dk.' + KINDS.find(([c]) => c === cn)[1])}`), plot), pager, h('div', { class: 'table-scroll' }, table), validity(hours));
  if (chosen) draw(plot, rows.filter(r => r.pollutant === chosen).sort((a, b) => a.period.localeCompare(b.period)), outlet.limits[chosen], chosen);
};

// One pollutant over the period: 实测 and 折算 as two named series, the limits as labelled lines, the unit on the axis, time in the page's language.
function draw(box, rows, limit, code) {
  const unit = codeUnit(code);
  const xs = rows.map(r => Date.parse(r.period) / 1000);
  const max = typeof limit === 'number' ? limit : limit?.max ?? null, min = limit?.min ?? null;
  const series = [{ label: t('time') }, { label: t('measured'), stroke: '#3fa7ff', width: 2 }, { label: t('zs'), stroke: '#3ecf8e', width: 2 }];
  const data = [xs, rows.map(r => value(r, false)), rows.map(r => value(r, true))];
  if (max != null) { series.push({ label: `${t('limitMax')} ${fmt(max, 3)}`, stroke: '#ff5a5a', dash: [6, 4] }); data.push(xs.map(() => max)); }
  if (min != null) { series.push({ label: `${t('limitMin')} ${fmt(min, 3)}`, stroke: '#ffc940', dash: [6, 4] }); data.push(xs.map(() => min)); }
  timeChart(box, { height: 260, series, axes: [timeAxis(), unitAxis(unit)] }, data,
    valuesCaption('data-caption', data[1].map((v, i) => v ?? data[2][i]), max));
}

// Each hour of the period for the rate: the totals of each state as the rate counts them, and the first hundred hours that are not valid, with why.
function validity(hours) {
  if (!hours) return null;
  const states = ['valid', 'invalid', 'missing', 'excused', 'exempt'];
  const totals = Object.fromEntries(states.map(s => [s, hours.filter(x => x.state === s).length]));
  return h('div', { id: 'validity' }, h('h3', {}, t('validityView')),
    h('p', { id: 'validity-totals' }, states.map(s => h('span', { class: 'hs ' + s, dataset: { state: s, count: totals[s] } }, `${t('hs.' + s)} ${fmt(totals[s], 0)}  `))),
    table('validity-hours', ['start', 'pollutant', 'state', 'flag', 'detail'], hours.filter(x => x.state !== 'valid').slice(0, 100).map(x =>
      h('tr', { dataset: { state: x.state } }, h('td', { class: 'nowrap' }, time(x.start)), h('td', {}, pol(x.pollutant)), h('td', {}, t('hs.' + x.state)), h('td', {}, flagText(x.flag)), h('td', { title: x.detail ?? '' }, checkText(x.reason, x.detail), x.derived ? ` · ${t('derivedHour')}` : '')))));
}
