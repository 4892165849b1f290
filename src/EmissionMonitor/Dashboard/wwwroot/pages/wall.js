// The province at a glance (#/, and #/wall for a wall display): the quarter's effective rate against
// 90 %, the outlets online now, open alerts by severity, the cards, this year's totals against the
// province caps, a 30-day trend, the newest open alerts and the prefectures as tiles, worst first.
// Every figure is live: an alert event (or a reconnect of the stream) reads the figures again within
// a couple of seconds. #/wall is the kiosk: no navigation, large type for reading across a room, and
// it turns through the overview, the alert list and the worst cities every `rotate` seconds
// (#/wall?rotate=30; 0 stays on one; view=overview|alerts|cities starts there). Every key figure
// carries data-kpi (rate, online, alerts-critical, alerts-warning, alerts-info, cards-red, cards-yellow).
import { api } from '../api.js';
import { TOTALLED, alertText, hashQuery, pages, pol } from '../core.js';
import { h, progressBar, show, sizeBars } from '../dom.js';
import { fmt, localDate, pct, quarterOf, time, tonnes } from '../format.js';
import { lang, t } from '../i18n.js';
import { localSeconds, timeAxis, timeChart } from '../charts.js';

const SEVERITIES = ['critical', 'warning', 'info'];

const RANK = { bad: 0, warn: 1, ok: 2 };

async function load() {
  const now = new Date();
  const year = now.getFullYear();
  const trendFrom = localDate(new Date(now.getTime() - 29 * 864e5));
  const [stations, rates, province, exceeding, counts, cards, totals, trend, newest] = await Promise.all([
    api('/api/stations'), api('/api/rates?by=city&limit=100000'), api('/api/rates?by=province'), api('/api/alerts?state=open&kind=exceedance&limit=100000'),
    api('/api/alerts/counts?state=open'), api('/api/cards?quarter=' + quarterOf(now) + '&limit=100000'),
    api(`/api/totals?from=${year}-01-01&by=province&limit=100`), api(`/api/trend?from=${trendFrom}&limit=100`), api('/api/alerts?state=open&limit=30')]);
  const byCity = new Map();
  const row = city => byCity.get(city) || byCity.set(city, { city, outlets: 0, online: 0, rate: null, below: false, exceeding: new Set(), red: 0, yellow: 0 }).get(city);
  let outlets = 0, online = 0;
  for (const e of stations) { // read afresh: when each outlet was last seen
    const r = row(e.city);
    for (const o of e.outlets) {
      r.outlets++; outlets++;
      if (o.lastSeen && now - new Date(o.lastSeen) < 3600e3) { r.online++; online++; }
    }
  }
  for (const x of rates) { const r = row(x.city); r.rate = x.effectiveRate; r.below = x.belowThreshold; }
  for (const a of exceeding) if (a.city) row(a.city).exceeding.add(a.mn);
  const live = cards.filter(c => c.decision !== 'dismissed' && !c.lifted);
  for (const c of live) row(c.city)[c.card === 'red' ? 'red' : 'yellow']++;
  const worst = r => r.red || r.exceeding.size ? 'bad' : (r.below || r.yellow) ? 'warn' : 'ok';
  const cities = [...byCity.values()].map(r => Object.assign(r, { state: worst(r) }))
    .sort((a, b) => RANK[a.state] - RANK[b.state] || (a.rate ?? 1) - (b.rate ?? 1) || a.city.localeCompare(b.city, 'zh-CN'));
  return { year, province: province[0], outlets, online, counts, red: live.filter(c => c.card === 'red').length, yellow: live.filter(c => c.card === 'yellow').length,
    totals, trend, cities, newest };
}

const figure = (id, label, value, kpi, extra, cls) => h('div', { class: 'figure ' + (cls || ''), id },
  h('div', { class: 'figure-label' }, label), h('div', { class: 'figure-value', dataset: { kpi } }, value), extra);

