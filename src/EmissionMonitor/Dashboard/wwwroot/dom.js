// Building the page: h() makes elements from text (textContent and setAttribute, never HTML strings),
// tables that become stacked cards on a phone, bars, badges and the one modal dialog.
import { t } from './i18n.js';

export const view = document.getElementById('view');

// h('td', { class: 'num', dataset: { id } }, 'text', childNode, …): an element with attributes and text or element children.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'dataset') Object.entries(v).forEach(([dk, dv]) => { if (dv != null) el.dataset[dk] = String(dv); });
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export const show = (...nodes) => view.replaceChildren(...nodes);

// A table; each cell also carries its column's name (data-label), which a phone shows beside the value
// when rows become stacked cards; an empty table says so (暂无).
export const table = (id, headers, rows) => {
  const labels = headers.map(k => k ? t(k) : '');
  const body = h('tbody', {}, rows);
  for (const tr of body.rows) [...tr.cells].forEach((td, i) => { if (labels[i]) td.dataset.label = labels[i]; });
  if (!body.rows.length) body.append(h('tr', { class: 'empty' }, h('td', { colspan: headers.length }, t('nothing'))));
  return h('table', { id }, h('thead', {}, h('tr', {}, labels.map(l => h('th', {}, l)))), body);
};

export const badge = (cls, text) => h('span', { class: 'badge ' + cls }, text);

export const progressBar = (ratio, cls, mark) => {
  const fill = h('span', { class: 'fill ' + cls, dataset: { width: Math.max(0, Math.min(100, Math.round((ratio ?? 0) * 100))) } });
  return h('span', { class: 'bar' + (mark ? ' mark ' + mark : '') }, fill);
};

// Widths through the CSSOM: the Content-Security-Policy allows no inline style attributes.
export const sizeBars = () => document.querySelectorAll('#view .fill[data-width]').forEach(el => { el.style.width = el.dataset.width + '%'; });

// Pickers from the registry: a select per filter, narrowed by typing into the box beside it.
// A modal dialog: `build(close)` makes its content; resolves with what close() is given, null when
// cancelled (Escape or the cancel button); the dialog is removed either way, and `focus` takes the focus.
export const modal = (id, build) => new Promise(resolve => {
  const dialog = h('dialog', { id, class: 'handle' });
  const close = value => { dialog.close(); dialog.remove(); resolve(value); };
  dialog.addEventListener('cancel', () => { dialog.remove(); resolve(null); });
  const { content, focus } = build(close);
  dialog.append(content);
  document.body.append(dialog);
  dialog.showModal();
  focus?.focus();
});
