// Casework: supervision orders and operator marks (file, answer, review, revoke) and the review queue.
import { api, h, hashQuery, outletList, pol, role, route, show, stamp, t, table, time } from './core.js';

import { dateTimeInput, fileInput, fileLinks, fromDateTime, outletPicker, upload } from './forms.js';

export async function ordersPage() {
  const who = role();
  const outlets = await outletList();
  const q = hashQuery();
  const list = await api('/api/orders?limit=500' + (q.get('state') ? '&state=' + encodeURIComponent(q.get('state')) : ''));
  const error = h('span', { id: 'order-error', class: 'red' });
  const act = acting(error);
  // The outlet, its pollutant (optional), the deadline (empty: Orders:DefaultDeadline from the server's clock) and what to do.
  const outletEl = outletPicker(outlets);
  const pollutantSelect = h('select', { name: 'pollutant' });
  const fillPollutants = mn => pollutantSelect.replaceChildren(h('option', { value: '' }, t('all')),
    Object.keys(outlets.find(o => o.mn === mn)?.limits ?? {}).map(p => h('option', { value: p }, pol(p))));
  const mnSelect = outletEl.tagName === 'SELECT' ? outletEl : outletEl.querySelector('select');
  mnSelect.addEventListener('change', () => fillPollutants(mnSelect.value));
  fillPollutants(mnSelect.value);
  const form = who !== 'operator' ? null : h('form', { id: 'order-form', class: 'filters' },
    h('label', {}, t('outlet'), outletEl), h('label', {}, t('pollutant'), pollutantSelect),
    h('label', {}, t('p.deadline'), h('input', { name: 'deadline', size: 16, placeholder: t('deadlineDefault'), pattern: '\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?', autocomplete: 'off' })),
    h('label', { class: 'wide' }, t('p.text'), h('textarea', { name: 'text', rows: 3, cols: 40, required: true, maxlength: 2000 })),
    h('button', { type: 'submit' }, t('issue')));
  form?.addEventListener('submit', e => {
    e.preventDefault();
    const f = new FormData(e.target);
    act('/api/orders', { mn: f.get('mn'), pollutant: f.get('pollutant') || undefined, deadline: f.get('deadline') ? fromDateTime(f.get('deadline')) : undefined, text: f.get('text') });
  });
  const actions = o => orderActions(o, who, act, error);
  show(form, error, ordersTable('orders', list, actions));
}

// An order's actions for the caller: the enterprise answers an open order (with attachments),
// an operator closes or reopens it.
export function orderActions(o, who, act, error) {
  const id = encodeURIComponent(o.id);
  if (who === 'enterprise' && o.state === 'open') {
    const cause = h('textarea', { name: 'cause', rows: 3, cols: 30, maxlength: 2000, placeholder: t('p.cause') });
    const measures = h('textarea', { name: 'measures', rows: 3, cols: 30, maxlength: 2000, placeholder: t('p.measures') });
    const files = fileInput('attachments');
    const answer = async () => {
      error.textContent = '';
      try { await upload(`/api/orders/${id}/evidence`, files.input.files); } catch (e) { error.textContent = e.message; return; }
      await act(`/api/orders/${id}/respond`, { cause: cause.value, measures: measures.value });
    };
    return [cause, measures, files.el, h('button', { type: 'button', dataset: { act: 'respond' }, onclick: answer }, t('respond'))];
  }
  if (who !== 'operator') return null;
  const comment = () => prompt(t('comment')) || '';
  return [o.state === 'answered' ? h('button', { type: 'button', dataset: { act: 'reopen' }, onclick: () => act(`/api/orders/${id}/reopen`, { comment: comment() }) }, t('reopen')) : null, ' ',
    o.state !== 'closed' ? h('button', { type: 'button', dataset: { act: 'close' }, onclick: () => act(`/api/orders/${id}/close`, { comment: comment() }) }, t('closeOrder')) : null];
}

export const ordersTable = (id, list, actions) => table(id, ['mn', 'pollutant', 'p.deadline', 'state', 'p.text', 'p.response', 'attachments', ''], list.map(o =>
  h('tr', { dataset: { id: o.id, state: o.state }, class: o.overdue ? 'critical' : null },
    h('td', {}, o.mn), h('td', {}, pol(o.pollutant)), h('td', { class: 'nowrap' }, o.deadline.replace('T', ' ')),
    h('td', { class: 'state nowrap' }, t('os.' + o.state), o.overdue ? h('span', { class: 'red' }, ' ' + t('overdue')) : null),
    h('td', {}, o.text), h('td', {}, o.response ? `${o.response.cause}；${o.response.measures}` : ''), h('td', {}, fileLinks(o.evidence)),
    h('td', { class: 'nowrap' }, actions(o)))));

// Data marks (数据标记): operators' marks count at once; an enterprise's wait for review. The
// enterprise files marks for its own outlets with evidence and withdraws its pending ones; an
// operator approves or rejects pending marks and revokes approved ones.
const MARK_KINDS = ['shutdown', 'force-majeure', 'maintenance', 'calibration', 'fault', 'communication'];
const MARK_STATES = ['pending', 'approved', 'rejected', 'revoked'];

