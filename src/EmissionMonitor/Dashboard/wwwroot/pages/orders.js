// Supervision orders (督办): the form, the list, the answers and the operator's steps.
import { api } from '../api.js';
import { hashQuery, outletList, pol, role, route } from '../core.js';
import { h, show, table } from '../dom.js';
import { fileInput, fileLinks, fromDateTime, outletPicker, upload } from '../forms.js';
import { t } from '../i18n.js';

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

// Posts a state change and shows the page again, or says why it was refused.
export const acting = error => async (path, body) => {
  error.textContent = '';
  try { await api(path, { method: 'POST', body: JSON.stringify(body) }); await route(); } catch (e) { error.textContent = e.message; }
};
