// The public list before it is public: a preview of exactly what will be published for a quarter
// (and a city), and publishing it — an unfinished or unsettled quarter only when confirmed.
import { api } from '../api.js';
import { hashQuery, pages, route, stationsOnce } from '../core.js';
import { h, show, table } from '../dom.js';
import { pct, quarterOf, time } from '../format.js';
import { picker } from '../forms.js';
import { t } from '../i18n.js';
import { cardsTable } from './cards.js';

// The publish page: the quarter and city, a preview of the confirmed cards and the cities' rates that will be public, the button.
pages.publish = async function publishPage() {
  const q = hashQuery();
  const now = new Date();
  const quarter = /^\d{4}Q[1-4]$/.test(q.get('quarter') || '') ? q.get('quarter') : quarterOf(new Date(now.getFullYear(), now.getMonth() - 3, 1));
  const city = q.get('city') || '';
  const c = city ? '&city=' + encodeURIComponent(city) : '';
  const [cards, rates, stations, published] = await Promise.all([api(`/api/cards?quarter=${quarter}${c}&limit=100000`), api(`/api/rates?quarter=${quarter}&by=city${c}&limit=1000`),
    stationsOnce(), api('/api/publications')]);
  const listed = cards.filter(r => r.quarter === quarter && r.decision === 'confirmed');
  const quarters = []; for (let i = 0; i < 8; i++) quarters.push(quarterOf(new Date(now.getFullYear(), now.getMonth() - 3 * i, 1)));
  const form = h('form', { class: 'filters', id: 'publish-filter' },
    h('label', {}, t('quarter'), h('select', { name: 'quarter' }, quarters.map(x => h('option', { value: x, selected: x === quarter }, x)))),
    h('label', {}, t('city'), picker('city', [...new Set(stations.map(e => e.city))].sort().map(x => [x, x]), city, t('province'))),
    h('button', { type: 'submit' }, t('search')));
  form.addEventListener('submit', e => { e.preventDefault(); const f = new URLSearchParams(new FormData(e.target)); if (!f.get('city')) f.delete('city'); location.hash = '#/publish?' + f; });
  const error = h('p', { id: 'publish-error', class: 'red' });
  const done = h('p', { id: 'publish-done', class: 'muted' });
  const publish = async force => {
    error.textContent = '';
    const res = await fetch('/api/publications', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ quarter, city: city || null, force: force || undefined }) });
    const body = await res.json().catch(() => ({}));
    if (res.status === 409 && (body.code === 'not-ended' || body.code === 'not-settled') && !force) {
      if (window.confirm(t('publish.' + body.code).replace('{q}', quarter))) await publish(true);
      return;
    }
    if (!res.ok) { error.textContent = body.title || String(res.status); return; }
    done.textContent = t('publish.done').replace('{v}', body.version ?? '');
    await route();
  };
  const mine = published.filter(p => p.quarter === quarter && (p.city || '') === city);
  show(form,
    h('h3', {}, `${t('publish.preview')} · ${quarter} · ${city || t('province')}`),
    cardsTable('publish-cards', listed),
    h('h3', {}, t('publish.rates')),
    table('publish-rates', ['city', 'effectiveRate', 'belowThreshold'], rates.map(r => h('tr', {}, h('td', {}, r.city), h('td', { class: 'num' }, pct(r.effectiveRate)),
      h('td', {}, r.belowThreshold ? t('yes') : t('no'))))),
    h('p', {}, h('button', { type: 'button', class: 'primary', dataset: { action: 'publish' }, onclick: () => publish(false) }, t('publish.button'))), error, done,
    h('h3', {}, t('publish.earlier')),
    table('publish-earlier', ['version', 'publishedAt', 'publishedBy'], mine.map(p => h('tr', {}, h('td', {}, p.version), h('td', {}, time(p.publishedAt)), h('td', {}, p.publishedBy ?? '')))));
};
