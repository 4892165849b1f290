// Red and yellow cards of a quarter, with the operator's decisions (confirm, dismiss, lift) in a dialog.
import { api } from '../api.js';
import { downloads, hashQuery, reasonText, role, route } from '../core.js';
import { badge, h, modal, show, table } from '../dom.js';
import { quarterOf, time } from '../format.js';
import { apiQuery, filterHash, periodFields, registryPickers } from '../forms.js';
import { enumText, t } from '../i18n.js';

// Cards; `actions` (the operators' buttons of a row) adds a last column.
export const cardsTable = (id, rows, actions) => table(id, ['city', 'enterprise', 'card', 'reasons', 'cardDecision', 'lifted', actions ? '' : null].filter(x => x !== null), rows.map(r =>
  h('tr', { dataset: { enterprise: r.enterprise, card: r.card, quarter: r.quarter } }, h('td', {}, r.city), h('td', {}, h('a', { href: '#/enterprise/' + encodeURIComponent(r.enterprise), title: r.permitNumber ?? '' }, r.enterpriseName)),
    h('td', {}, badge(r.card, t('colour.' + r.card))),
    h('td', {}, r.reasons.map((reason, i) => [i ? h('br') : null, reasonText((r.reasonItems || [])[i], reason)])),
    h('td', {}, enumText('cd.', r.decision), r.decidedBy ? ` · ${r.decidedBy}` : ''),
    h('td', {}, r.lifted ? `${r.lifted.by} ${time(r.lifted.at)}` : ''), actions ? h('td', { class: 'nowrap' }, actions(r)) : null)));

export async function cardsPage() {
  const q = hashQuery();
  const quarter = /^\d{4}Q[1-4]$/.test(q.get('quarter') || '') ? q.get('quarter') : quarterOf(new Date());
  q.set('quarter', quarter);
  const query = apiQuery(q, ['city', 'enterprise']);
  const [rows, pickers] = await Promise.all([api('/api/cards?' + query), registryPickers(q, ['city', 'enterprise'])]);
  const form = h('form', { class: 'filters', id: 'card-filter' }, periodFields(q, ['quarter']), pickers, h('button', { type: 'submit' }, t('search')), ' ', downloads('/api/cards?' + query, 'cards'));
  form.addEventListener('submit', e => { e.preventDefault(); location.hash = filterHash('cards', e.target); });
  show(form, cardsTable('cards', rows, role() === 'operator' ? cardActions : null));
}

// A small dialog asking for a comment; resolves with it (or null when cancelled).
function askComment(title, required) {
  return modal('decide', close => {
    const comment = h('textarea', { name: 'comment', rows: 3, maxlength: 2000 });
    const error = h('p', { class: 'red', id: 'decide-error' });
    const content = h('form', { method: 'dialog' }, h('h3', {}, title), h('label', {}, t('p.comment'), comment), error,
      h('p', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', dataset: { do: 'ok' }, onclick: () => { if (required && !comment.value.trim()) { error.textContent = t('commentRequired'); return; } close(comment.value.trim()); } }, t('ok')),
        ' ', h('button', { type: 'button', dataset: { do: 'cancel' }, onclick: () => close(null) }, t('cancel'))));
    return { content, focus: comment };
  });
}

// The operators' buttons of a card: confirm or dismiss a proposed card, lift one not lifted.
const cardActions = r => {
  const path = `/api/cards/${encodeURIComponent(r.enterprise)}/${encodeURIComponent(r.quarter)}/`;
  const act = async (action, required) => {
    const comment = await askComment(`${t('cardAct.' + action)} · ${r.enterpriseName} · ${r.quarter}`, required);
    if (comment === null) return;
    try { await api(path + action, { method: 'POST', body: JSON.stringify({ comment: comment || undefined }) }); await route(); }
    catch (e) { const el = document.getElementById('card-error'); if (el) el.textContent = e.message; }
  };
  const buttons = [];
  if ((r.decision || 'proposed') === 'proposed') {
    buttons.push(h('button', { type: 'button', dataset: { action: 'confirm' }, onclick: () => act('confirm', false) }, t('cardAct.confirm')), ' ');
    buttons.push(h('button', { type: 'button', dataset: { action: 'dismiss' }, onclick: () => act('dismiss', true) }, t('cardAct.dismiss')), ' ');
  }
  if (!r.lifted) buttons.push(h('button', { type: 'button', dataset: { action: 'lift' }, onclick: () => act('lift', true) }, t('cardAct.lift')));
  return [buttons, h('span', { id: 'card-error', class: 'red' })];
};
