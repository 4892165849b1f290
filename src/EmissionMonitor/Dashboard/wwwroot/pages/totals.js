// Totals of COD, NH3-N, SO2 and NOx against the annual caps, by province, city, enterprise or outlet.
import { api } from '../api.js';
import { TOTALLED, downloads, hashQuery, pol } from '../core.js';
import { h, progressBar, show, sizeBars, table } from '../dom.js';
import { fmt, localDate, pad, tonnes } from '../format.js';
import { apiQuery, filterHash, periodFields, registryPickers } from '../forms.js';
import { lang, t, tf } from '../i18n.js';
import { localSeconds, timeAxis, timeChart, unitAxis } from '../charts.js';

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
  const name = r => by === 'outlet' ? `${r.enterpriseName} · ${r.code ? `${r.code} ` : ''}${r.mn}` : by === 'enterprise' ? r.enterpriseName : by === 'city' ? r.city : t('province');
  const chartBox = h('div', { id: 'monthly-plot', class: 'plot' });
  show(form, h('div', { class: 'panel' }, h('h3', {}, `${t('monthly')} · ${lang === 'zh' ? year + '年' : year}`), chartBox),
    table('totals', [by === 'province' ? 'province' : 'g.' + by, 'pollutant', 'tonnes', 'reportedT', 'validT', 'permitT', 'progress', 'monitoringCol'], rows.filter(r => TOTALLED.includes(r.pollutant)).map(r => {
      const limit = against(r), ratio = limit ? (r.ytdKg ?? r.kg) / limit : null;
      return h('tr', { dataset: { pollutant: r.pollutant, usable: String(r.monitoringUsable !== false) } }, h('td', {}, by === 'enterprise' && r.enterprise ? h('a', { href: '#/enterprise/' + encodeURIComponent(r.enterprise) }, name(r)) : name(r)),
        h('td', { title: r.pollutant }, pol(r.pollutant)), h('td', { class: 'num' }, tonnes(r.kg)), h('td', { class: 'num' }, tonnes(r.reportedKg ?? r.kg)), h('td', { class: 'num' }, tonnes(r.validKg)),
        h('td', { class: 'num' }, limit ? tonnes(limit) : '–'),
        h('td', { class: 'progress' }, ratio == null ? '–' : [progressBar(Math.min(1, ratio), ratio >= 1 ? 'red' : ratio >= 0.9 ? 'yellow' : 'green'), ' ', fmt(ratio * 100, 0) + '%']),
        h('td', { class: r.monitoringUsable === false ? 'red' : 'muted' }, r.monitoringUsable === false ? tf('unusable', { p: fmt(r.missingShare * 100, 1) + '%' }) : t('usable')));
    })));
  sizeBars();
  const xs = months.map(m => localSeconds(`${year}-${pad(m + 1)}-15T00:00:00`));
  const colours = ['#3fa7ff', '#3ecf8e', '#ffc940', '#ff5a5a'];
  const codes = TOTALLED.filter(c => !q.get('pollutant') || c === q.get('pollutant'));
  timeChart(chartBox, {
    series: [{ label: t('time') }, ...codes.map((c, i) => ({ label: pol(c), stroke: colours[i], fill: colours[i] + '55', paths: uPlot.paths.bars({ size: [0.18, 30], align: 0 }) }))],
    axes: [timeAxis(), unitAxis(t('tonnesUnit'))] },
    [xs, ...codes.map(c => monthly.map(list => { const r = list.find(x => x.pollutant === c); return r ? r.kg / 1000 : null; }))]);
}
