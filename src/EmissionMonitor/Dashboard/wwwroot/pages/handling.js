// The handling figures of a period (响应率, 响应超时率, 核实率, 处置率) by city or enterprise.
import { api } from '../api.js';
import { downloads, hashQuery, pages, stationsOnce } from '../core.js';
import { h, show, table } from '../dom.js';
import { fmt, localDate, pct } from '../format.js';
import { apiQuery, filterHash, periodFields } from '../forms.js';
import { t } from '../i18n.js';

// The handling figures of a period: each group's totals, lowest response rate first, then by kind.
pages.handling = async function handlingPage() {
  const q = hashQuery();
  const now = new Date();
  if (!q.get('from') && !q.get('quarter')) { q.set('period', 'month'); q.set('from', localDate(new Date(now.getFullYear(), now.getMonth(), 1))); q.set('to', localDate(new Date(now.getFullYear(), now.getMonth() + 1, 1))); }
  const by = ['city', 'enterprise', 'province'].includes(q.get('by')) ? q.get('by') : 'city';
  const query = apiQuery(q, []);
  query.set('by', by);
  const [rows, stations] = await Promise.all([api('/api/alerts/handling?' + query + '&limit=100000'), stationsOnce()]);
  const names = new Map(stations.map(e => [e.id, e.name]));
  const groupName = g => by === 'enterprise' ? names.get(g) ?? g : by === 'province' ? t('province') : g;
  const form = h('form', { class: 'filters', id: 'handling-filter' }, periodFields(q, ['month', 'quarter', 'year', 'custom']),
    h('label', {}, t('groupBy'), h('select', { name: 'by' }, ['city', 'enterprise', 'province'].map(b => h('option', { value: b, selected: b === by }, t('by.' + b))))),
    h('button', { type: 'submit' }, t('search')), ' ', downloads('/api/alerts/handling?' + query, 'alert-handling'));
  form.addEventListener('submit', e => { e.preventDefault(); location.hash = filterHash('handling', e.target); });
  const totals = new Map();
  for (const r of rows) {
    const g = totals.get(r.group) || { group: r.group, raised: 0, acknowledgedInTime: 0, timedOut: 0, verified: 0, disposed: 0 };
    for (const k of ['raised', 'acknowledgedInTime', 'timedOut', 'verified', 'disposed']) g[k] += r[k];
    totals.set(r.group, g);
  }
  const rate = (n, d) => d ? n / d : null;
  const pctCell = v => h('td', { class: 'num' + (v != null && v < 0.8 ? ' bad' : '') }, pct(v));
  const groups = [...totals.values()].map(g => Object.assign(g, { responseRate: rate(g.acknowledgedInTime, g.raised), responseTimeoutRate: rate(g.timedOut, g.raised),
    verificationRate: rate(g.verified, g.raised), disposalRate: rate(g.disposed, g.raised) })).sort((a, b) => (a.responseRate ?? 1) - (b.responseRate ?? 1));
  const cols = ['raised', 'responseRate', 'responseTimeoutRate', 'verificationRate', 'disposalRate'];
  show(form,
    h('h3', {}, t('handlingWorst')),
    table('handling-groups', ['group', ...cols], groups.map(g => h('tr', { dataset: { group: g.group } }, h('td', {}, groupName(g.group)), h('td', { class: 'num' }, fmt(g.raised, 0)),
      pctCell(g.responseRate), h('td', { class: 'num' }, pct(g.responseTimeoutRate)), pctCell(g.verificationRate), pctCell(g.disposalRate)))),
    h('h3', {}, t('handlingByKind')),
    h('div', { class: 'table-scroll' }, table('handling', ['group', 'kind', 'raised', 'acknowledgedInTime', 'responseRate', 'timedOut', 'verified', 'disposed', 'medianAck', 'medianDispose'],
      rows.map(r => h('tr', { dataset: { group: r.group, kind: r.kind } }, h('td', {}, groupName(r.group)), h('td', {}, t('k.' + r.kind)), h('td', { class: 'num' }, fmt(r.raised, 0)),
        h('td', { class: 'num' }, fmt(r.acknowledgedInTime, 0)), pctCell(r.responseRate), h('td', { class: 'num' }, fmt(r.timedOut, 0)), h('td', { class: 'num' }, fmt(r.verified, 0)),
        h('td', { class: 'num' }, fmt(r.disposed, 0)), h('td', { class: 'num' }, fmt(r.medianMinutesToAcknowledge, 1)), h('td', { class: 'num' }, fmt(r.medianMinutesToDispose, 1)))))));
};
