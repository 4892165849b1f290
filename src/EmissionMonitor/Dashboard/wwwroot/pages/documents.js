// 报表: the report documents a bureau files — 小时均值日报, 日均值月报, 月均值季报/年报 (each with the
// 排放量 and 有效传输率 sheets) — for a city, an enterprise or an outlet, downloaded as workbooks.
import { hashQuery, pages, role } from '../core.js';
import { h, show } from '../dom.js';
import { localDate, quarterOf } from '../format.js';
import { registryPickers } from '../forms.js';
import { lang, t } from '../i18n.js';

const KINDS = { daily: 'date', monthly: 'month', quarterly: 'quarter', annual: 'year' };

pages.documents = async function documentsPage() {
  const q = hashQuery();
  const kind = KINDS[q.get('kind')] ? q.get('kind') : 'daily';
  const yesterday = new Date(Date.now() - 864e5);
  const defaults = { date: localDate(yesterday), month: localDate(yesterday).slice(0, 7), quarter: quarterOf(yesterday), year: String(yesterday.getFullYear()) };
  const param = KINDS[kind];
  const patterns = { date: '\\d{4}-\\d{2}-\\d{2}', month: '\\d{4}-\\d{2}', quarter: '\\d{4}Q[1-4]', year: '\\d{4}' };
  const periodInput = h('input', { name: param, value: q.get(param) || defaults[param], pattern: patterns[param], required: true, size: 10, autocomplete: 'off' });
  const scope = await registryPickers(q, role() === 'enterprise' ? ['mn'] : ['city', 'enterprise', 'mn']);
  const link = h('a', { id: 'document-download', download: '' }, h('button', { type: 'button' }, t('doc.download')));
  const form = h('form', { class: 'filters', id: 'document-form' },
    h('label', {}, t('doc.kind'), h('select', { name: 'kind', onchange: e => { location.hash = '#/documents?kind=' + e.target.value; } },
      Object.keys(KINDS).map(k => h('option', { value: k, selected: k === kind }, t('doc.' + k))))),
    h('label', {}, t('doc.' + param), periodInput), scope, link);
  // The link always names what the form shows: the kind, the period and the scope, in the page's language.
  const update = () => {
    const f = new FormData(form), query = new URLSearchParams();
    query.set(param, f.get(param));
    for (const k of ['city', 'enterprise', 'mn']) if (f.get(k)) query.set(k, f.get(k));
    query.set('lang', lang);
    link.setAttribute('href', `/api/documents/${kind}?${query}`);
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', e => e.preventDefault());
  update();
  show(h('h3', {}, t('doc.title')), form, h('p', { class: 'hint' }, t('doc.hint')));
};
