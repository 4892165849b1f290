// A prefecture: its enterprises with their rate this quarter, open exceedances and cards.
import { api } from '../api.js';
import { stationsOnce } from '../core.js';
import { badge, h, show, table } from '../dom.js';
import { pct, quarterOf } from '../format.js';
import { t } from '../i18n.js';

// A prefecture: its enterprises with their rate this quarter, open exceedances and cards.
export async function cityPage(city) {
  const now = new Date();
  const c = encodeURIComponent(city);
  const [stations, rates, alerts, cards] = await Promise.all([stationsOnce(), api(`/api/rates?by=enterprise&city=${c}&limit=100000`),
    api(`/api/alerts?state=open&city=${c}&limit=100000`), api(`/api/cards?quarter=${quarterOf(now)}&city=${c}&limit=100000`)]);
  const enterprises = stations.filter(e => e.city === city);
  const rateOf = new Map(rates.map(r => [r.enterprise, r]));
  show(h('div', { id: 'city-page' }, h('p', { class: 'crumbs' }, h('a', { href: '#/' }, t('province')), ' › ', city),
    table('city-enterprises', ['enterprise', 'outlets', 'online', 'rateQuarter', 'ov.alerts', 'card'], enterprises.map(e => {
      const r = rateOf.get(e.id), open = alerts.filter(a => a.enterprise === e.id), card = cards.find(x => x.enterprise === e.id);
      return h('tr', { dataset: { enterprise: e.id } }, h('td', {}, h('a', { href: '#/enterprise/' + encodeURIComponent(e.id) }, e.name)), h('td', { class: 'num' }, e.outlets.length),
        h('td', { class: 'num' }, e.outlets.filter(o => o.lastSeen && now - new Date(o.lastSeen) < 3600e3).length),
        h('td', { class: 'num ' + (r?.belowThreshold ? 'red' : '') }, pct(r?.effectiveRate)), h('td', { class: 'num' }, open.length),
        h('td', {}, card ? badge(card.card, t('colour.' + card.card)) : ''));
    }))));
}
