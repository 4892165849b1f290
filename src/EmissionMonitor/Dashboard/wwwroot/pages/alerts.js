// The alert desk: the live board (enterprise and outlet by name, the assignee, the last step and
// its comment) with the handling of an alert in one dialog — acknowledge with a comment and a
// verdict, assign, dispose, make a supervision order, clear — and the handling figures
// (响应率, 响应超时率, 核实率, 处置率) by city or enterprise. Built on the helpers of app.js (window.EM).
import { api } from '../api.js';
import { alertText, downloads, hashQuery, outletName, pages, pol, role, stationsOnce } from '../core.js';
import { h, modal, show, table } from '../dom.js';
import { fmt, time } from '../format.js';
import { picker } from '../forms.js';
import { enumText, t } from '../i18n.js';

const VERDICTS = ['real', 'instrument', 'false-alarm', 'unknown'];

const ALERT_KINDS = ['exceedance', 'warning', 'silent', 'outage-overdue', 'low-rate', 'card', 'anomaly', 'order-overdue', 'clock-drift', 'identity-changed', 'check-failed', 'key-age',
  'barometer', 'flood', 'backfill', 'treatment-off', 'shutdown-contradicted', 'emissions-without-production'];

// Enterprise and outlet names by MN, from the registry.
const namesOf = async () => {
  const names = new Map();
  for (const e of await stationsOnce()) for (const o of e.outlets) names.set(o.mn, { enterprise: e.name, outlet: outletName(o) });
  return names;
};

const verdictText = v => t('v.' + (v || 'none'));

// The last handling step (not the raising) as a line: what, who, the comment and the verdict.
const lastStep = a => {
  const s = [...(a.history || [])].reverse().find(x => x.action !== 'raise');
  if (!s) return '';
  const by = s.by === 'system' ? t('system') : s.by;
  return `${t('act.' + s.action)} · ${by}` + (s.assignee ? ` → ${s.assignee}` : '') + (s.comment ? `：${s.comment}` : '') + (s.verdict ? `（${verdictText(s.verdict)}）` : '');
};

export const alertRowsTable = (id, list, withActions, act, selected, names = new Map()) => table(id, [withActions ? '' : null, 'severity', 'kind', 'state', 'enterprise', 'outlet', 'pollutant', 'value',
  'limit', 'dataFrom', 'raisedAt', 'message', 'assignee', 'lastStep', withActions ? '' : null].filter(x => x !== null),
list.map(a => h('tr', { class: [a.severity, a.fresh ? 'fresh' : ''].join(' ').trim(), dataset: { id: a.id, state: a.state } },
  withActions ? h('td', {}, a.state === 'active' ? h('input', { type: 'checkbox', class: 'pick', checked: selected?.has(a.id), 'aria-label': t('select'), onchange: e => { if (e.target.checked) selected.add(a.id); else selected.delete(a.id); } }) : null) : null,
  h('td', { class: 'nowrap' }, t('s.' + a.severity)), h('td', { class: 'nowrap' }, t('k.' + a.kind), a.subKind ? ' · ' + enumText('sub.', a.subKind) : ''),
  h('td', { class: 'state nowrap' }, t(a.state), a.verdict ? h('span', { class: 'verdict' }, ' · ' + verdictText(a.verdict)) : null),
  h('td', { class: 'enterprise' }, names.get(a.mn)?.enterprise ?? a.enterprise ?? ''),
  h('td', {}, h('a', { href: '#/outlet/' + encodeURIComponent(a.mn), title: a.mn }, names.get(a.mn)?.outlet ?? a.mn)), h('td', { class: 'pollutant', title: a.pollutant }, pol(a.pollutant)),
  h('td', { class: 'num' }, typeof a.value === 'number' ? fmt(a.value, 3) : ''), h('td', { class: 'num' }, a.limit == null ? '' : fmt(a.limit, 3)),
  h('td', { class: 'nowrap data-time' }, a.dataFrom ? time(a.dataFrom) : ''), h('td', { class: 'nowrap' }, time(a.raisedAt)), h('td', { class: 'message' }, alertText(a)),
  h('td', { class: 'assignee' }, a.assignee ?? ''), h('td', { class: 'last-step' }, lastStep(a), a.orderId ? [' ', h('a', { href: '#/orders', class: 'order-link' }, a.orderId)] : null),
  withActions ? h('td', { class: 'nowrap' },
    !a.acknowledgedAt ? h('button', { type: 'button', dataset: { act: 'acknowledge' }, onclick: () => act(a, 'acknowledge') }, t('acknowledge')) : null, ' ',
    h('button', { type: 'button', dataset: { act: 'handle' }, onclick: () => act(a, 'handle') }, t('handle'))) : null)));

