// Are the treatment facilities running? A timeline of each facility's state since yesterday's start
// (running green, stopped red, unknown grey: no power value, never taken as stopped) and the last
// week's findings (治污设施停运, 停产申报存疑), from GET /api/facilities/episodes|findings.
import { api } from '../api.js';
import { h, table } from '../dom.js';
import { fmt, localDate, time } from '../format.js';
import { enumText, t } from '../i18n.js';

const STATE_CLASS = { running: 'run', stopped: 'stop', unknown: 'unknown' };

// The panel of an enterprise's facilities, or of those whose data an outlet's terminal sends (mn).
export async function facilitiesPanel(enterprise, facilities, mn) {
  const shown = facilities.filter(f => !mn || f.outlets.includes(mn));
  if (!shown.length) return null;
  // From yesterday's start (a day in the service's zone) to now: the window is the episodes' own span, in the times the service gives.
  const now = new Date();
  const e = encodeURIComponent(enterprise);
  const [episodes, findings] = await Promise.all([api(`/api/facilities/episodes?enterprise=${e}&from=${localDate(new Date(now - 864e5))}&limit=100000`),
    api(`/api/facilities/findings?enterprise=${e}&from=${localDate(new Date(now - 7 * 864e5))}&limit=1000`)]);
  const first = episodes.length ? episodes.reduce((a, x) => (x.start < a.start ? x : a)).start : null;
  const last = episodes.length ? episodes.reduce((a, x) => (x.end > a.end ? x : a)).end : null;
  const [from, span] = first ? [new Date(first), Math.max(1, new Date(last) - new Date(first))] : [now, 1];
  // Positions go through the CSSOM (the page's content security policy allows no style attributes).
  const segment = (x, f) => {
    const el = h('span', { class: 'seg ' + STATE_CLASS[x.state], dataset: { state: x.state },
      title: `${enumText('fs.', x.state)} ${time(x.start)}–${time(x.end)}${x.max != null ? ` · ${fmt(x.min, 1)}–${fmt(x.max, 1)} ${f.unit || ''}` : ''}` });
    const left = (new Date(x.start) - from) / span * 100;
    el.style.left = `${left.toFixed(3)}%`;
    el.style.width = `${Math.max(0.2, Math.min(100 - left, (new Date(x.end) - new Date(x.start)) / span * 100)).toFixed(3)}%`;
    return el;
  };
  // A bar per facility from its power; a production facility that sends its declared state (ST=45) gets a second bar for it.
  const bar = (f, source, label) => h('div', { class: 'timeline-row', dataset: { facility: f.id, source } },
    h('span', { class: 'timeline-name' }, label),
    h('div', { class: 'timeline', role: 'img', 'aria-label': label }, episodes.filter(x => x.facility === f.id && x.source === source).map(x => segment(x, f))));
  const rows = shown.flatMap(f => [bar(f, 'power', `${f.name} · ${enumText('fk.', f.kind)}`),
    ...(f.declaredCode ? [bar(f, 'declared', `${f.name} · ${t('fc.declared')}`)] : [])]);
  const relevant = findings.filter(x => shown.some(f => f.id === x.facility || f.id === x.other));
  return h('div', { class: 'panel', id: 'facilities' },
    h('h3', {}, t('fc.title')),
    h('p', { class: 'legend' }, ['running', 'stopped', 'unknown'].map(s => [h('span', { class: 'seg-key ' + STATE_CLASS[s] }), ' ', enumText('fs.', s), ' ']),
      first ? h('span', { class: 'muted' }, `${time(first)} – ${time(last)}`) : null),
    rows,
    h('h4', {}, `${t('fc.findings')} (${relevant.length})`),
    relevant.length ? table('facility-findings', ['fc.finding', 'start', 'end', 'fc.minutes', 'fc.facility', 'fc.other'], relevant.map(x =>
      h('tr', { dataset: { finding: x.finding } }, h('td', { class: 'red' }, enumText('ff.', x.finding)), h('td', {}, time(x.start)), h('td', {}, time(x.end)),
        h('td', { class: 'num' }, fmt(x.minutes, 0)), h('td', {}, `${x.facilityName}${x.facilityMax != null ? ` (${fmt(x.facilityMin, 1)}–${fmt(x.facilityMax, 1)})` : ''}`),
        h('td', {}, x.otherName ? `${x.otherName} (${fmt(x.otherMin, 1)}–${fmt(x.otherMax, 1)})` : '–')))) : h('p', {}, t('nothing')));
}