function figures(d) {
  const p = d.province, sev = d.counts.bySeverity || {};
  return h('div', { class: 'figures', id: 'wall-figures' },
    figure('fig-rate', t('ov.rate'), pct(p?.effectiveRate), 'rate', h('div', { class: 'figure-extra' }, progressBar(p?.effectiveRate ?? 0, p?.belowThreshold ? 'red' : 'green', 'mark90'), ' ', t('target90')),
      p?.belowThreshold ? 'bad' : 'ok'),
    figure('fig-online', t('ov.online'), `${fmt(d.online, 0)} / ${fmt(d.outlets, 0)}`, 'online', null, d.online < d.outlets ? 'warn' : 'ok'),
    h('div', { class: 'figure ' + (sev.critical ? 'bad' : ''), id: 'fig-alerts' }, h('div', { class: 'figure-label' }, t('ov.alerts')),
      h('div', { class: 'figure-value sev-values' }, SEVERITIES.map(s => h('a', { href: '#/alerts?state=open&severity=' + s, class: 'sev ' + s },
        h('span', { class: 'sev-name' }, t('s.' + s)), ' ', h('span', { dataset: { kpi: 'alerts-' + s } }, fmt(sev[s] ?? 0, 0)))))),
    h('div', { class: 'figure ' + (d.red ? 'bad' : d.yellow ? 'warn' : 'ok'), id: 'fig-cards' }, h('div', { class: 'figure-label' }, t('ov.cards')),
      h('div', { class: 'figure-value' }, h('span', { class: 'red', dataset: { kpi: 'cards-red' } }, fmt(d.red, 0)), ' / ', h('span', { class: 'yellow', dataset: { kpi: 'cards-yellow' } }, fmt(d.yellow, 0))),
      h('div', { class: 'figure-extra' }, `${t('colour.red')} / ${t('colour.yellow')}`)));
}

const tiles = d => h('div', { class: 'cards', id: 'overview' }, d.cities.map(r =>
  h('a', { class: 'card tile ' + r.state, href: '#/city/' + encodeURIComponent(r.city), dataset: { city: r.city, state: r.state } }, h('h3', {}, r.city), h('div', { class: 'kv' },
    h('span', {}, t('rateQuarter')), h('span', { class: r.below ? 'bad' : null }, pct(r.rate)),
    h('span', {}, t('online')), h('span', {}, `${r.online} / ${r.outlets}`),
    h('span', {}, t('exceeding')), h('span', { class: r.exceeding.size ? 'bad' : null }, r.exceeding.size),
    h('span', {}, t('carded')), h('span', { class: r.red ? 'bad' : r.yellow ? 'warn' : null }, r.red + r.yellow)))));

const newestList = d => h('div', { class: 'panel', id: 'wall-alerts' }, h('h3', {}, t('ov.newest')),
  d.newest.length ? h('ol', { class: 'newest' }, d.newest.map(a => h('li', { class: a.severity, dataset: { id: a.id } },
    h('span', { class: 'when' }, time(a.dataFrom || a.raisedAt)), ' ', h('span', { class: 'what' }, `${t('k.' + a.kind)} · ${alertText(a)}`)))) : h('p', {}, t('nothing')));

function totalsAndTrend(d) {
  const capRows = TOTALLED.map(code => d.totals.find(r => r.pollutant === code)).filter(Boolean);
  const capBar = r => {
    const ratio = r.capKg ? r.ytdKg / r.capKg : null;
    return h('div', { class: 'bar-row', dataset: { pollutant: r.pollutant } }, h('span', { class: 'bar-name' }, pol(r.pollutant)),
      progressBar(ratio == null ? 0 : Math.min(1, ratio), ratio == null ? 'green' : ratio >= 1 ? 'red' : ratio >= 0.9 ? 'yellow' : 'green'),
      h('span', { class: 'bar-text' }, r.capKg ? `${tonnes(r.ytdKg)} / ${tonnes(r.capKg)} ${t('t')} · ${fmt(ratio * 100, 0)}%` : `${tonnes(r.ytdKg)} ${t('t')} · ${t('noCap')}`));
  };
  const trendBox = h('div', { id: 'trend-plot', class: 'plot' });
  const el = h('div', { class: 'wall-row' },
    h('div', { class: 'panel', id: 'wall-totals' }, h('h3', {}, t('ov.totals') + ` · ${lang === 'zh' ? d.year + '年' : d.year}`), capRows.length ? capRows.map(capBar) : h('p', {}, t('nothing'))),
    h('div', { class: 'panel', id: 'wall-trend' }, h('h3', {}, t('ov.trend')), trendBox));
  return { el, draw: () => drawTrend(trendBox, d.trend) };
}

