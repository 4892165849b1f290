// Commands to a terminal (set time, intervals, history, calibration …) with their results, live.
import { api } from '../api.js';
import { pol, state } from '../core.js';
import { h, table } from '../dom.js';
import { stamp, time } from '../format.js';
import { dateTimeInput, fromDateTime } from '../forms.js';
import { enumText, t } from '../i18n.js';

// The commands the service sends (HJ 212 Appendix C) and what each takes, from the server's catalogue.
let catalogue = null;
const commandsOnce = async () => { catalogue ??= await api('/api/commands/catalogue'); return catalogue; };

const resultText = c => {
  const r = c.result || {};
  if (r.offsetSeconds != null) return `${r.systemTime} (${r.offsetSeconds > 0 ? '+' : ''}${r.offsetSeconds} s)`;
  if (r.rtdInterval != null) return `${r.rtdInterval} s`;
  if (r.minInterval != null) return `${r.minInterval} min`;
  if (r.info) return Object.entries(r.info).map(([k, v]) => `${k}=${v}`).join('; ');
  return c.reason || '';
};

const commandRow = c => h('tr', { dataset: { id: c.id, state: c.state } },
  h('td', { class: 'nowrap' }, t('c.' + c.command)), h('td', { class: 'state nowrap cs-' + c.state }, t('cs.' + c.state)),
  h('td', { class: 'nowrap' }, enumText('link.', c.link)), h('td', {}, c.requestedBy), h('td', { class: 'nowrap' }, time(c.requestedAt)),
  h('td', { class: 'num' }, c.attempts), h('td', { class: 'result' }, resultText(c)));

export async function commandsPanel(outlet) {
  const m = encodeURIComponent(outlet.mn);
  const list = await api(`/api/outlets/${m}/commands?limit=20`);
  const body = h('tbody', {}, list.map(commandRow));
  const rows = table('commands', ['command', 'state', 'link', 'requestedBy', 'requestedAt', 'attempts', 'result'], []);
  rows.replaceChild(body, rows.querySelector('tbody'));
  const s = state.session;
  const canCommand = !s || !s.loginRequired || s.role === 'operator';
  const commands = new Map((await commandsOnce()).map(c => [c.name, c]));
  const select = h('select', { id: 'cmd-select', name: 'command' }, [...commands.keys()].map(c => h('option', { value: c }, t('c.' + c))));
  const params = h('span', { id: 'cmd-params' });
  const error = h('span', { id: 'cmd-error', class: 'red' });
  const now = new Date();
  const CN_WORDS = { 2061: 'hourly', 2051: 'minute', 2031: 'daily' };
  // An input for each parameter type of the catalogue.
  const input = p => {
    switch (p.type) {
      // Empty: the service's clock at the moment the command is sent (the API's default), not when the page was opened.
      case 'time': return h('input', { name: p.name, size: 16, value: '', placeholder: t('timeNow'), pattern: '\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?', autocomplete: 'off' });
      case 'datetime': return dateTimeInput(p.name, stamp(p.name === 'from' ? new Date(now - 864e5) : now));
      case 'integer': return p.values
        ? h('select', { name: p.name, dataset: { number: true } }, p.values.map(v => h('option', { value: v }, `${v} ${p.unit ?? ''}`.trim())))
        : h('input', { type: 'number', name: p.name, min: p.min, max: p.max, size: 6, required: p.required, title: p.unit });
      case 'choice': return h('select', { name: p.name }, p.values.map(v => h('option', { value: v }, CN_WORDS[v] ? t('cn.' + CN_WORDS[v]) : v)));
      case 'pollutant': return h('select', { name: p.name }, Object.keys(outlet.limits).map(code => h('option', { value: code }, pol(code))));
      default: return h('input', { name: p.name, size: 10, required: p.required, autocomplete: 'off' });
    }
  };
  const fill = () => params.replaceChildren(...commands.get(select.value).params.map(p => h('label', {}, t('p.' + p.name), input(p))));
  select.addEventListener('change', fill);
  fill();
  const form = h('form', { id: 'cmd-form', class: 'filters' }, h('label', {}, t('command'), select), params, h('button', { type: 'submit' }, t('send')), error);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    error.textContent = '';
    const p = {};
    for (const el of params.querySelectorAll('input, select')) if (el.value !== '') p[el.name] = el.type === 'number' || el.dataset.number ? Number(el.value) : ['time', 'from', 'to'].includes(el.name) ? fromDateTime(el.value) : el.value;
    try {
      const c = await api(`/api/outlets/${m}/commands`, { method: 'POST', body: JSON.stringify({ command: select.value, params: Object.keys(p).length ? p : undefined }) });
      upsert(c);
    } catch (err) { error.textContent = err.message; }
  });
  const upsert = c => {
    const row = commandRow(c);
    const old = body.querySelector(`tr[data-id="${CSS.escape(c.id)}"]`);
    if (old) old.replaceWith(row); else body.prepend(row);
  };
  const panel = h('div', { class: 'card', id: 'commands-panel' }, h('h3', {}, t('commands')), canCommand ? form : null, rows);
  return { panel, onCommand: c => { if (c.mn === outlet.mn) upsert(c); } };
}
