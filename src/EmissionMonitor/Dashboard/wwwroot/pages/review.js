// The operator's review queue: pending marks, pending manual data and answered orders.
import { api } from '../api.js';
import { role } from '../core.js';
import { h, show } from '../dom.js';
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
  show(error, h('h3', {}, `${t('pendingMarks')} (${marks.length})`), marks.length ? marksTable('review-marks', marks, m => markActions(m, 'operator', act, error)) : h('p', {}, t('nothing')),
    ...await pendingManual(act),
    h('h3', {}, `${t('answeredOrders')} (${orders.length})`), orders.length ? ordersTable('review-orders', orders, o => orderActions(o, 'operator', act, error)) : h('p', {}, t('nothing')));
}