function drawTrend(box, trend) {
  const xs = trend.map(x => localSeconds(x.day + 'T00:00:00'));
  timeChart(box, { height: 200,
    // Periods and outlets are different things: each on its own, titled axis (periods left, outlets right).
    scales: { periods: { auto: true }, outlets: { auto: true } },
    series: [{ label: t('time') }, { label: t('exceedingHours'), scale: 'periods', stroke: '#ff5a5a', fill: 'rgba(255,90,90,.25)', paths: uPlot.paths.bars({ size: [0.7, 40] }) },
      { label: t('outletsExceeding'), scale: 'outlets', stroke: '#ffc940', width: 2 }],
    axes: [timeAxis({ space: 80 }),
      { scale: 'periods', label: t('exceedingHours'), labelSize: 20, stroke: '#ff5a5a', grid: { stroke: '#243244' } },
      { scale: 'outlets', label: t('outletsExceeding'), labelSize: 20, side: 1, stroke: '#ffc940', grid: { show: false } }] },
  [xs, trend.map(x => x.exceedingHours + x.exceedingDays), trend.map(x => x.outletsExceeding)]);
}

// Reads the figures again after alert events (at most every 2 s) or a reconnect; redraws in place.
function live(redraw) {
  let timer = null;
  const again = () => { timer = null; load().then(redraw, () => { /* the next event tries again */ }); };
  return kind => { if ((kind === 'alert' || kind === 'reconnect') && !timer) timer = setTimeout(again, kind === 'reconnect' ? 0 : 2000); };
}

pages.overview = async function overviewPage() {
  const holder = h('div', { id: 'wall' });
  const draw = d => {
    const rest = totalsAndTrend(d);
    holder.replaceChildren(figures(d), rest.el, newestList(d), h('h3', {}, t('ov.cities')), tiles(d));
    sizeBars(); rest.draw();
    holder.dataset.updated = String(Date.now());
  };
  show(holder);
  draw(await load());
  return live(draw);
};

pages.wall = async function wallPage() {
  const q = hashQuery();
  const rotate = Math.max(0, Number(q.get('rotate') ?? q.get('wall.rotate') ?? 30) || 0);
  const views = ['overview', 'alerts', 'cities'];
  let view = Math.max(0, views.indexOf(q.get('view') || 'overview'));
  document.body.classList.add('kiosk');
  const holder = h('div', { id: 'wall', class: 'kiosk-wall' });
  let data = await load();
  const draw = d => {
    data = d;
    const name = views[view];
    holder.dataset.view = name;
    if (name === 'overview') {
      const rest = totalsAndTrend(d);
      holder.replaceChildren(figures(d), rest.el, tiles({ cities: d.cities.slice(0, 8) })); // the eight worst prefectures below
      sizeBars(); rest.draw();
    } else if (name === 'alerts') {
      holder.replaceChildren(figures(d), newestList(d));
    } else {
      holder.replaceChildren(figures(d), h('h3', {}, t('ov.cities')), tiles({ cities: d.cities.slice(0, 12) }));
    }
    holder.dataset.updated = String(Date.now());
  };
  show(holder);
  draw(data);
  if (rotate > 0) {
    const timer = setInterval(() => {
      if (!holder.isConnected) { clearInterval(timer); return; }
      view = (view + 1) % views.length; draw(data);
    }, rotate * 1000);
  }
  return live(draw);
};