// The handling dialog of one alert (or of the selected ones, to acknowledge): a comment, a verdict,
// an assignee, and a button per step the alert still allows. Resolves with what the server answered.
function handleDialog(alerts, focus) {
  return modal('handle', close => {
    const one = alerts.length === 1 ? alerts[0] : null;
    const error = h('p', { class: 'red', id: 'handle-error' });
    const comment = h('textarea', { name: 'comment', rows: 3, maxlength: 2000, placeholder: focus === 'dispose' ? t('disposeComment') : t('ackNeedsComment') });
    const verdict = h('select', { name: 'verdict' }, h('option', { value: '' }, t('v.none')), VERDICTS.map(v => h('option', { value: v, selected: one?.verdict === v }, t('v.' + v))));
    const assignee = h('input', { name: 'assignee', size: 12, value: one?.assignee ?? '', autocomplete: 'off' });
    const post = async (path, body) => {
      error.textContent = '';
      try { close(await api(path, { method: 'POST', body: JSON.stringify(body) })); } catch (e) {
        error.textContent = e.params?.parameter === 'comment' ? t('commentRequired') : e.params?.parameter === 'assignee' ? t('assigneeUnknown') : e.message;
      }
    };
    const text = () => comment.value.trim() || undefined;
    const steps = [];
    if (!one) steps.push(['acknowledge', () => post('/api/alerts/acknowledge', { ids: alerts.map(a => a.id), comment: text(), verdict: verdict.value || undefined })]);
    else {
      const path = `/api/alerts/${encodeURIComponent(one.id)}/`;
      if (!one.acknowledgedAt) steps.push(['acknowledge', () => post(path + 'acknowledge', { comment: text(), verdict: verdict.value || undefined })]);
      steps.push(['assign', () => post(path + 'assign', { assignee: assignee.value.trim(), comment: text() })]);
      steps.push(['dispose', () => post(path + 'dispose', { comment: text(), verdict: verdict.value || undefined })]);
      if (!one.orderId) steps.push(['order', () => post(path + 'order', { text: text() })]);
      if (one.state !== 'cleared') steps.push(['clear', () => post(path + 'clear', { comment: text() })]);
    }
    const history = one ? h('ol', { class: 'history' }, (one.history || []).map(s => h('li', {}, `${time(s.at)} ${t('act.' + s.action)} · ${s.by === 'system' ? t('system') : s.by}`
      + (s.assignee ? ` → ${s.assignee}` : '') + (s.comment ? `：${s.comment}` : '') + (s.verdict ? `（${verdictText(s.verdict)}）` : '')))) : null;
    const content = h('form', { method: 'dialog' },
      h('h3', {}, one ? alertText(one) : `${t('ackSelected')} (${alerts.length})`),
      history ? [h('h4', {}, t('history')), history] : null,
      h('label', {}, t('p.comment'), comment), h('label', {}, t('verdict'), verdict),
      one ? h('label', {}, t('assignTo'), assignee) : null, error,
      h('p', { class: 'actions' }, steps.map(([name, run]) => [h('button', { type: 'button', dataset: { do: name }, class: name === focus ? 'primary' : null, onclick: run }, t(name)), ' ']),
        h('button', { type: 'button', dataset: { do: 'cancel' }, onclick: () => close(null) }, t('cancel'))));
    return { content, focus: comment };
  });
}

