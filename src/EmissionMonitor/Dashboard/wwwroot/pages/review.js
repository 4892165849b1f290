// The operator's review queue: pending marks, pending manual data and answered orders.
import { api } from '../api.js';
import { role } from '../core.js';
import { h, show } from '../dom.js';
import { time } from '../format.js';
import { t } from '../i18n.js';
import { pendingManual } from './manual.js';
import { markActions, marksTable } from './marks.js';
import { acting, orderActions, ordersTable } from './orders.js';

// The operators' review queue: enterprises' marks awaiting a decision, answered orders awaiting closing.
export async function reviewPage() {
  if (role() !== 'operator') { show(h('p', { id: 'review-denied' }, t('onlyOperators'))); return; }
  const [marks, orders] = await Promise.all([api('/api/marks?state=pending&limit=500'), api('/api/orders?state=answered&limit=500')]);
  const error = h('span', { id: 'review-error', class: 'red' });
  const act = acting(error);
  const marksList = marks.length ? marksTable('review-marks', marks, m => markActions(m, 'operator', act, error)) : h('p', {}, t('nothing'));
  await contradictions(marksList, marks);
  show(error, h('h3', {}, `${t('pendingMarks')} (${marks.length})`), marksList,
    ...await pendingManual(act),
    h('h3', {}, `${t('answeredOrders')} (${orders.length})`), orders.length ? ordersTable('review-orders', orders, o => orderActions(o, 'operator', act, error)) : h('p', {}, t('nothing')));
}

// A shutdown claimed while the enterprise's power monitoring says production ran: said on the mark's row (停产申报存疑).
async function contradictions(list, marks) {
  const local = s => String(s).slice(0, 16);
  for (const m of marks.filter(x => x.kind === 'shutdown' && x.enterprise)) {
    let findings = [];
    try {
      findings = (await api(`/api/facilities/findings?enterprise=${encodeURIComponent(m.enterprise)}&from=${local(m.from)}&to=${local(m.to)}&limit=100`))
        .filter(f => f.finding === 'shutdown-contradicted' && f.markId === m.id);
    } catch { continue; } // no facilities, or a period the API refuses: nothing to say
    const row = list.querySelector(`tr[data-id="${CSS.escape(m.id)}"] td.state`);
    if (row && findings.length) {
      row.append(h('div', { class: 'red contradicted' }, t('ff.shutdown-contradicted') + '：' +
        findings.map(f => `${f.facilityName} ${time(f.start)}–${time(f.end)}`).join('；')));
    }
  }
}
