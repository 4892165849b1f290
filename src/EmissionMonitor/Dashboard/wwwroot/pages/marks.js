// Operator marks (shutdown, maintenance, calibration …): filing with evidence, the list, the review.
import { api } from '../api.js';
import { hashQuery, outletList, role, route } from '../core.js';
import { h, show, table } from '../dom.js';
import { stamp, time } from '../format.js';
import { dateTimeInput, fileInput, fileLinks, fromDateTime, outletPicker, upload } from '../forms.js';
import { t } from '../i18n.js';
import { acting } from './orders.js';

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
    // The mark and its files in one request: a refused file files nothing, and the page says why.
    const f = new FormData(e.target);
    f.set('from', fromDateTime(f.get('from'))); f.set('to', fromDateTime(f.get('to')));
    try {
      await api('/api/marks', { method: 'POST', body: f });
      await route();
    } catch (err) { error.textContent = err.message; }
  });
  const filter = h('form', { id: 'mark-filter', class: 'filters' },
    h('label', {}, t('state'), h('select', { name: 'state' }, h('option', { value: '' }, t('all')), MARK_STATES.map(st => h('option', { value: st, selected: st === chosen }, t('ms.' + st))))),
    h('button', { type: 'submit' }, t('search')));
  filter.addEventListener('submit', e => { e.preventDefault(); const f = new URLSearchParams(new FormData(e.target)); if (!f.get('state')) f.delete('state'); location.hash = '#/marks?' + f; });
  show(form, filter, error, marksTable('marks', list, m => markActions(m, who, act, error)));
}
