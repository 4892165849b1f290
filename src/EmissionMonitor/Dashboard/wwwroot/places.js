// Places: a prefecture, an enterprise (the bureau's view and the enterprise's own home) and an outlet
// with its charts, its live values and the commands to its terminal.
import { alertRowsTable } from './alerts.js';
import { acting, markActions, marksTable, orderActions, ordersTable } from './casework.js';
import { api, badge, codeUnit, enumText, fmt, h, lang, localDate, outletList, pct, pol, progressBar, quarterOf, show, sizeBars, stamp, state, stationsOnce, t, table, time, tonnes, view } from './core.js';

import { dateTimeInput, fromDateTime } from './forms.js';
import { cardsTable, exceedanceTable } from './tables.js';

// A prefecture: its enterprises with their rate this quarter, open exceedances and cards.
export async function cityPage(city) {
  const now = new Date();
  const c = encodeURIComponent(city);
  const [stations, rates, alerts, cards] = await Promise.all([stationsOnce(), api(`/api/rates?by=enterprise&city=${c}&limit=100000`),
    api(`/api/alerts?state=open&city=${c}&limit=100000`), api(`/api/cards?quarter=${quarterOf(now)}&city=${c}&limit=100000`)]);
  const enterprises = stations.filter(e => e.city === city);
  const rateOf = new Map(rates.map(r => [r.enterprise, r]));
  show(h('div', { id: 'city-page' }, h('p', { class: 'crumbs' }, h('a', { href: '#/' }, t('province')), ' › ', city),
    table('city-enterprises', ['enterprise', 'outlets', 'online', 'rateQuarter', 'ov.alerts', 'card'], enterprises.map(e => {
      const r = rateOf.get(e.id), open = alerts.filter(a => a.enterprise === e.id), card = cards.find(x => x.enterprise === e.id);
      return h('tr', { dataset: { enterprise: e.id } }, h('td', {}, h('a', { href: '#/enterprise/' + encodeURIComponent(e.id) }, e.name)), h('td', { class: 'num' }, e.outlets.length),
        h('td', { class: 'num' }, e.outlets.filter(o => o.lastSeen && now - new Date(o.lastSeen) < 3600e3).length),
        h('td', { class: 'num ' + (r?.belowThreshold ? 'red' : '') }, pct(r?.effectiveRate)), h('td', { class: 'num' }, open.length),
        h('td', {}, card ? badge(card.card, t('colour.' + card.card)) : ''));
    }))));
}

