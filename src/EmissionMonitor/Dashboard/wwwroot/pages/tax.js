// 环保税预核算: a month's environmental tax from the monitoring data — per outlet and pollutant the
// equivalents, the month's concentration against the limit, the reduction and why, whether it is a taxed
// item, and the tax; or the sums per enterprise, city or the province. The rates are the service's
// configuration (Tax:AirRate, Tax:WaterRate), shown with the figures.
import { api } from '../api.js';
import { downloads, hashQuery, pol } from '../core.js';
import { h, show, table } from '../dom.js';
import { fmt, localDate } from '../format.js';
import { registryPickers, submitsTo } from '../forms.js';
import { enumText, t, tf } from '../i18n.js';

const GROUPS = ['outlet', 'enterprise', 'city', 'province'];
const yuan = v => v == null ? '–' : Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export async function taxPage(enterpriseUser) {
  const q = hashQuery();
  // The month so far by default (what is accruing); the month to declare is one step back.
  const thisMonth = localDate(new Date()).slice(0, 7);
  const month = /^\d{4}-\d{2}$/.test(q.get('month') || '') ? q.get('month') : thisMonth;
  const by = GROUPS.includes(q.get('by')) ? q.get('by') : 'outlet';
  const query = new URLSearchParams({ month, by });
  for (const k of ['city', 'enterprise']) if (q.get(k)) query.set(k, q.get(k));
  const [rows, pickers, rules] = await Promise.all([api('/api/tax?limit=100000&' + query), registryPickers(q, enterpriseUser ? [] : ['city', 'enterprise']),
    api('/api/tax/rates')]);
  const form = h('form', { class: 'filters', id: 'tax-filter' },
    h('label', {}, t('tax.month'), h('input', { name: 'month', value: month, pattern: '\\d{4}-\\d{2}', required: true, size: 8, autocomplete: 'off' })), pickers,
    h('label', {}, t('groupBy'), h('select', { name: 'by' }, GROUPS.map(g => h('option', { value: g, selected: g === by }, t('g.' + g))))),
    h('button', { type: 'submit' }, t('search')), ' ', downloads('/api/tax?' + query, 'tax-' + month));
  submitsTo(form, 'tax');
  const total = rows.reduce((s, r) => s + (r.taxYuan || 0), 0);
  const rates = tf('tax.rates', { name: rules.name || t('tax.national'), air: rules.airRate, water: rules.waterRate });
  const summary = h('p', { class: 'tax-total', id: 'tax-total' }, tf('tax.total', { month: month === thisMonth ? month + t('tax.soFar') : month, yuan: yuan(total) }),
    h('span', { class: 'muted', id: 'tax-rates' }, ' · ' + rates));
  show(h('h3', {}, t('tax.title')), form, summary, by === 'outlet' ? outletTable(rows) : groupTable(rows, by), h('p', { class: 'hint' }, t('tax.hint')));
}

function outletTable(rows) {
  return table('tax', ['g.outlet', 'pollutant', 'tax.kg', 'tax.equivalents', 'tax.concentration', 'tax.exceeding', 'tax.reduction', 'tax.item', 'tax.yuan'], rows.map(r =>
    h('tr', { class: r.taxed ? '' : 'muted', dataset: { pollutant: r.pollutant, taxed: String(r.taxed), reduction: r.reductionReason } },
      h('td', {}, h('a', { href: '#/outlet/' + encodeURIComponent(r.mn) }, `${r.enterpriseName} · ${r.code ? r.code + ' ' : ''}${r.mn}`)),
      h('td', { title: r.pollutant }, pol(r.pollutant)),
      h('td', { class: 'num' }, fmt(r.kg, 1)),
      h('td', { class: 'num' }, fmt(r.equivalents, 1)),
      h('td', { class: 'num' }, r.monthlyConcentration == null ? '–' : `${fmt(r.monthlyConcentration, 2)} / ${fmt(r.limit, 2)} (${fmt(r.ratio * 100, 0)}%)`),
      h('td', { class: r.exceedingPeriods > 0 ? 'num red' : 'num' }, String(r.exceedingPeriods)),
      h('td', { class: r.reduction < 1 ? 'green' : '' }, `${fmt(r.reduction * 100, 0)}% · ${enumText('tax.r.', r.reductionReason)}`),
      h('td', {}, enumText('tax.i.', r.taxedReason)),
      h('td', { class: 'num' }, r.taxed ? yuan(r.taxYuan) : '–'))));
}

function groupTable(rows, by) {
  const name = r => by === 'enterprise' ? h('a', { href: '#/enterprise/' + encodeURIComponent(r.enterprise) }, r.enterpriseName) : by === 'city' ? r.city : t('province');
  return table('tax', ['g.' + by, 'outlets', 'tax.items', 'tax.airEq', 'tax.waterEq', 'tax.airYuan', 'tax.waterYuan', 'tax.yuan'], rows.map(r =>
    h('tr', {}, h('td', {}, name(r)), h('td', { class: 'num' }, String(r.outlets)), h('td', { class: 'num' }, String(r.items)),
      h('td', { class: 'num' }, fmt(r.airEquivalents, 1)), h('td', { class: 'num' }, fmt(r.waterEquivalents, 1)),
      h('td', { class: 'num' }, yuan(r.airTaxYuan)), h('td', { class: 'num' }, yuan(r.waterTaxYuan)), h('td', { class: 'num' }, yuan(r.taxYuan)))));
}