export function markActions(m, who, act, error) {
  const id = encodeURIComponent(m.id);
  const comment = () => prompt(t('reviewComment')) || '';
  const buttons = [];
  if (who === 'operator' && m.state === 'pending') {
    buttons.push(h('button', { type: 'button', dataset: { act: 'approve' }, onclick: () => act(`/api/marks/${id}/approve`, { comment: comment() }) }, t('approve')), ' ',
      h('button', { type: 'button', dataset: { act: 'reject' }, onclick: () => act(`/api/marks/${id}/reject`, { comment: comment() }) }, t('reject')));
  }
  if (who === 'operator' && m.state === 'approved') {
    buttons.push(h('button', { type: 'button', dataset: { act: 'revoke' }, onclick: () => act(`/api/marks/${id}/revoke`, { comment: comment() }) }, t('revoke')));
  }
  if (who === 'enterprise' && m.state === 'pending') {
    buttons.push(h('button', { type: 'button', dataset: { act: 'withdraw' }, onclick: () => act(`/api/marks/${id}/revoke`, { comment: '' }) }, t('withdraw')));
  }
  if (who !== 'inspector' && (m.state === 'pending' || m.state === 'approved')) {
    const files = fileInput('evidence');
    buttons.push(' ', files.el, h('button', { type: 'button', dataset: { act: 'upload' }, onclick: async () => {
      error.textContent = '';
      try { await upload(`/api/marks/${id}/evidence`, files.input.files); await route(); } catch (e) { error.textContent = e.message; }
    } }, t('addFile')));
  }
  return buttons;
}

export const marksTable = (id, list, actions) => table(id, ['mn', 'kind', 'from', 'to', 'state', 'filedBy', 'p.comment', 'decision', 'evidence', ''], list.map(m =>
  h('tr', { dataset: { id: m.id, state: m.state }, class: m.overFaultCap ? 'warning' : null },
    h('td', {}, m.mn), h('td', { class: 'nowrap' }, t('mk.' + m.kind)), h('td', { class: 'nowrap' }, time(m.from)), h('td', { class: 'nowrap' }, time(m.to)),
    h('td', { class: 'state nowrap' }, t('ms.' + m.state), m.overFaultCap ? h('span', { class: 'red' }, ' ' + t('overFaultCap')) : null),
    h('td', {}, m.by ?? ''), h('td', {}, m.comment ?? ''),
    h('td', {}, m.decidedBy ? `${m.decidedBy}${m.decisionComment ? '：' + m.decisionComment : ''}` : (m.revokedBy ? `${m.revokedBy}${m.revokeComment ? '：' + m.revokeComment : ''}` : '')),
    h('td', {}, fileLinks(m.evidence)), h('td', { class: 'nowrap' }, actions(m)))));

// Posts a state change and shows the page again, or says why it was refused.
export const acting = error => async (path, body) => {
  error.textContent = '';
  try { await api(path, { method: 'POST', body: JSON.stringify(body) }); await route(); } catch (e) { error.textContent = e.message; }
};

export async function marksPage() {
  const who = role();
  const q = hashQuery();
  const chosen = MARK_STATES.includes(q.get('state')) ? q.get('state') : '';
  const [list, outlets] = await Promise.all([api('/api/marks?limit=500' + (chosen ? '&state=' + chosen : '')), outletList()]);
  const error = h('span', { id: 'mark-error', class: 'red' });
  const act = acting(error);
  const now = new Date();
  const files = fileInput('evidence');
  const form = who === 'inspector' ? null : h('form', { id: 'mark-form', class: 'filters' },
    h('label', {}, t('outlet'), outletPicker(outlets)),
    h('label', {}, t('kind'), h('select', { name: 'kind' }, MARK_KINDS.map(k => h('option', { value: k }, t('mk.' + k))))),
    h('label', {}, t('from'), dateTimeInput('from', stamp(new Date(now - 864e5)))),
    h('label', {}, t('to'), dateTimeInput('to', stamp(now))),
    h('label', {}, t('p.comment'), h('input', { name: 'comment', size: 24 })),
    h('span', { class: 'label' }, t('evidence'), files.el),
    h('button', { type: 'submit' }, t('fileMark')));
  form?.addEventListener('submit', async e => {
    e.preventDefault();
    error.textContent = '';
    const f = new FormData(e.target);
    try {
      const mark = await api('/api/marks', { method: 'POST', body: JSON.stringify({ mn: f.get('mn'), kind: f.get('kind'), from: fromDateTime(f.get('from')), to: fromDateTime(f.get('to')), comment: f.get('comment') || undefined }) });
      await upload(`/api/marks/${encodeURIComponent(mark.id)}/evidence`, files.input.files);
      await route();
    } catch (err) { error.textContent = err.message; }
  });
  const filter = h('form', { id: 'mark-filter', class: 'filters' },
    h('label', {}, t('state'), h('select', { name: 'state' }, h('option', { value: '' }, t('all')), MARK_STATES.map(st => h('option', { value: st, selected: st === chosen }, t('ms.' + st))))),
    h('button', { type: 'submit' }, t('search')));
  filter.addEventListener('submit', e => { e.preventDefault(); const f = new URLSearchParams(new FormData(e.target)); if (!f.get('state')) f.delete('state'); location.hash = '#/marks?' + f; });
  show(form, filter, error, marksTable('marks', list, m => markActions(m, who, act, error)));
}

// The operators' review queue: enterprises' marks awaiting a decision, answered orders awaiting closing.
export async function reviewPage() {
  if (role() !== 'operator') { show(h('p', { id: 'review-denied' }, t('onlyOperators'))); return; }
  const [marks, orders] = await Promise.all([api('/api/marks?state=pending&limit=500'), api('/api/orders?state=answered&limit=500')]);
  const error = h('span', { id: 'review-error', class: 'red' });
  const act = acting(error);
  show(error, h('h3', {}, `${t('pendingMarks')} (${marks.length})`), marks.length ? marksTable('review-marks', marks, m => markActions(m, 'operator', act, error)) : h('p', {}, t('nothing')),
    h('h3', {}, `${t('answeredOrders')} (${orders.length})`), orders.length ? ordersTable('review-orders', orders, o => orderActions(o, 'operator', act, error)) : h('p', {}, t('nothing')));
}