// An enterprise: its outlets and their rates, this year's totals against its permits, cards, open alerts and this quarter's exceedances.
export async function enterprisePage(id) {
  const now = new Date();
  const e = (await stationsOnce()).find(x => x.id === id);
  if (!e) { show(h('p', {}, t('none'))); return; }
  const q = encodeURIComponent(id);
  const [rates, totals, cards, alerts, exceedances] = await Promise.all([api(`/api/rates?by=outlet&enterprise=${q}&limit=100000`),
    api(`/api/totals?from=${now.getFullYear()}-01-01&by=enterprise&enterprise=${q}&limit=100`), api(`/api/cards?enterprise=${q}&quarter=${quarterOf(now)}`),
    api(`/api/alerts?state=open&enterprise=${q}&limit=20`), api(`/api/exceedances?enterprise=${q}&limit=5000`)]);
  // The newest first, twenty of each; the whole lists are a click away.
  const newest = [...exceedances].sort((a, b) => String(b.start).localeCompare(String(a.start))).slice(0, 20);
  const rateOf = new Map(rates.map(r => [r.mn, r]));
  show(h('div', { id: 'enterprise-page' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, t('province')), ' › ', h('a', { href: '#/city/' + encodeURIComponent(e.city) }, e.city), ' › ', e.name),
    h('h3', {}, t('entOutlets')),
    table('enterprise-outlets', ['outlet', 'mn', 'lastSeen', 'rateQuarter'], e.outlets.map(o => h('tr', { dataset: { mn: o.mn } },
      h('td', {}, h('a', { href: '#/outlet/' + encodeURIComponent(o.mn) }, o.name)), h('td', {}, o.mn), h('td', { class: 'nowrap' }, o.lastSeen ? time(o.lastSeen) : '–'),
      h('td', { class: 'num ' + (rateOf.get(o.mn)?.belowThreshold ? 'red' : '') }, pct(rateOf.get(o.mn)?.effectiveRate))))),
    h('h3', {}, t('ov.totalsPermit')),
    totals.length ? h('div', { class: 'panel' }, totals.map(r => h('div', { class: 'bar-row', dataset: { pollutant: r.pollutant } }, h('span', { class: 'bar-name' }, pol(r.pollutant)),
      progressBar(r.permitKg ? Math.min(1, r.ytdKg / r.permitKg) : 0, r.overTotal ? 'red' : 'green'),
      h('span', { class: 'bar-text' }, r.permitKg ? `${tonnes(r.ytdKg)} / ${tonnes(r.permitKg)} ${t('t')}` : `${tonnes(r.ytdKg)} ${t('t')} · ${t('noPermit')}`)))) : h('p', {}, t('nothing')),
    h('h3', {}, t('nav.cards')), cards.length ? cardsTable('enterprise-cards', cards) : h('p', {}, t('nothing')),
    h('h3', {}, t('activeAlerts')), alerts.length ? alertRowsTable('enterprise-alerts', alerts, false) : h('p', {}, t('nothing')),
    h('h3', {}, `${t('exceedancesQuarter')} (${fmt(exceedances.length, 0)})`), newest.length ? exceedanceTable(newest) : h('p', {}, t('nothing')),
    exceedances.length > newest.length ? h('p', {}, h('a', { href: '#/exceedances?enterprise=' + q, id: 'more-exceedances' }, t('more'))) : null));
  sizeBars();
}

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
    outlets.map(o => h('option', { value: o.mn, selected: o.mn === outlet.mn }, `${o.enterprise.city} · ${o.enterprise.name} · ${o.name} (${o.mn})`)));
  const charts = pollutants.map(p => [
    h('div', { class: 'chart' }, h('h4', {}, `${pol(p)} · ${t('hourly')}`), h('div', { id: 'h-' + p, class: 'plot', dataset: { pollutant: p } })),
    h('div', { class: 'chart' }, h('h4', {}, `${pol(p)} · ${t('realtime')}`), h('div', { id: 'r-' + p, class: 'plot' }))]);
  const commands = await commandsPanel(outlet);
  const last = outlet.lastCommand;
  show(h('div', { class: 'filters' }, h('label', {}, t('chooseOutlet'), select), h('a', { href: '#/data/' + encodeURIComponent(outlet.mn), id: 'query-data' }, t('queryData')),
    h('div', { class: 'card' }, h('div', { class: 'kv' },
      h('span', {}, t('rateMonth')), h('span', { id: 'rate-month' }, pct(month[0]?.effectiveRate)),
      h('span', {}, t('rateQuarter')), h('span', { id: 'rate-quarter' }, pct(quarter[0]?.effectiveRate)),
      h('span', {}, t('clockOffset')), h('span', { id: 'clock-offset' }, outlet.clock ? `${outlet.clock.offsetSeconds > 0 ? '+' : ''}${outlet.clock.offsetSeconds} s` : '–'),
      h('span', {}, t('lastCommand')), h('span', { id: 'last-command' }, last ? `${t('c.' + last.command)} · ${t('cs.' + last.state)} · ${time(last.requestedAt)}` : '–')))),
    h('div', { class: 'charts' }, charts), commands.panel);
  const plots = {};
  window.emPlots = plots; // for the browser tests: the chart instances and their data
  const width = () => Math.max(320, Math.min(900, (view.clientWidth / (view.clientWidth > 1100 ? 2 : 1)) - 40));
  for (const p of pollutants) {
    const lim = outlet.limits[p];
    // One kind of value per chart, named: 折算 where the records carry it, else 实测 — never the two mixed.
    const corrected = rows => rows.some(r => r.pollutant === p && (r.zsAvg ?? r.zsRtd) != null);
    const series = rows => {
      const zs = corrected(rows);
      const pts = rows.filter(r => r.pollutant === p).map(r => [Date.parse(r.period) / 1000, zs ? r.zsAvg ?? r.zsRtd : r.avg ?? r.rtd]);
      return [pts.map(x => x[0]), pts.map(x => x[1]), pts.map(() => lim.max ?? null), pts.map(() => lim.min ?? null)];
    };
    const zh = lang === 'zh';
    const opts = (live, rows) => ({ width: width(), height: 220, tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), 'Asia/Shanghai'),
      fmtDate: tpl => uPlot.fmtDate(tpl.replace('{h}:{mm}{aa}', '{HH}:{mm}').replace('{h}{aa}', '{HH}:00').replace('{M}/{D}/{YY}', zh ? '{YYYY}年{M}月{D}日' : '{YYYY}-{MM}-{DD}')
        .replace('{M}/{D}', zh ? '{M}月{D}日' : '{MM}-{DD}')),
      scales: live ? { x: { time: true, range: (u, min, max) => [Math.min(min ?? Infinity, Date.now() / 1e3 - 3600), Math.max(max ?? 0, Date.now() / 1e3)] } } : {},
      series: [{ label: t('time') }, { label: `${pol(p)}（${corrected(rows) ? t('zs') : t('measured')}）`, stroke: '#3fa7ff', width: 1.5 },
        { label: `${t('limitMax')} ${fmt(lim.max, 3)}`, stroke: '#ff5a5a', dash: [6, 4], show: lim.max != null, class: lim.max != null ? null : 'no-limit' },
        { label: `${t('limitMin')} ${fmt(lim.min, 3)}`, stroke: '#ffc940', dash: [6, 4], show: lim.min != null, class: lim.min != null ? null : 'no-limit' }],
      axes: [{ stroke: '#8aa0b4', grid: { stroke: '#243244' } }, { stroke: '#8aa0b4', grid: { stroke: '#243244' }, label: codeUnit(p), labelSize: 20 }] });
    plots['h' + p] = new uPlot(opts(false, hourly), series(hourly), document.getElementById('h-' + p));
    const rt = series(realtime.slice(-720));
    plots['r' + p] = { plot: new uPlot(opts(true, realtime), rt, document.getElementById('r-' + p)), data: rt };
  }
  return (kind, r) => {
    if (kind === 'command') { commands.onCommand(r); return; }
    if (kind !== 'reading' || r.mn !== outlet.mn || r.cn !== '2011') return;
    const ts = Date.parse(r.dataTime + '+08:00') / 1000;
    for (const p of pollutants) {
      if (typeof r.values[p] !== 'number' || !plots['r' + p]) continue;
      const { plot, data } = plots['r' + p]; const lim = outlet.limits[p];
      data[0].push(ts); data[1].push(r.values[p]); data[2].push(lim.max ?? null); data[3].push(lim.min ?? null);
      plot.setData(data);
    }
  };
}

