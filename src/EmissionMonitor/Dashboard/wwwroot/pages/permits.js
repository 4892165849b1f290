// 执行报告: the calendar of the enterprises' permit execution reports — what is due, when, and what
// was generated — with a link that generates each report's workbook (the generation is recorded, so
// the row turns 已生成). An enterprise sees its own; its home lists those coming due or overdue.
import { api } from '../api.js';
import { downloads, hashQuery } from '../core.js';
import { badge, h, show, table } from '../dom.js';
import { registryPickers, submitsTo } from '../forms.js';
import { enumText, lang, t } from '../i18n.js';

const PERIOD_PARAM = { monthly: 'month', quarterly: 'quarter', semiannual: 'half', annual: 'year' };
const STATE_CLASS = { overdue: 'red', upcoming: 'yellow', generated: 'green' };

// The address that generates a report's workbook.
export const executionLink = r =>
  `/api/documents/execution?enterprise=${encodeURIComponent(r.enterprise)}&${PERIOD_PARAM[r.reportKind]}=${encodeURIComponent(r.reportPeriod)}&lang=${lang}`;

// The calendar's rows as a table: enterprise, report, period, due day, state, generations, reminder, and the link.
export const deadlinesTable = (id, rows, withEnterprise = true) => table(id,
  [...(withEnterprise ? ['enterprise'] : []), 'pm.kind', 'pm.period', 'pm.due', 'state', 'pm.generated', 'pm.reminded', ''],
  rows.map(r => h('tr', { dataset: { state: r.state, kind: r.reportKind, period: r.reportPeriod } },
    ...(withEnterprise ? [h('td', {}, h('a', { href: '#/enterprise/' + encodeURIComponent(r.enterprise) }, r.enterpriseName))] : []),
    h('td', {}, enumText('pm.k.', r.reportKind)), h('td', {}, r.reportPeriod), h('td', {}, r.due),
    h('td', {}, badge(STATE_CLASS[r.state] || '', enumText('pm.s.', r.state))),
    h('td', {}, r.generations ? `${r.generations} · ${(r.lastGeneratedAt || '').slice(0, 16).replace('T', ' ')} · ${r.lastGeneratedBy || ''}` : '–'),
    h('td', {}, r.remindedAt ? r.remindedAt.slice(0, 16).replace('T', ' ') : '–'),
    h('td', {}, h('a', { class: 'execution-download', href: executionLink(r), download: '' }, h('button', { type: 'button' }, t('pm.generate')))))));

export async function permitsPage(enterpriseUser) {
  const q = hashQuery();
  const year = /^\d{4}$/.test(q.get('year') || '') ? q.get('year') : String(new Date().getFullYear());
  const state = ['generated', 'upcoming', 'overdue'].includes(q.get('state')) ? q.get('state') : '';
  const query = new URLSearchParams({ year });
  for (const k of ['enterprise']) if (q.get(k)) query.set(k, q.get(k));
  if (state) query.set('state', state);
  const [rows, pickers] = await Promise.all([api('/api/permits/deadlines?limit=100000&' + query), registryPickers(q, enterpriseUser ? [] : ['city', 'enterprise'])]);
  const city = q.get('city');
  const shown = city ? rows.filter(r => r.city === city) : rows;
  const form = h('form', { class: 'filters', id: 'permits-filter' },
    h('label', {}, t('pm.year'), h('input', { name: 'year', value: year, pattern: '\\d{4}', required: true, size: 5, autocomplete: 'off' })), pickers,
    h('label', {}, t('state'), h('select', { name: 'state' }, ['', 'upcoming', 'overdue', 'generated'].map(s => h('option', { value: s, selected: s === state }, s ? enumText('pm.s.', s) : t('all'))))),
    h('button', { type: 'submit' }, t('search')), ' ', downloads('/api/permits/deadlines?' + query, 'deadlines-' + year));
  submitsTo(form, 'permits');
  const count = s => shown.filter(r => r.state === s).length;
  const summary = h('p', { id: 'permits-summary' }, ['overdue', 'upcoming', 'generated'].map(s => [badge(STATE_CLASS[s], `${enumText('pm.s.', s)} ${count(s)}`), ' ']));
  show(h('h3', {}, t('pm.title')), form, summary, deadlinesTable('deadlines', shown, !enterpriseUser), h('p', { class: 'hint' }, t('pm.hint')));
}
