// An enterprise: the bureau's view of it, and the enterprise user's own home page.
import { api } from '../api.js';
import { outletList, outletName, pol, stationsOnce } from '../core.js';
import { h, progressBar, show, sizeBars, table } from '../dom.js';
import { fmt, localDate, pct, quarterOf, time, tonnes } from '../format.js';
import { t, tf } from '../i18n.js';
import { alertRowsTable } from './alerts.js';
import { cardsTable } from './cards.js';
import { exceedanceTable } from './exceedances.js';
import { manualActions, manualTable, pendingQuery } from './manual.js';
import { markActions, marksTable } from './marks.js';
import { acting, orderActions, ordersTable } from './orders.js';
import { facilitiesPanel } from './facilities.js';
import { deadlinesTable } from './permits.js';

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
  const facilities = await facilitiesPanel(e.id, e.facilities || []);
  show(h('div', { id: 'enterprise-page' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, t('province')), ' › ', h('a', { href: '#/city/' + encodeURIComponent(e.city) }, e.city), ' › ', e.name,
      e.permitNumber ? h('span', { id: 'permit-number', class: 'muted' }, ` · ${t('permitNumber')} ${e.permitNumber}`) : null),
    h('h3', {}, t('entOutlets')),
    table('enterprise-outlets', ['outlet', 'mn', 'lastSeen', 'rateQuarter'], e.outlets.map(o => h('tr', { dataset: { mn: o.mn } },
      h('td', {}, h('a', { href: '#/outlet/' + encodeURIComponent(o.mn) }, outletName(o))), h('td', {}, o.mn), h('td', { class: 'nowrap' }, o.lastSeen ? time(o.lastSeen) : '–'),
      h('td', { class: 'num ' + (rateOf.get(o.mn)?.belowThreshold ? 'red' : '') }, pct(rateOf.get(o.mn)?.effectiveRate))))),
    facilities,
    h('h3', {}, t('ov.totalsPermit')),
    totals.length ? h('div', { class: 'panel' }, totals.map(r => h('div', { class: 'bar-row', dataset: { pollutant: r.pollutant } }, h('span', { class: 'bar-name' }, pol(r.pollutant)),
      progressBar(r.permitKg ? Math.min(1, r.ytdKg / r.permitKg) : 0, r.overTotal ? 'red' : 'green'),
      h('span', { class: 'bar-text' }, r.permitKg ? `${tonnes(r.ytdKg)} / ${tonnes(r.permitKg)} ${t('t')}` : `${tonnes(r.ytdKg)} ${t('t')} · ${t('noPermit')}`,
        r.monitoringUsable === false ? h('span', { class: 'red unusable' }, ' · ' + tf('unusable', { p: fmt(r.missingShare * 100, 1) + '%' })) : null)))) : h('p', {}, t('nothing')),
    h('h3', {}, t('nav.cards')), cards.length ? cardsTable('enterprise-cards', cards) : h('p', {}, t('nothing')),
    h('h3', {}, t('activeAlerts')), alerts.length ? alertRowsTable('enterprise-alerts', alerts, false) : h('p', {}, t('nothing')),
    h('h3', {}, `${t('exceedancesQuarter')} (${fmt(exceedances.length, 0)})`), newest.length ? exceedanceTable(newest) : h('p', {}, t('nothing')),
    exceedances.length > newest.length ? h('p', {}, h('a', { href: '#/exceedances?enterprise=' + q, id: 'more-exceedances' }, t('more'))) : null));
  sizeBars();
}

// The city target barometer (晴雨表): per city and the province, each pollutant's year to date
// against its allocation at the pace expected to date, the level in colour.
export async function enterpriseHome() {
  const now = new Date();
  const soon = new Date(now.getTime() + 45 * 864e5), before = new Date(now.getTime() - 400 * 864e5);
  const [stations, rates, alerts, marks, orders, samples, reports] = await Promise.all([stationsOnce(), api('/api/rates?by=outlet&limit=100000'),
    api('/api/alerts?state=active&limit=500'), api('/api/marks?state=pending&limit=500'), api('/api/orders?state=open&limit=500'), api(pendingQuery),
    api(`/api/permits/deadlines?from=${localDate(before)}&to=${localDate(soon)}&limit=500`)]);
  const owed = reports.filter(r => r.state !== 'generated' || new Date(r.due) >= now);
  const rateOf = new Map(rates.map(r => [r.mn, r]));
  const error = h('span', { id: 'home-error', class: 'red' });
  const act = acting(error);
  const outlets = await outletList();
  show(h('div', { id: 'enterprise-home' },
    h('h3', {}, `${t('myOutlets')} · ${stations.map(e => e.name).join('、')}`),
    h('div', { class: 'cards' }, outlets.map(o => h('div', { class: 'card', dataset: { mn: o.mn } },
      h('h3', {}, h('a', { href: '#/outlet/' + encodeURIComponent(o.mn) }, outletName(o))),
      h('div', { class: 'kv' }, h('span', {}, t('mn')), h('span', {}, o.mn),
        h('span', {}, t('lastSeen')), h('span', { class: o.lastSeen && now - new Date(o.lastSeen) < 3600e3 ? null : 'warn' }, o.lastSeen ? time(o.lastSeen) : '–'),
        h('span', {}, t('rateQuarter')), h('span', { class: rateOf.get(o.mn)?.belowThreshold ? 'bad' : null }, pct(rateOf.get(o.mn)?.effectiveRate)))))),
    error,
    h('h3', {}, `${t('openOrders')} (${orders.length})`), orders.length ? ordersTable('home-orders', orders, o => orderActions(o, 'enterprise', act, error)) : h('p', {}, t('nothing')),
    h('h3', {}, `${t('myMarks')} (${marks.length})`, ' ', h('a', { href: '#/marks', id: 'file-mark' }, t('fileMark'))),
    marks.length ? marksTable('home-marks', marks, m => markActions(m, 'enterprise', act, error)) : h('p', {}, t('nothing')),
    h('h3', {}, `${t('md.pending')} (${samples.length})`, ' ', h('a', { href: '#/manual', id: 'file-manual' }, t('md.file'))),
    samples.length ? manualTable('home-manual', samples, s => manualActions(s, 'enterprise', act)) : h('p', {}, t('nothing')),
    h('h3', {}, `${t('pm.home')} (${owed.length})`, ' ', h('a', { href: '#/permits', id: 'all-reports' }, t('nav.permits'))),
    owed.length ? deadlinesTable('home-reports', owed, false) : h('p', {}, t('nothing')),
    h('h3', {}, `${t('activeAlerts')} (${alerts.length})`),
    alerts.length ? alertRowsTable('home-alerts', alerts, false) : h('p', {}, t('nothing'))));
}