// Commands to the outlet's terminal (HJ 212 Appendix C): the parameters each takes, as inputs.
const COMMANDS = {
  'get-time': [], 'set-time': ['time'], 'get-rtd-interval': [], 'set-rtd-interval': ['interval'], 'get-min-interval': [], 'set-min-interval': ['interval'],
  'start-realtime': [], 'stop-realtime': [], 'start-run-state': [], 'stop-run-state': [], 'history': ['cn', 'from', 'to'], 'get-info': ['polId'],
  'zero-calibrate': ['polId'], 'sample-now': ['polId'],
};
const resultText = c => {
  const r = c.result || {};
  if (r.offsetSeconds != null) return `${r.systemTime} (${r.offsetSeconds > 0 ? '+' : ''}${r.offsetSeconds} s)`;
  if (r.rtdInterval != null) return `${r.rtdInterval} s`;
  if (r.minInterval != null) return `${r.minInterval} min`;
  if (r.info) return Object.entries(r.info).map(([k, v]) => `${k}=${v}`).join('; ');
  return c.reason || '';
};
const commandRow = c => h('tr', { dataset: { id: c.id, state: c.state } },
  h('td', { class: 'nowrap' }, t('c.' + c.command)), h('td', { class: 'state nowrap cs-' + c.state }, t('cs.' + c.state)),
  h('td', { class: 'nowrap' }, enumText('link.', c.link)), h('td', {}, c.requestedBy), h('td', { class: 'nowrap' }, time(c.requestedAt)),
  h('td', { class: 'num' }, c.attempts), h('td', { class: 'result' }, resultText(c)));