// The alert board: filters (kind, severity, city, state, assignee), counts, pages of 100, handling; live.
pages.alerts = async function alertsPage() {
  const q = hashQuery();
  const stateFilter = ['open', 'active', 'acknowledged', 'cleared'].includes(q.get('state')) ? q.get('state') : 'open';
  const page = Math.max(0, Number(q.get('page')) || 0), size = 100;
  const filters = new URLSearchParams({ state: stateFilter });
  for (const k of ['kind', 'severity', 'city', 'assignee']) if (q.get(k)) filters.set(k, q.get(k));
  const [list, counts, stations, names] = await Promise.all([api(`/api/alerts?limit=${size}&offset=${page * size}&${filters}`), api('/api/alerts/counts?' + filters), stationsOnce(), namesOf()]);
  const shown = new Map(list.map(a => [a.id, a]));
  const selected = new Set();
  const who = role();
  const error = h('span', { id: 'alert-error', class: 'red' });
  const form = h('form', { class: 'filters', id: 'alert-filter' },
    h('label', {}, t('state'), h('select', { name: 'state' }, ['open', 'active', 'acknowledged', 'cleared'].map(s => h('option', { value: s, selected: s === stateFilter }, t(s === 'open' ? 'open' : s))))),
    h('label', {}, t('kind'), picker('kind', ALERT_KINDS.map(k => [k, t('k.' + k)]), q.get('kind') || '')),
    h('label', {}, t('severity'), picker('severity', ['critical', 'warning', 'info'].map(s => [s, t('s.' + s)]), q.get('severity') || '')),
    h('label', {}, t('city'), picker('city', [...new Set(stations.map(e => e.city))].sort().map(c => [c, c]), q.get('city') || '')),
    h('label', {}, t('assignee'), h('input', { name: 'assignee', size: 8, value: q.get('assignee') || '', autocomplete: 'off' })),
    h('button', { type: 'submit' }, t('search')), ' ', downloads('/api/alerts?' + filters, 'alerts'));
  form.addEventListener('submit', e => { e.preventDefault(); const f = new URLSearchParams(new FormData(e.target)); [...f.keys()].forEach(k => { if (!f.get(k)) f.delete(k); }); location.hash = '#/alerts?' + f; });
  const pages = Math.max(1, Math.ceil((counts.total ?? 0) / size));
  const go = n => { const f = new URLSearchParams(q); f.set('page', n); location.hash = '#/alerts?' + f; };
  const summary = h('p', { id: 'alert-counts', class: 'muted' }, t('countOf').replace('{n}', fmt(counts.total ?? 0, 0)), ' · ',
    ['critical', 'warning', 'info'].map(s => `${t('s.' + s)} ${fmt(counts.bySeverity?.[s] ?? 0, 0)} `),
    ' · ', t('pageOf').replace('{n}', page + 1).replace('{m}', pages), ' ',
    page > 0 ? h('button', { type: 'button', id: 'prev-page', onclick: () => go(page - 1) }, t('prev')) : null, ' ',
    page + 1 < pages ? h('button', { type: 'button', id: 'next-page', onclick: () => go(page + 1) }, t('next')) : null);
  const keep = result => { if (!result) return; (result.alerts || [result]).filter(a => a && a.id && a.kind).forEach(a => shown.set(a.id, a)); };
  const act = async (a, focus) => {
    const result = await handleDialog([shown.get(a.id) || a], focus);
    if (result && !result.kind && result.alertId) { try { keep(await api(`/api/alerts/${encodeURIComponent(result.alertId)}`)); } catch (e) { error.textContent = e.message; } }
    keep(result); render();
  };
  const bulk = who !== 'operator' ? null : h('button', { type: 'button', id: 'ack-selected', onclick: async () => {
    if (!selected.size) return;
    keep(await handleDialog([...selected].map(id => shown.get(id)).filter(Boolean), 'acknowledge'));
    selected.clear(); render();
  } }, t('ackSelected'));
  const holder = h('div', { class: 'table-scroll' });
  const render = () => {
    const rows = [...shown.values()].filter(a => stateFilter === 'open' ? a.state !== 'cleared' : a.state === stateFilter).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
    holder.replaceChildren(alertRowsTable('alerts', rows, who === 'operator', act, selected, names));
    rows.forEach(a => { a.fresh = false; });
  };
  show(form, summary, bulk, error, holder);
  render();
  const matches = a => (!q.get('kind') || a.kind === q.get('kind')) && (!q.get('severity') || a.severity === q.get('severity')) && (!q.get('city') || a.city === q.get('city'))
    && (!q.get('assignee') || a.assignee === q.get('assignee'));
  return (kind, a) => { if (kind === 'alert' && (page === 0 || shown.has(a.id)) && matches(a)) { a.fresh = !shown.has(a.id); shown.set(a.id, a); render(); } };
};
