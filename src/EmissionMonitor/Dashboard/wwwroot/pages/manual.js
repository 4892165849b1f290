// Manual monitoring data (手工监测数据): an enterprise files hand samples with their monitoring report
// during an outage or fault it has marked; operators approve or reject them as they do marks.
import { api } from '../api.js';
import { hashQuery, outletList, pol, role } from '../core.js';
import { h, show, table } from '../dom.js';
import { fmt, localDate, stamp, time } from '../format.js';
import { dateTimeInput, fileInput, fileLinks, fromDateTime, outletPicker } from '../forms.js';
import { t } from '../i18n.js';
import { acting } from './orders.js';

const STATES = ['pending', 'approved', 'rejected', 'withdrawn', 'revoked'];
// Samples of any sampling time (the list is by state; an outage a year ago may still await review).
const EVER = `from=2000-01-01&to=${localDate(new Date(Date.now() + 864e5))}`;
const TOTALLED = ['a21026', 'a21002', 'w01018', 'w21003'];

// The buttons of one sample for the user looking at it.
export function manualActions(s, who, act) {
  const id = encodeURIComponent(s.id);
  const comment = () => prompt(t('reviewComment')) || '';
  if (who === 'operator' && s.state === 'pending') {
    return [h('button', { type: 'button', dataset: { act: 'approve' }, onclick: () => act(`/api/manual-data/${id}/approve`, { comment: comment() }) }, t('approve')), ' ',
      h('button', { type: 'button', dataset: { act: 'reject' }, onclick: () => act(`/api/manual-data/${id}/reject`, { comment: comment() }) }, t('reject'))];
  }
  if (who === 'operator' && s.state === 'approved') {
    return [h('button', { type: 'button', dataset: { act: 'revoke' }, onclick: () => act(`/api/manual-data/${id}/revoke`, { comment: comment() }) }, t('revoke'))];
  }
  if (who === 'enterprise' && s.state === 'pending') {
    return [h('button', { type: 'button', dataset: { act: 'withdraw' }, onclick: () => act(`/api/manual-data/${id}/revoke`, { comment: '' }) }, t('withdraw'))];
  }
  return [];
}

// Rows of GET /api/manual-data; the files come with each sample (GET /api/manual-data/{id}) only when asked, so the list shows their count.
export const manualTable = (id, rows, actions) => table(id, ['outlet', 'pollutant', 'sampledAt', 'md.value', 'md.flow', 'state', 'md.stands', 'filedBy', 'decision', 'evidence', ''], rows.map(s =>
  h('tr', { dataset: { id: s.id, state: s.state } },
    h('td', {}, `${s.enterpriseName ?? ''} ${s.code ?? ''} (${s.mn})`), h('td', {}, pol(s.pollutant)), h('td', { class: 'nowrap' }, time(s.sampledAt)),
    h('td', { class: 'num nowrap' }, `${fmt(s.value, 3)} ${s.unit.replace('m3', 'm³')}`), h('td', { class: 'num' }, s.flow == null ? '–' : fmt(s.flow, 0)),
    h('td', { class: 'state nowrap' }, t('ms.' + s.state)),
    h('td', { class: 'nowrap' }, `${time(s.coverFrom)}–${time(s.coverTo).slice(11)}`, s.state === 'approved' ? h('span', { class: 'muted' }, ` ${t('md.hoursStood').replace('{n}', s.hoursStood)}`) : null),
    h('td', {}, s.by ?? ''), h('td', {}, s.decidedBy ? `${s.decidedBy}${s.decisionComment ? '：' + s.decisionComment : ''}` : ''),
    h('td', { class: 'evidence' }, s.evidenceFiles ? h('button', { type: 'button', class: 'link', dataset: { act: 'files' }, onclick: async e => {
      const one = await api(`/api/manual-data/${encodeURIComponent(s.id)}`);
      e.target.replaceWith(...fileLinks(one.evidence).flat());
    } }, `${s.evidenceFiles} ${t('md.files')}`) : ''),
    h('td', { class: 'nowrap' }, actions(s)))));