async function commandsPanel(outlet) {
  const m = encodeURIComponent(outlet.mn);
  const list = await api(`/api/outlets/${m}/commands?limit=20`);
  const body = h('tbody', {}, list.map(commandRow));
  const rows = table('commands', ['command', 'state', 'link', 'requestedBy', 'requestedAt', 'attempts', 'result'], []);
  rows.replaceChild(body, rows.querySelector('tbody'));
  const s = state.session;
  const canCommand = !s || !s.loginRequired || s.role === 'operator';
  const select = h('select', { id: 'cmd-select', name: 'command' }, Object.keys(COMMANDS).map(c => h('option', { value: c }, t('c.' + c))));
  const params = h('span', { id: 'cmd-params' });
  const error = h('span', { id: 'cmd-error', class: 'red' });
  const now = new Date();
  const input = {
    // Empty: the service's clock at the moment the command is sent (the API's default), not when the page was opened.
    time: () => h('input', { name: 'time', size: 16, value: '', placeholder: t('timeNow'), pattern: '\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?', autocomplete: 'off' }),
    interval: () => h('input', { type: 'number', name: 'interval', min: 1, max: 3600, size: 6, required: true }),
    cn: () => h('select', { name: 'cn' }, [['2061', 'hourly'], ['2051', 'minute'], ['2031', 'daily']].map(([v, k]) => h('option', { value: v }, t('cn.' + k)))),
    from: () => dateTimeInput('from', stamp(new Date(now - 864e5))),
    to: () => dateTimeInput('to', stamp(now)),
    polId: () => h('select', { name: 'polId' }, Object.keys(outlet.limits).map(p => h('option', { value: p }, pol(p)))),
  };
  const fill = () => params.replaceChildren(...COMMANDS[select.value].map(k => h('label', {}, t('p.' + k), input[k]())));
  select.addEventListener('change', fill);
  fill();
  const form = h('form', { id: 'cmd-form', class: 'filters' }, h('label', {}, t('command'), select), params, h('button', { type: 'submit' }, t('send')), error);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    error.textContent = '';
    const p = {};
    for (const el of params.querySelectorAll('input, select')) if (el.value !== '') p[el.name] = el.type === 'number' ? Number(el.value) : ['time', 'from', 'to'].includes(el.name) ? fromDateTime(el.value) : el.value;
    try {
      const c = await api(`/api/outlets/${m}/commands`, { method: 'POST', body: JSON.stringify({ command: select.value, params: Object.keys(p).length ? p : undefined }) });
      upsert(c);
    } catch (err) { error.textContent = err.message; }
  });
  const upsert = c => {
    const row = commandRow(c);
    const old = body.querySelector(`tr[data-id="${CSS.escape(c.id)}"]`);
    if (old) old.replaceWith(row); else body.prepend(row);
  };
  const panel = h('div', { class: 'card', id: 'commands-panel' }, h('h3', {}, t('commands')), canCommand ? form : null, rows);
  return { panel, onCommand: c => { if (c.mn === outlet.mn) upsert(c); } };
}

// The city target barometer (晴雨表): per city and the province, each pollutant's year to date
// against its allocation at the pace expected to date, the level in colour.

export async function enterpriseHome() {
  const now = new Date();
  const [stations, rates, alerts, marks, orders] = await Promise.all([stationsOnce(), api('/api/rates?by=outlet&limit=100000'),
    api('/api/alerts?state=active&limit=500'), api('/api/marks?state=pending&limit=500'), api('/api/orders?state=open&limit=500')]);
  const rateOf = new Map(rates.map(r => [r.mn, r]));
  const error = h('span', { id: 'home-error', class: 'red' });
  const act = acting(error);
  const outlets = await outletList();
  show(h('div', { id: 'enterprise-home' },
    h('h3', {}, `${t('myOutlets')} · ${stations.map(e => e.name).join('、')}`),
    h('div', { class: 'cards' }, outlets.map(o => h('div', { class: 'card', dataset: { mn: o.mn } },
      h('h3', {}, h('a', { href: '#/outlet/' + encodeURIComponent(o.mn) }, o.name)),
      h('div', { class: 'kv' }, h('span', {}, t('mn')), h('span', {}, o.mn),
        h('span', {}, t('lastSeen')), h('span', { class: o.lastSeen && now - new Date(o.lastSeen) < 3600e3 ? null : 'warn' }, o.lastSeen ? time(o.lastSeen) : '–'),
        h('span', {}, t('rateQuarter')), h('span', { class: rateOf.get(o.mn)?.belowThreshold ? 'bad' : null }, pct(rateOf.get(o.mn)?.effectiveRate)))))),
    error,
    h('h3', {}, `${t('openOrders')} (${orders.length})`), orders.length ? ordersTable('home-orders', orders, o => orderActions(o, 'enterprise', act, error)) : h('p', {}, t('nothing')),
    h('h3', {}, `${t('myMarks')} (${marks.length})`, ' ', h('a', { href: '#/marks', id: 'file-mark' }, t('fileMark'))),
    marks.length ? marksTable('home-marks', marks, m => markActions(m, 'enterprise', act, error)) : h('p', {}, t('nothing')),
    h('h3', {}, `${t('activeAlerts')} (${alerts.length})`),
    alerts.length ? alertRowsTable('home-alerts', alerts, false) : h('p', {}, t('nothing'))));
}
