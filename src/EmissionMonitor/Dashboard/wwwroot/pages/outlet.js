// An outlet: its rates, live values, 24-hour and 7-day charts, and the commands to its terminal.
import { api } from '../api.js';
import { codeUnit, outletList, outletName, pol } from '../core.js';
import { h, show } from '../dom.js';
import { fmt, localDate, pct, time } from '../format.js';
import { t } from '../i18n.js';
import { commandsPanel } from './commands.js';
import { facilitiesPanel } from './facilities.js';
import { localSeconds, timeAxis, timeChart, unitAxis, valuesCaption } from '../charts.js';

// Emission totals: by city, enterprise, outlet or the province, against permits and caps, with the year's monthly bars.
export async function outletPage(mn) {
  const outlets = await outletList();
  const outlet = outlets.find(o => o.mn === mn) || outlets[0];
  if (!outlet) { show(t('none')); return; }
  const now = new Date();
  const monthStart = localDate(new Date(now.getFullYear(), now.getMonth(), 1));
  const m = encodeURIComponent(outlet.mn);
  const [hourly, realtime, month, quarter] = await Promise.all([
    api(`/api/outlets/${m}/readings?cn=2061&from=${localDate(new Date(now - 7 * 864e5))}&limit=100000`),
    api(`/api/outlets/${m}/readings?cn=2011&from=${localDate(new Date(now - 864e5))}&limit=100000`),
    api(`/api/rates?mn=${m}&from=${monthStart}`), api(`/api/rates?mn=${m}`)]);
  const pollutants = Object.keys(outlet.limits);
  const select = h('select', { id: 'outlet-select', onchange: e => { location.hash = '#/outlet/' + encodeURIComponent(e.target.value); } },
    outlets.map(o => h('option', { value: o.mn, selected: o.mn === outlet.mn }, `${o.enterprise.city} · ${o.enterprise.name} · ${outletName(o)} (${o.mn})`)));
  const charts = pollutants.map(p => [
    h('div', { class: 'chart' }, h('h4', {}, `${pol(p)} · ${t('hourly')}`), h('div', { id: 'h-' + p, class: 'plot', dataset: { pollutant: p } })),
    h('div', { class: 'chart' }, h('h4', {}, `${pol(p)} · ${t('realtime')}`), h('div', { id: 'r-' + p, class: 'plot' }))]);
  const commands = await commandsPanel(outlet);
  const facilities = await facilitiesPanel(outlet.enterprise.id, outlet.enterprise.facilities || [], outlet.mn);
  const last = outlet.lastCommand;
  show(h('div', { class: 'filters' }, h('label', {}, t('chooseOutlet'), select), h('a', { href: '#/data/' + encodeURIComponent(outlet.mn), id: 'query-data' }, t('queryData')),
    h('div', { class: 'card' }, h('div', { class: 'kv' },
      h('span', {}, t('rateMonth')), h('span', { id: 'rate-month' }, pct(month[0]?.effectiveRate)),
      h('span', {}, t('rateQuarter')), h('span', { id: 'rate-quarter' }, pct(quarter[0]?.effectiveRate)),
      h('span', {}, t('clockOffset')), h('span', { id: 'clock-offset' }, outlet.clock ? `${outlet.clock.offsetSeconds > 0 ? '+' : ''}${outlet.clock.offsetSeconds} s` : '–'),
      h('span', {}, t('lastCommand')), h('span', { id: 'last-command' }, last ? `${t('c.' + last.command)} · ${t('cs.' + last.state)} · ${time(last.requestedAt)}` : '–')))),
    ...(facilities ? [facilities] : []), h('div', { class: 'charts' }, charts), commands.panel);
  const plots = {};
  for (const p of pollutants) {
    const lim = outlet.limits[p];
    // One kind of value per chart, named: 折算 where the records carry it, else 实测 — never the two mixed.
    const corrected = rows => rows.some(r => r.pollutant === p && (r.zsAvg ?? r.zsRtd) != null);
    const series = rows => {
      const zs = corrected(rows);
      const pts = rows.filter(r => r.pollutant === p).map(r => [Date.parse(r.period) / 1000, zs ? r.zsAvg ?? r.zsRtd : r.avg ?? r.rtd]);
      return [pts.map(x => x[0]), pts.map(x => x[1]), pts.map(() => lim.max ?? null), pts.map(() => lim.min ?? null)];
    };
    // Each chart as wide as its place in the grid (timeChart measures the box).
    const opts = (live, rows) => ({
      scales: live ? { x: { time: true, range: (u, min, max) => [Math.min(min ?? Infinity, Date.now() / 1e3 - 3600), Math.max(max ?? 0, Date.now() / 1e3)] } } : {},
      series: [{ label: t('time') }, { label: `${pol(p)}（${corrected(rows) ? t('zs') : t('measured')}）`, stroke: '#3fa7ff', width: 1.5 },
        { label: `${t('limitMax')} ${fmt(lim.max, 3)}`, stroke: '#ff5a5a', dash: [6, 4], show: lim.max != null, class: lim.max != null ? null : 'no-limit' },
        { label: `${t('limitMin')} ${fmt(lim.min, 3)}`, stroke: '#ffc940', dash: [6, 4], show: lim.min != null, class: lim.min != null ? null : 'no-limit' }],
      axes: [timeAxis(), unitAxis(codeUnit(p))] });
    const hs = series(hourly);
    plots['h' + p] = timeChart(document.getElementById('h-' + p), opts(false, hourly), hs, valuesCaption('hc-' + p, hs[1], lim.max));
    const rt = series(realtime.slice(-720));
    plots['r' + p] = { plot: timeChart(document.getElementById('r-' + p), opts(true, realtime), rt), data: rt };
  }
  return (kind, r) => {
    if (kind === 'command') { commands.onCommand(r); return; }
    if (kind !== 'reading' || r.mn !== outlet.mn || r.cn !== '2011') return;
    const ts = localSeconds(r.dataTime);
    for (const p of pollutants) {
      if (typeof r.values[p] !== 'number' || !plots['r' + p]) continue;
      const { plot, data } = plots['r' + p]; const lim = outlet.limits[p];
      data[0].push(ts); data[1].push(r.values[p]); data[2].push(lim.max ?? null); data[3].push(lim.min ?? null);
      plot.setData(data);
    }
  };
}