// The filing form: the pollutant and unit follow the outlet chosen.
function filingForm(outlets, error) {
  const files = fileInput('report');
  files.input.accept = '.pdf,application/pdf';
  files.input.multiple = false;
  const pollutant = h('select', { name: 'pollutant', required: true });
  const unit = h('input', { name: 'unit', type: 'hidden' });
  const unitText = h('span', { class: 'muted' });
  const outlet = outletPicker(outlets);
  const mnSelect = outlet.tagName === 'SELECT' ? outlet : outlet.querySelector('select');
  const fill = () => {
    const o = outlets.find(x => x.mn === mnSelect.value);
    if (!o) return;
    const water = o.kind === 'water';
    const codes = [...new Set([...Object.keys(o.limits || {}), ...TOTALLED.filter(c => c[0] === (water ? 'w' : 'a'))])].sort();
    pollutant.replaceChildren(...codes.map(c => h('option', { value: c }, pol(c))));
    unit.value = water ? 'mg/L' : 'mg/m3';
    unitText.textContent = water ? ' mg/L' : ' mg/m³';
  };
  mnSelect.addEventListener('change', fill); fill();
  const form = h('form', { id: 'manual-form', class: 'filters' },
    h('label', {}, t('outlet'), outlet),
    h('label', {}, t('pollutant'), pollutant),
    h('label', {}, t('sampledAt'), dateTimeInput('sampledAt', stamp(new Date()))),
    h('label', {}, t('md.value'), h('span', { class: 'nowrap' }, h('input', { name: 'value', required: true, inputmode: 'decimal', size: 8, pattern: '\\d+(\\.\\d+)?' }), unitText), unit),
    h('label', {}, t('md.flowInput'), h('input', { name: 'flow', inputmode: 'decimal', size: 10, pattern: '\\d+(\\.\\d+)?' })),
    h('label', {}, t('p.comment'), h('input', { name: 'comment', size: 24 })),
    h('span', { class: 'label' }, t('md.report'), files.el),
    h('button', { type: 'submit' }, t('md.file')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    error.textContent = '';
    const f = new FormData(e.target);
    f.set('sampledAt', fromDateTime(f.get('sampledAt')));
    if (!f.get('flow')) f.delete('flow');
    try {
      await api('/api/manual-data', { method: 'POST', body: f });
      location.hash = '#/manual?state=pending&t=' + Date.now();
    } catch (err) { error.textContent = err.message; }
  });
  return form;
}

// The page: the form (enterprises and operators), a filter by state and the samples, the latest sampled first.
export async function manualPage() {
  const who = role();
  const q = hashQuery();
  const chosen = STATES.includes(q.get('state')) ? q.get('state') : '';
  const [rows, outlets] = await Promise.all([api(`/api/manual-data?${EVER}&limit=500` + (chosen ? '&state=' + chosen : '')), outletList()]);
  rows.reverse(); // the latest sampled first
  const error = h('span', { id: 'manual-error', class: 'red' });
  const filter = h('form', { id: 'manual-filter', class: 'filters' },
    h('label', {}, t('state'), h('select', { name: 'state' }, h('option', { value: '' }, t('all')), STATES.map(st => h('option', { value: st, selected: st === chosen }, t('ms.' + st))))),
    h('button', { type: 'submit' }, t('search')));
  filter.addEventListener('submit', e => { e.preventDefault(); const f = new URLSearchParams(new FormData(e.target)); if (!f.get('state')) f.delete('state'); location.hash = '#/manual?' + f; });
  show(h('p', { class: 'muted' }, t('md.intro')), who === 'inspector' ? null : filingForm(outlets, error), filter, error,
    manualTable('manual', rows, s => manualActions(s, who, acting(error))));
}

// The review queue's part: samples awaiting an operator.
// Every sample awaiting review (an enterprise's own: the API narrows them).
export const pendingQuery = `/api/manual-data?${EVER}&state=pending&limit=500`;

export async function pendingManual(act) {
  const rows = await api(pendingQuery);
  return [h('h3', {}, `${t('md.pending')} (${rows.length})`), rows.length ? manualTable('review-manual', rows, s => manualActions(s, 'operator', act)) : h('p', {}, t('nothing'))];
}
