'use strict';
// EmissionMonitor dashboard: plain JavaScript over the HTTP API, live through Server-Sent Events.
// Everything that comes from the server, a frame or the URL reaches the page as text: elements are
// built with h() (textContent and setAttribute), never from HTML strings. The credential is the
// HttpOnly session cookie set by POST /api/session; no script of the page can read it.
(() => {
  let lang = localStorage.getItem('em.lang') || 'zh';
  const t = key => (I18N[lang] && I18N[lang][key]) || key;
  const view = document.getElementById('view');
  const state = { alerts: new Map(), stations: [], listeners: [], session: null, codes: new Map() };
  // A pollutant by name in the user's language (the catalogue from /api/codes), the code when unknown.
  const pol = code => { const c = code && state.codes.get(code); return c ? (lang === 'zh' ? c.name : c.englishName) : (code ?? ''); };

  // h('td', { class: 'num', dataset: { id } }, 'text', childNode, …): an element with attributes and text or element children.
  function h(tag, attrs, ...children) {
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
  const show = (...nodes) => view.replaceChildren(...nodes);
  // A table; each cell also carries its column's name (data-label), which a phone shows beside the value
  // when rows become stacked cards; an empty table says so (暂无).
  const table = (id, headers, rows) => {
    const labels = headers.map(k => k ? t(k) : '');
    const body = h('tbody', {}, rows);
    for (const tr of body.rows) [...tr.cells].forEach((td, i) => { if (labels[i]) td.dataset.label = labels[i]; });
    if (!body.rows.length) body.append(h('tr', { class: 'empty' }, h('td', { colspan: headers.length }, t('nothing'))));
    return h('table', { id }, h('thead', {}, h('tr', {}, labels.map(l => h('th', {}, l)))), body);
  };

  // A refused request said in the user's language from the problem's code and params; the English
  // title (for API users and logs) stays in `detail`.
  class HttpError extends Error {
    constructor(status, problem) {
      const p = problem || {};
      const parameter = p.params?.parameter ?? p.parameter;
      const said = lang === 'zh' && p.code && I18N.zh['err.' + p.code]
        ? I18N.zh['err.' + p.code] + (parameter ? `（${I18N.zh['p.' + parameter] || I18N.zh[parameter] || parameter}）` : '')
        : (p.title || String(status));
      super(said);
      Object.assign(this, { status, code: p.code, params: p.params || {}, detail: p.title });
    }
  }
  const api = async (path, options = {}) => {
    const res = await fetch(path, Object.assign({ headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin' }, options));
    if (!res.ok) {
      let problem = null;
      try { problem = await res.json(); } catch { /* not a problem body */ }
      throw new HttpError(res.status, problem);
    }
    if (res.status === 204) return null;
    return res.headers.get('content-type')?.includes('json') ? res.json() : res.text();
  };
  const pct = v => v == null ? '–' : (v * 100).toFixed(1) + '%';
  // An alert in the user's language: its messageKey's template filled with its params (pollutants
  // by name, enumerations translated); the server's English sentence when the key is unknown.
  const PARAM_PREFIX = { pollutant: 'pol.', level: 'lv.', colour: 'colour.', direction: 'dir.', valueKind: 'vk.' };
  const alertText = a => {
    const tpl = a.messageKey && I18N[lang] && I18N[lang]['m.' + a.messageKey];
    if (!tpl) return a.message;
    const p = a.params || {};
    return tpl.replace(/\{(\w+)\}/g, (_, k) => {
      const v = p[k];
      if (v == null) return '';
      if (k === 'pollutant') return pol(v);
      const key = PARAM_PREFIX[k] ? PARAM_PREFIX[k] + v : null;
      return key && I18N[lang][key] ? I18N[lang][key] : v;
    });
  };
  const time = s => s ? String(s).replace('T', ' ').slice(0, 16) : '';
  const pad = n => String(n).padStart(2, '0');
  const localDate = d => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const quarterOf = d => `${d.getFullYear()}Q${Math.floor(d.getMonth() / 3) + 1}`;
  const hashQuery = () => new URLSearchParams(location.hash.split('?')[1] || '');
  // The caller's role: with no API users configured everyone is an operator.
  const role = () => { const s = state.session; return !s || !s.loginRequired ? 'operator' : s.role; };
  const stationsOnce = async () => { if (!state.stations.length) state.stations = await api('/api/stations'); return state.stations; };
  const outletList = async () => (await stationsOnce()).flatMap(e => e.outlets.map(o => Object.assign({ enterprise: e }, o)));
  const stamp = d => `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`;
  // Evidence files go up one by one as multipart bodies (the browser sets the boundary); the
  // server checks each file's content, size and count and answers with a problem when it refuses.
  async function upload(path, files) {
    for (const file of files) {
      const form = new FormData();
      form.append('file', file, file.name);
      const res = await fetch(path, { method: 'POST', body: form, credentials: 'same-origin' });
      if (!res.ok) {
        let title = String(res.status);
        try { title = (await res.json()).title || title; } catch { /* not a problem body */ }
        throw new HttpError(res.status, { title: file.name + ': ' + title });
      }
    }
  }
  // A file picker in the page's language (the browser's own button speaks the browser's): a
  // label around a hidden input, with the chosen names beside it.
  const fileInput = name => {
    const input = h('input', { type: 'file', name, multiple: true, class: 'visually-hidden', accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png' });
    const names = h('span', { class: 'file-names' });
    input.addEventListener('change', () => { names.textContent = [...input.files].map(f => f.name).join('、'); });
    return { input, el: h('span', { class: 'file-pick' }, h('label', { class: 'button', title: t('fileTypes') }, t('chooseFiles'), input), names) };
  };
  // A local date and time typed as YYYY-MM-DD HH:mm (no browser-locale picker), sent as YYYY-MM-DDTHH:mm:ss.
  const dateTimeInput = (name, value) => h('input', { name, required: true, size: 16, value: value.replace('T', ' ').slice(0, 16), placeholder: 'YYYY-MM-DD HH:mm',
    pattern: '\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?', autocomplete: 'off' });
  const fromDateTime = v => { const x = (v || '').trim().replace(' ', 'T'); return x.length === 16 ? x + ':00' : x; };
  const fileLinks = files => (files || []).map((f, i) => [i ? ' ' : null, h('a', { href: f.href, download: f.name, class: 'file' }, f.name)]);
  // Numbers and tonnes in the user's locale; badges and bars drawn with CSS (no emoji, no glyph boxes).
  const fmt = (v, digits = 1) => v == null || Number.isNaN(v) ? '–' : Number(v).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  const tonnes = kg => kg == null ? '–' : fmt(kg / 1000, 1);
  const badge = (cls, text) => h('span', { class: 'badge ' + cls }, text);
  const progressBar = (ratio, cls, mark) => {
    const fill = h('span', { class: 'fill ' + cls, dataset: { width: Math.max(0, Math.min(100, Math.round((ratio ?? 0) * 100))) } });
    return h('span', { class: 'bar' + (mark ? ' mark ' + mark : '') }, fill);
  };
  // Widths through the CSSOM: the Content-Security-Policy allows no inline style attributes.
  const sizeBars = () => document.querySelectorAll('#view .fill[data-width]').forEach(el => { el.style.width = el.dataset.width + '%'; });
  const TOTALLED = ['w01018', 'w21003', 'a21026', 'a21002'];
  const enumText = (prefix, v) => v == null ? '' : (I18N[lang][prefix + v] ?? v);
  // A card's reasons in the user's language, from the structured items (the strings as a fallback).
  const reasonText = (item, fallback) => {
    const tpl = item && I18N[lang]['r.' + item.kind];
    if (!tpl) return fallback;
    return tpl.replace(/\{(\w+)\}/g, (_, k) => k === 'pollutant' ? pol(item.pollutant) : (k === 'value' || k === 'bound') ? fmt(item[k], 1) : (item[k] ?? ''));
  };
  const downloads = (path, name) => h('span', { class: 'downloads' },
    h('a', { id: 'csv', href: path + (path.includes('?') ? '&' : '?') + 'format=csv', download: name + '.csv' }, h('button', { type: 'button' }, t('csv'))), ' ',
    h('a', { id: 'xlsx', href: path + (path.includes('?') ? '&' : '?') + 'format=xlsx&lang=' + lang, download: name + '.xlsx' }, h('button', { type: 'button' }, t('xlsx'))));

  // Pickers from the registry: a select per filter, narrowed by typing into the box beside it.
  function picker(name, options, selected, allLabel = t('all')) {
    const select = h('select', { name }, h('option', { value: '' }, allLabel), options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
    if (options.length <= 12) return select;
    const search = h('input', { type: 'search', class: 'narrow', placeholder: t('searchHint'), size: 8, 'aria-label': t('searchHint') });
    search.addEventListener('input', () => {
      const term = search.value.trim().toLowerCase();
      for (const o of select.options) o.hidden = o.value !== '' && term !== '' && !o.textContent.toLowerCase().includes(term);
    });
    return h('span', { class: 'picker' }, search, select);
  }
  // One outlet to act on (an order, a mark): every outlet the caller may see, narrowed by typing.
  const outletPicker = outlets => {
    const el = picker('mn', outlets.map(o => [o.mn, `${o.enterprise.name} · ${o.name} (${o.mn})`]), outlets[0]?.mn ?? '', null);
    const select = el.tagName === 'SELECT' ? el : el.querySelector('select');
    select.querySelector('option[value=""]')?.remove();
    select.required = true;
    return el;
  };
  async function registryPickers(q, which = ['city', 'enterprise', 'mn', 'pollutant']) {
    const stations = await stationsOnce();
    const city = q.get('city') || '', enterprise = q.get('enterprise') || '';
    const inCity = stations.filter(e => !city || e.city === city);
    const outlets = inCity.filter(e => !enterprise || e.id === enterprise).flatMap(e => e.outlets.map(o => [o.mn, `${o.name} · ${e.name} (${o.mn})`]));
    const codes = [...new Set(stations.flatMap(e => e.outlets.flatMap(o => Object.keys(o.limits))))].sort();
    const make = {
      city: () => picker('city', [...new Set(stations.map(e => e.city))].sort().map(c => [c, c]), city),
      enterprise: () => picker('enterprise', inCity.map(e => [e.id, e.name]), enterprise),
      mn: () => picker('mn', outlets, q.get('mn') || ''),
      pollutant: () => picker('pollutant', codes.map(c => [c, pol(c)]), q.get('pollutant') || ''),
    };
    return which.map(k => h('label', {}, t(k === 'mn' ? 'outlet' : k), make[k]()));
  }
  // The period as a quarter, a month, a year or a custom range of days (typed YYYY-MM-DD, never the browser's locale picker).
  function periodFields(q, modes = ['quarter', 'month', 'year', 'custom']) {
    const now = new Date();
    const mode = q.get('from') ? (q.get('period') || 'custom') : (q.get('quarter') ? 'quarter' : modes[0]);
    const quarters = []; for (let i = 0; i < 8; i++) { const d = new Date(now.getFullYear(), now.getMonth() - 3 * i, 1); quarters.push(quarterOf(d)); }
    const months = []; for (let i = 0; i < 12; i++) { const d = new Date(now.getFullYear(), now.getMonth() - i, 1); months.push(`${d.getFullYear()}-${pad(d.getMonth() + 1)}`); }
    const from = q.get('from') || '', to = q.get('to') || '';
    const inputs = {
      quarter: h('select', { name: 'quarter' }, quarters.map(x => h('option', { value: x, selected: x === (q.get('quarter') || quarters[0]) }, x.replace('Q', lang === 'zh' ? '年第' : ' Q') + (lang === 'zh' ? '季度' : '')))),
      month: h('select', { name: 'month' }, months.map(x => h('option', { value: x, selected: from.startsWith(x) && mode === 'month' }, lang === 'zh' ? x.replace('-', '年') + '月' : x))),
      year: h('select', { name: 'year' }, [0, 1, 2].map(i => now.getFullYear() - i).map(y => h('option', { value: y, selected: from.startsWith(String(y)) && mode === 'year' }, lang === 'zh' ? y + '年' : String(y)))),
      custom: h('span', { class: 'range' }, dateInput('from', from || localDate(new Date(now.getFullYear(), now.getMonth(), 1))), ' – ', dateInput('to', to || localDate(new Date(now.getTime() + 864e5)))),
    };
    const select = h('select', { name: 'period' }, modes.map(m => h('option', { value: m, selected: m === mode }, t('pm.' + m))));
    const holder = h('span', { class: 'period-input' });
    const fill = () => holder.replaceChildren(inputs[select.value]);
    select.addEventListener('change', fill); fill();
    return h('label', {}, t('p.period'), h('span', { class: 'period' }, select, holder));
  }
  const dateInput = (name, value) => h('input', { name, value, size: 10, placeholder: 'YYYY-MM-DD', pattern: '\\d{4}-\\d{2}-\\d{2}', required: true, autocomplete: 'off' });
  // The form's period as the API's query: quarter=…, or from/to (to exclusive).
  function periodQuery(f) {
    const out = new URLSearchParams();
    const mode = f.get('period');
    if (mode === 'quarter') out.set('quarter', f.get('quarter'));
    else if (mode === 'month') { const [y, m] = f.get('month').split('-').map(Number); out.set('period', 'month'); out.set('from', `${y}-${pad(m)}-01`); out.set('to', localDate(new Date(y, m, 1))); }
    else if (mode === 'year') { const y = Number(f.get('year')); out.set('period', 'year'); out.set('from', `${y}-01-01`); out.set('to', `${y + 1}-01-01`); }
    else if (f.get('from')) { out.set('from', f.get('from')); out.set('to', f.get('to')); }
    return out;
  }
  // A filter form's values as the page's hash (empty ones left out).
  function filterHash(page, form) {
    const f = new FormData(form);
    const out = periodQuery(f);
    for (const [k, v] of f) if (!['period', 'quarter', 'month', 'year', 'from', 'to'].includes(k) && v) out.set(k, v);
    return `#/${page}?${out}`;
  }
  // The API query of a page's hash: the period and the registry filters.
  function apiQuery(q, keys = ['city', 'enterprise', 'mn', 'pollutant']) {
    const out = new URLSearchParams();
    if (q.get('quarter')) out.set('quarter', q.get('quarter'));
    else if (q.get('from')) { out.set('from', q.get('from')); if (q.get('to')) out.set('to', q.get('to')); }
    for (const k of keys) if (q.get(k)) out.set(k, q.get(k));
    return out;
  }

  function translate() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
    document.getElementById('lang').textContent = lang === 'zh' ? 'EN' : '中文';
  }
  // On a phone the navigation is a menu: opened by its button, closed when a page is chosen.
  const menu = document.getElementById('menu');
  menu.addEventListener('click', () => { const open = document.body.classList.toggle('menu-open'); menu.setAttribute('aria-expanded', String(open)); });
  window.addEventListener('hashchange', () => { document.body.classList.remove('menu-open'); menu.setAttribute('aria-expanded', 'false'); });
  document.getElementById('lang').addEventListener('click', () => { lang = lang === 'zh' ? 'en' : 'zh'; localStorage.setItem('em.lang', lang); translate(); route(); });

  // Session: a token given once in the URL (?access_token=…) or typed into the login form becomes
  // the HttpOnly cookie; the URL is cleaned at once so the token stays out of history and logs.
  async function ensureSession() {
    const params = new URLSearchParams(location.search);
    const given = params.get('access_token');
    if (given) {
      history.replaceState(null, '', location.pathname + location.hash);
      try { await api('/api/session', { method: 'POST', body: JSON.stringify({ token: given }) }); } catch { /* falls through to the form */ }
    }
    try { return await api('/api/session'); } catch (e) { if (e.status !== 401) throw e; }
    return new Promise(resolve => {
      const input = h('input', { type: 'password', name: 'token', autocomplete: 'current-password', required: true, size: 32 });
      const error = h('p', { class: 'red', id: 'login-error' });
      const form = h('form', { id: 'login', class: 'filters' }, h('label', {}, t('token'), input), h('button', { type: 'submit' }, t('login')), error);
      form.addEventListener('submit', async e => {
        e.preventDefault();
        try { resolve(await api('/api/session', { method: 'POST', body: JSON.stringify({ token: input.value }) })); }
        catch (err) { error.textContent = err.status === 429 ? t('tooMany') : t('badToken'); }
      });
      show(form);
      document.body.dataset.ready = 'login';
    });
  }

  async function logout() {
    await api('/api/session', { method: 'DELETE' });
    location.reload();
  }

  // Live stream: alerts update the board; readings feed the outlet page. The cookie authenticates it.
  function connect() {
    const source = new EventSource('/api/alerts/stream');
    const live = document.getElementById('live');
    let lost = false;
    source.onopen = () => {
      live.classList.add('on'); live.dataset.i18n = 'live.on'; live.textContent = t('live.on');
      if (lost) state.listeners.forEach(l => l('reconnect')); // what was missed while away: pages that show counts read them again
      lost = false;
    };
    source.onerror = () => { lost = true; live.classList.remove('on'); live.dataset.i18n = 'live.off'; live.textContent = t('live.off'); };
    source.addEventListener('alert', e => { const a = JSON.parse(e.data); state.alerts.set(a.id, a); state.listeners.forEach(l => l('alert', a)); });
    source.addEventListener('reading', e => { const r = JSON.parse(e.data); state.listeners.forEach(l => l('reading', r)); });
    source.addEventListener('command', e => { const c = JSON.parse(e.data); state.listeners.forEach(l => l('command', c)); });
  }

  // A prefecture: its enterprises with their rate this quarter, open exceedances and cards.
  async function cityPage(city) {
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

  // An enterprise: its outlets and their rates, this year's totals against its permits, cards, open alerts and this quarter's exceedances.
  async function enterprisePage(id) {
    const now = new Date();
    const e = (await stationsOnce()).find(x => x.id === id);
    if (!e) { show(h('p', {}, t('none'))); return; }
    const q = encodeURIComponent(id);
    const [rates, totals, cards, alerts, exceedances] = await Promise.all([api(`/api/rates?by=outlet&enterprise=${q}&limit=100000`),
      api(`/api/totals?from=${now.getFullYear()}-01-01&by=enterprise&enterprise=${q}&limit=100`), api(`/api/cards?enterprise=${q}&quarter=${quarterOf(now)}`),
      api(`/api/alerts?state=open&enterprise=${q}&limit=20`), api(`/api/exceedances?enterprise=${q}&limit=5000`)]);
    // The newest first, twenty of each; the whole lists are a click away.
    const newest = [...exceedances].sort((a, b) => String(b.start).localeCompare(String(a.start))).slice(0, 20);
    const rateOf = new Map(rates.map(r => [r.mn, r]));
    show(h('div', { id: 'enterprise-page' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/' }, t('province')), ' › ', h('a', { href: '#/city/' + encodeURIComponent(e.city) }, e.city), ' › ', e.name),
      h('h3', {}, t('entOutlets')),
      table('enterprise-outlets', ['outlet', 'mn', 'lastSeen', 'rateQuarter'], e.outlets.map(o => h('tr', { dataset: { mn: o.mn } },
        h('td', {}, h('a', { href: '#/outlet/' + encodeURIComponent(o.mn) }, o.name)), h('td', {}, o.mn), h('td', { class: 'nowrap' }, o.lastSeen ? time(o.lastSeen) : '–'),
        h('td', { class: 'num ' + (rateOf.get(o.mn)?.belowThreshold ? 'red' : '') }, pct(rateOf.get(o.mn)?.effectiveRate))))),
      h('h3', {}, t('ov.totalsPermit')),
      totals.length ? h('div', { class: 'panel' }, totals.map(r => h('div', { class: 'bar-row', dataset: { pollutant: r.pollutant } }, h('span', { class: 'bar-name' }, pol(r.pollutant)),
        progressBar(r.permitKg ? Math.min(1, r.ytdKg / r.permitKg) : 0, r.overTotal ? 'red' : 'green'),
        h('span', { class: 'bar-text' }, r.permitKg ? `${tonnes(r.ytdKg)} / ${tonnes(r.permitKg)} ${t('t')}` : `${tonnes(r.ytdKg)} ${t('t')} · ${t('noPermit')}`)))) : h('p', {}, t('nothing')),
      h('h3', {}, t('nav.cards')), cards.length ? cardsTable('enterprise-cards', cards) : h('p', {}, t('nothing')),
      h('h3', {}, t('activeAlerts')), alerts.length ? EM.alertRowsTable('enterprise-alerts', alerts, false) : h('p', {}, t('nothing')),
      h('h3', {}, `${t('exceedancesQuarter')} (${fmt(exceedances.length, 0)})`), newest.length ? exceedanceTable(newest) : h('p', {}, t('nothing')),
      exceedances.length > newest.length ? h('p', {}, h('a', { href: '#/exceedances?enterprise=' + q, id: 'more-exceedances' }, t('more'))) : null));
    sizeBars();
  }

  // Emission totals: by city, enterprise, outlet or the province, against permits and caps, with the year's monthly bars.
  async function totalsPage() {
    const q = hashQuery();
    const now = new Date();
    if (!q.get('quarter') && !q.get('from')) { q.set('period', 'year'); q.set('from', `${now.getFullYear()}-01-01`); q.set('to', `${now.getFullYear() + 1}-01-01`); }
    const by = ['province', 'city', 'enterprise', 'outlet'].includes(q.get('by')) ? q.get('by') : 'city';
    const query = apiQuery(q, ['city', 'enterprise', 'pollutant']);
    query.set('by', by);
    const year = Number((q.get('from') || q.get('quarter') || String(now.getFullYear())).slice(0, 4));
    const scope = apiQuery(q, ['city', 'enterprise', 'pollutant']); scope.delete('quarter'); scope.delete('from'); scope.delete('to');
    const months = [...Array(12).keys()];
    const [rows, pickers, monthly] = await Promise.all([api('/api/totals?limit=100000&' + query), registryPickers(q, ['city', 'enterprise', 'pollutant']),
      Promise.all(months.map(m => new Date(year, m, 1) > now ? Promise.resolve([]) :
        api(`/api/totals?from=${year}-${pad(m + 1)}-01&to=${localDate(new Date(year, m + 1, 1))}&by=province&limit=100&${scope}`)))]);
    const form = h('form', { class: 'filters', id: 'totals-filter' }, periodFields(q), pickers,
      h('label', {}, t('groupBy'), h('select', { name: 'by' }, ['province', 'city', 'enterprise', 'outlet'].map(g => h('option', { value: g, selected: g === by }, t('g.' + g))))),
      h('button', { type: 'submit' }, t('search')), ' ', downloads('/api/totals?' + query, 'totals'));
    form.addEventListener('submit', e => { e.preventDefault(); location.hash = filterHash('totals', e.target); });
    const against = r => r.permitKg ?? r.capKg ?? null;
    const name = r => by === 'outlet' ? `${r.enterpriseName} · ${r.mn}` : by === 'enterprise' ? r.enterpriseName : by === 'city' ? r.city : t('province');
    const chartBox = h('div', { id: 'monthly-plot', class: 'plot' });
    show(form, h('div', { class: 'panel' }, h('h3', {}, `${t('monthly')} · ${lang === 'zh' ? year + '年' : year}`), chartBox),
      table('totals', [by === 'province' ? 'province' : 'g.' + by, 'pollutant', 'tonnes', 'validT', 'permitT', 'progress'], rows.filter(r => TOTALLED.includes(r.pollutant)).map(r => {
        const limit = against(r), ratio = limit ? (r.ytdKg ?? r.kg) / limit : null;
        return h('tr', { dataset: { pollutant: r.pollutant } }, h('td', {}, by === 'enterprise' && r.enterprise ? h('a', { href: '#/enterprise/' + encodeURIComponent(r.enterprise) }, name(r)) : name(r)),
          h('td', { title: r.pollutant }, pol(r.pollutant)), h('td', { class: 'num' }, tonnes(r.kg)), h('td', { class: 'num' }, tonnes(r.validKg)),
          h('td', { class: 'num' }, limit ? tonnes(limit) : '–'),
          h('td', { class: 'progress' }, ratio == null ? '–' : [progressBar(Math.min(1, ratio), ratio >= 1 ? 'red' : ratio >= 0.9 ? 'yellow' : 'green'), ' ', fmt(ratio * 100, 0) + '%']));
      })));
    sizeBars();
    const xs = months.map(m => Date.parse(`${year}-${pad(m + 1)}-15T00:00:00+08:00`) / 1000);
    const colours = ['#3fa7ff', '#3ecf8e', '#ffc940', '#ff5a5a'];
    const codes = TOTALLED.filter(c => !q.get('pollutant') || c === q.get('pollutant'));
    window.emPlots = { monthly: new uPlot({ width: Math.max(320, chartBox.clientWidth - 10), height: 220, tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), 'Asia/Shanghai'),
      series: [{ label: t('time') }, ...codes.map((c, i) => ({ label: pol(c), stroke: colours[i], fill: colours[i] + '55', paths: uPlot.paths.bars({ size: [0.18, 30], align: 0 }) }))],
      axes: [{ stroke: '#8aa0b4', grid: { stroke: '#243244' } }, { stroke: '#8aa0b4', grid: { stroke: '#243244' } }] },
      [xs, ...codes.map(c => monthly.map(list => { const r = list.find(x => x.pollutant === c); return r ? r.kg / 1000 : null; }))], chartBox) };
  }

  const exceedanceTable = rows => table('exceedances', ['city', 'enterprise', 'mn', 'pollutant', 'basis', 'valueKind', 'start', 'end', 'periods', 'peak', 'limit', 'multiple'], rows.map(r =>
    h('tr', {}, h('td', {}, r.city), h('td', {}, r.enterpriseName), h('td', {}, r.mn), h('td', { title: r.pollutant }, pol(r.pollutant)), h('td', {}, enumText('basis.', r.basis)),
      h('td', {}, enumText('vk.', r.valueKind)), h('td', { class: 'nowrap' }, time(r.start)), h('td', { class: 'nowrap' }, r.ongoing ? t('ongoing') : time(r.end)),
      h('td', { class: 'num' }, r.periods), h('td', { class: 'num' }, fmt(r.peak, 2)), h('td', { class: 'num' }, fmt(r.limit, 2)),
      h('td', { class: 'num' }, typeof r.peakMultiple === 'number' ? fmt(r.peakMultiple, 2) : '–'))));

  // Exceedance episodes, 200 to a page (a province's quarter holds hundreds of thousands): the
  // count comes from X-Total-Count, the downloads carry them all.
  async function exceedancesPage() {
    const q = hashQuery();
    const now = new Date();
    if (!q.get('quarter') && !q.get('from')) q.set('quarter', quarterOf(now));
    const query = apiQuery(q);
    const page = Math.max(0, Number(q.get('page')) || 0), size = 200;
    const res = await fetch(`/api/exceedances?limit=${size}&offset=${page * size}&${query}`, { credentials: 'same-origin' });
    if (!res.ok) throw new HttpError(res.status, '/api/exceedances: ' + res.status);
    const total = Number(res.headers.get('X-Total-Count') || 0);
    const [rows, pickers] = await Promise.all([res.json(), registryPickers(q)]);
    const form = h('form', { class: 'filters', id: 'exc-filter' }, periodFields(q), pickers, h('button', { type: 'submit' }, t('search')), ' ', downloads('/api/exceedances?' + query, 'exceedances'));
    form.addEventListener('submit', e => { e.preventDefault(); location.hash = filterHash('exceedances', e.target); });
    const pages = Math.max(1, Math.ceil(total / size));
    const go = n => { const f = new URLSearchParams(q); f.set('page', n); location.hash = '#/exceedances?' + f; };
    const summary = h('p', { id: 'exc-counts', class: 'muted' }, t('episodesOf').replace('{n}', fmt(total, 0)), ' · ', t('pageOf').replace('{n}', page + 1).replace('{m}', pages), ' ',
      page > 0 ? h('button', { type: 'button', id: 'prev-page', onclick: () => go(page - 1) }, t('prev')) : null, ' ',
      page + 1 < pages ? h('button', { type: 'button', id: 'next-page', onclick: () => go(page + 1) }, t('next')) : null);
    show(form, summary, exceedanceTable(rows));
  }

  // Cards; `actions` (the operators' buttons of a row) adds a last column.
  const cardsTable = (id, rows, actions) => table(id, ['city', 'enterprise', 'card', 'reasons', 'cardDecision', 'lifted', actions ? '' : null].filter(x => x !== null), rows.map(r =>
    h('tr', { dataset: { enterprise: r.enterprise, card: r.card, quarter: r.quarter } }, h('td', {}, r.city), h('td', {}, h('a', { href: '#/enterprise/' + encodeURIComponent(r.enterprise) }, r.enterpriseName)),
      h('td', {}, badge(r.card, t('colour.' + r.card))),
      h('td', {}, r.reasons.map((reason, i) => [i ? h('br') : null, reasonText((r.reasonItems || [])[i], reason)])),
      h('td', {}, enumText('cd.', r.decision), r.decidedBy ? ` · ${r.decidedBy}` : ''),
      h('td', {}, r.lifted ? `${r.lifted.by} ${time(r.lifted.at)}` : ''), actions ? h('td', { class: 'nowrap' }, actions(r)) : null)));

  async function cardsPage() {
    const q = hashQuery();
    const quarter = /^\d{4}Q[1-4]$/.test(q.get('quarter') || '') ? q.get('quarter') : quarterOf(new Date());
    q.set('quarter', quarter);
    const query = apiQuery(q, ['city', 'enterprise']);
    const [rows, pickers] = await Promise.all([api('/api/cards?' + query), registryPickers(q, ['city', 'enterprise'])]);
    const form = h('form', { class: 'filters', id: 'card-filter' }, periodFields(q, ['quarter']), pickers, h('button', { type: 'submit' }, t('search')), ' ', downloads('/api/cards?' + query, 'cards'));
    form.addEventListener('submit', e => { e.preventDefault(); location.hash = filterHash('cards', e.target); });
    show(form, cardsTable('cards', rows, role() === 'operator' ? EM.cardActions : null));
  }

  async function outletPage(mn) {
    const outlets = await outletList();
    const outlet = outlets.find(o => o.mn === mn) || outlets[0];
    if (!outlet) { show(t('none')); return; }
    const now = new Date();
    const monthStart = localDate(new Date(now.getFullYear(), now.getMonth(), 1));
    const m = encodeURIComponent(outlet.mn);
    const [hourly, realtime, month, quarter] = await Promise.all([
      api(`/api/outlets/${m}/readings?cn=2061&from=${localDate(new Date(now - 7 * 864e5))}&limit=100000`),
      api(`/api/outlets/${m}/readings?cn=2011&from=${localDate(new Date(now - 864e5))}&limit=100000`),
      api(`/api/rates?mn=${m}&from=${monthStart}`), api(`/api/rates?mn=${m}`)]);
    const pollutants = Object.keys(outlet.limits);
    const select = h('select', { id: 'outlet-select', onchange: e => { location.hash = '#/outlet/' + encodeURIComponent(e.target.value); } },
      outlets.map(o => h('option', { value: o.mn, selected: o.mn === outlet.mn }, `${o.enterprise.city} · ${o.enterprise.name} · ${o.name} (${o.mn})`)));
    const charts = pollutants.map(p => [
      h('div', { class: 'chart' }, h('h4', {}, `${pol(p)} · ${t('hourly')}`), h('div', { id: 'h-' + p, class: 'plot', dataset: { pollutant: p } })),
      h('div', { class: 'chart' }, h('h4', {}, `${pol(p)} · ${t('realtime')}`), h('div', { id: 'r-' + p, class: 'plot' }))]);
    const commands = await commandsPanel(outlet);
    const last = outlet.lastCommand;
    show(h('div', { class: 'filters' }, h('label', {}, t('chooseOutlet'), select), h('a', { href: '#/data/' + encodeURIComponent(outlet.mn), id: 'query-data' }, t('queryData')),
      h('div', { class: 'card' }, h('div', { class: 'kv' },
        h('span', {}, t('rateMonth')), h('span', { id: 'rate-month' }, pct(month[0]?.effectiveRate)),
        h('span', {}, t('rateQuarter')), h('span', { id: 'rate-quarter' }, pct(quarter[0]?.effectiveRate)),
        h('span', {}, t('clockOffset')), h('span', { id: 'clock-offset' }, outlet.clock ? `${outlet.clock.offsetSeconds > 0 ? '+' : ''}${outlet.clock.offsetSeconds} s` : '–'),
        h('span', {}, t('lastCommand')), h('span', { id: 'last-command' }, last ? `${t('c.' + last.command)} · ${t('cs.' + last.state)} · ${time(last.requestedAt)}` : '–')))),
      h('div', { class: 'charts' }, charts), commands.panel);
    const plots = {};
    window.emPlots = plots; // for the browser tests: the chart instances and their data
    const width = () => Math.max(320, Math.min(900, (view.clientWidth / (view.clientWidth > 1100 ? 2 : 1)) - 40));
    for (const p of pollutants) {
      const lim = outlet.limits[p];
      // One kind of value per chart, named: 折算 where the records carry it, else 实测 — never the two mixed.
      const corrected = rows => rows.some(r => r.pollutant === p && (r.zsAvg ?? r.zsRtd) != null);
      const series = rows => {
        const zs = corrected(rows);
        const pts = rows.filter(r => r.pollutant === p).map(r => [Date.parse(r.period) / 1000, zs ? r.zsAvg ?? r.zsRtd : r.avg ?? r.rtd]);
        return [pts.map(x => x[0]), pts.map(x => x[1]), pts.map(() => lim.max ?? null), pts.map(() => lim.min ?? null)];
      };
      const zh = lang === 'zh';
      const opts = (live, rows) => ({ width: width(), height: 220, tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), 'Asia/Shanghai'),
        fmtDate: tpl => uPlot.fmtDate(tpl.replace('{h}:{mm}{aa}', '{HH}:{mm}').replace('{h}{aa}', '{HH}:00').replace('{M}/{D}/{YY}', zh ? '{YYYY}年{M}月{D}日' : '{YYYY}-{MM}-{DD}')
          .replace('{M}/{D}', zh ? '{M}月{D}日' : '{MM}-{DD}')),
        scales: live ? { x: { time: true, range: (u, min, max) => [Math.min(min ?? Infinity, Date.now() / 1e3 - 3600), Math.max(max ?? 0, Date.now() / 1e3)] } } : {},
        series: [{ label: t('time') }, { label: `${pol(p)}（${corrected(rows) ? t('zs') : t('measured')}）`, stroke: '#3fa7ff', width: 1.5 },
          { label: `${t('limitMax')} ${fmt(lim.max, 3)}`, stroke: '#ff5a5a', dash: [6, 4], show: lim.max != null, class: lim.max != null ? null : 'no-limit' },
          { label: `${t('limitMin')} ${fmt(lim.min, 3)}`, stroke: '#ffc940', dash: [6, 4], show: lim.min != null, class: lim.min != null ? null : 'no-limit' }],
        axes: [{ stroke: '#8aa0b4', grid: { stroke: '#243244' } }, { stroke: '#8aa0b4', grid: { stroke: '#243244' }, label: EM.codeUnit(p), labelSize: 20 }] });
      plots['h' + p] = new uPlot(opts(false, hourly), series(hourly), document.getElementById('h-' + p));
      const rt = series(realtime.slice(-720));
      plots['r' + p] = { plot: new uPlot(opts(true, realtime), rt, document.getElementById('r-' + p)), data: rt };
    }
    return (kind, r) => {
      if (kind === 'command') { commands.onCommand(r); return; }
      if (kind !== 'reading' || r.mn !== outlet.mn || r.cn !== '2011') return;
      const ts = Date.parse(r.dataTime + '+08:00') / 1000;
      for (const p of pollutants) {
        if (typeof r.values[p] !== 'number' || !plots['r' + p]) continue;
        const { plot, data } = plots['r' + p]; const lim = outlet.limits[p];
        data[0].push(ts); data[1].push(r.values[p]); data[2].push(lim.max ?? null); data[3].push(lim.min ?? null);
        plot.setData(data);
      }
    };
  }

  // Commands to the outlet's terminal (HJ 212 Appendix C): the parameters each takes, as inputs.
  const COMMANDS = {
    'get-time': [], 'set-time': ['time'], 'get-rtd-interval': [], 'set-rtd-interval': ['interval'], 'get-min-interval': [], 'set-min-interval': ['interval'],
    'start-realtime': [], 'stop-realtime': [], 'start-run-state': [], 'stop-run-state': [], 'history': ['cn', 'from', 'to'], 'get-info': ['polId'],
    'zero-calibrate': ['polId'], 'sample-now': ['polId'],
  };
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

  async function commandsPanel(outlet) {
    const m = encodeURIComponent(outlet.mn);
    const list = await api(`/api/outlets/${m}/commands?limit=20`);
    const body = h('tbody', {}, list.map(commandRow));
    const rows = table('commands', ['command', 'state', 'link', 'requestedBy', 'requestedAt', 'attempts', 'result'], []);
    rows.replaceChild(body, rows.querySelector('tbody'));
    const s = state.session;
    const canCommand = !s || !s.loginRequired || s.role === 'operator';
    const select = h('select', { id: 'cmd-select', name: 'command' }, Object.keys(COMMANDS).map(c => h('option', { value: c }, t('c.' + c))));
    const params = h('span', { id: 'cmd-params' });
    const error = h('span', { id: 'cmd-error', class: 'red' });
    const now = new Date();
    const input = {
      // Empty: the service's clock at the moment the command is sent (the API's default), not when the page was opened.
      time: () => h('input', { name: 'time', size: 16, value: '', placeholder: t('timeNow'), pattern: '\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?', autocomplete: 'off' }),
      interval: () => h('input', { type: 'number', name: 'interval', min: 1, max: 3600, size: 6, required: true }),
      cn: () => h('select', { name: 'cn' }, [['2061', 'hourly'], ['2051', 'minute'], ['2031', 'daily']].map(([v, k]) => h('option', { value: v }, t('cn.' + k)))),
      from: () => dateTimeInput('from', stamp(new Date(now - 864e5))),
      to: () => dateTimeInput('to', stamp(now)),
      polId: () => h('select', { name: 'polId' }, Object.keys(outlet.limits).map(p => h('option', { value: p }, pol(p)))),
    };
    const fill = () => params.replaceChildren(...COMMANDS[select.value].map(k => h('label', {}, t('p.' + k), input[k]())));
    select.addEventListener('change', fill);
    fill();
    const form = h('form', { id: 'cmd-form', class: 'filters' }, h('label', {}, t('command'), select), params, h('button', { type: 'submit' }, t('send')), error);
    form.addEventListener('submit', async e => {
      e.preventDefault();
      error.textContent = '';
      const p = {};
      for (const el of params.querySelectorAll('input, select')) if (el.value !== '') p[el.name] = el.type === 'number' ? Number(el.value) : ['time', 'from', 'to'].includes(el.name) ? fromDateTime(el.value) : el.value;
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

  // The city target barometer (晴雨表): per city and the province, each pollutant's year to date
  // against its allocation at the pace expected to date, the level in colour.
  async function barometerPage() {
    const q = hashQuery();
    const thisYear = new Date().getFullYear();
    const year = /^\d{4}$/.test(q.get('year') || '') ? Number(q.get('year')) : thisYear;
    const rows = await api('/api/barometer?year=' + year);
    const form = h('form', { class: 'filters', id: 'barometer-filter' },
      h('label', {}, t('year'), h('select', { name: 'year' }, [thisYear - 1, thisYear, thisYear + 1].map(y => h('option', { value: y, selected: y === year }, String(y))))),
      h('button', { type: 'submit' }, t('search')));
    form.addEventListener('submit', e => { e.preventDefault(); location.hash = '#/barometer?' + new URLSearchParams(new FormData(e.target)); });
    const byCity = new Map();
    for (const r of rows) (byCity.get(r.city) || byCity.set(r.city, []).get(r.city)).push(r);
    const bar = r => h('div', { class: 'bar-row', dataset: { pollutant: r.pollutant, level: r.level } },
      h('span', { class: 'bar-name' }, pol(r.pollutant)),
      h('span', { class: 'bar' }, h('span', { class: 'fill ' + r.level, dataset: { width: Math.min(100, Math.round((r.progress ?? 0) * 100 / 1.5)) } })),
      h('span', { class: 'bar-text' }, `${tonnes(r.ytdKg)} / ${tonnes(r.allocationKg)} ${t('t')} · ${r.progress == null ? '–' : Math.round(r.progress * 100) + '%'} · ${t('lv.' + r.level)}`));
    const card = (city, list) => h('div', { class: 'card barometer', dataset: { city: city ?? 'province' } },
      h('h3', {}, city ?? t('province')),
      h('div', { class: 'rate' }, `${t('rateQuarter')}: ${pct(list[0].effectiveRate)}`, list[0].belowThreshold ? h('span', { class: 'red' }, ' < 90%') : null),
      list.map(bar));
    const cities = [...byCity.keys()].filter(c => c != null).sort();
    show(form, rows.length === 0 ? h('p', { id: 'no-targets' }, t('noTargets')) :
      h('div', { class: 'cards', id: 'barometer' }, byCity.has(null) ? card(null, byCity.get(null)) : null, cities.map(c => card(c, byCity.get(c)))));
    // Widths through the CSSOM (the Content-Security-Policy allows no inline style attributes).
    document.querySelectorAll('#barometer .fill').forEach(el => { el.style.width = el.dataset.width + '%'; });
  }

  // Supervision orders (督办): operators issue, close and reopen them; an enterprise answers its own.
  async function ordersPage() {
    const who = role();
    const outlets = await outletList();
    const q = hashQuery();
    const list = await api('/api/orders?limit=500' + (q.get('state') ? '&state=' + encodeURIComponent(q.get('state')) : ''));
    const error = h('span', { id: 'order-error', class: 'red' });
    const act = acting(error);
    // The outlet, its pollutant (optional), the deadline (empty: Orders:DefaultDeadline from the server's clock) and what to do.
    const outletEl = outletPicker(outlets);
    const pollutantSelect = h('select', { name: 'pollutant' });
    const fillPollutants = mn => pollutantSelect.replaceChildren(h('option', { value: '' }, t('all')),
      Object.keys(outlets.find(o => o.mn === mn)?.limits ?? {}).map(p => h('option', { value: p }, pol(p))));
    const mnSelect = outletEl.tagName === 'SELECT' ? outletEl : outletEl.querySelector('select');
    mnSelect.addEventListener('change', () => fillPollutants(mnSelect.value));
    fillPollutants(mnSelect.value);
    const form = who !== 'operator' ? null : h('form', { id: 'order-form', class: 'filters' },
      h('label', {}, t('outlet'), outletEl), h('label', {}, t('pollutant'), pollutantSelect),
      h('label', {}, t('p.deadline'), h('input', { name: 'deadline', size: 16, placeholder: t('deadlineDefault'), pattern: '\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?', autocomplete: 'off' })),
      h('label', { class: 'wide' }, t('p.text'), h('textarea', { name: 'text', rows: 3, cols: 40, required: true, maxlength: 2000 })),
      h('button', { type: 'submit' }, t('issue')));
    form?.addEventListener('submit', e => {
      e.preventDefault();
      const f = new FormData(e.target);
      act('/api/orders', { mn: f.get('mn'), pollutant: f.get('pollutant') || undefined, deadline: f.get('deadline') ? fromDateTime(f.get('deadline')) : undefined, text: f.get('text') });
    });
    const actions = o => orderActions(o, who, act, error);
    show(form, error, ordersTable('orders', list, actions));
  }

  // An order's actions for the caller: the enterprise answers an open order (with attachments),
  // an operator closes or reopens it.
  function orderActions(o, who, act, error) {
    const id = encodeURIComponent(o.id);
    if (who === 'enterprise' && o.state === 'open') {
      const cause = h('textarea', { name: 'cause', rows: 3, cols: 30, maxlength: 2000, placeholder: t('p.cause') });
      const measures = h('textarea', { name: 'measures', rows: 3, cols: 30, maxlength: 2000, placeholder: t('p.measures') });
      const files = fileInput('attachments');
      const answer = async () => {
        error.textContent = '';
        try { await upload(`/api/orders/${id}/evidence`, files.input.files); } catch (e) { error.textContent = e.message; return; }
        await act(`/api/orders/${id}/respond`, { cause: cause.value, measures: measures.value });
      };
      return [cause, measures, files.el, h('button', { type: 'button', dataset: { act: 'respond' }, onclick: answer }, t('respond'))];
    }
    if (who !== 'operator') return null;
    const comment = () => prompt(t('comment')) || '';
    return [o.state === 'answered' ? h('button', { type: 'button', dataset: { act: 'reopen' }, onclick: () => act(`/api/orders/${id}/reopen`, { comment: comment() }) }, t('reopen')) : null, ' ',
      o.state !== 'closed' ? h('button', { type: 'button', dataset: { act: 'close' }, onclick: () => act(`/api/orders/${id}/close`, { comment: comment() }) }, t('closeOrder')) : null];
  }

  const ordersTable = (id, list, actions) => table(id, ['mn', 'pollutant', 'p.deadline', 'state', 'p.text', 'p.response', 'attachments', ''], list.map(o =>
    h('tr', { dataset: { id: o.id, state: o.state }, class: o.overdue ? 'critical' : null },
      h('td', {}, o.mn), h('td', {}, pol(o.pollutant)), h('td', { class: 'nowrap' }, o.deadline.replace('T', ' ')),
      h('td', { class: 'state nowrap' }, t('os.' + o.state), o.overdue ? h('span', { class: 'red' }, ' ' + t('overdue')) : null),
      h('td', {}, o.text), h('td', {}, o.response ? `${o.response.cause}；${o.response.measures}` : ''), h('td', {}, fileLinks(o.evidence)),
      h('td', { class: 'nowrap' }, actions(o)))));

  // Data marks (数据标记): operators' marks count at once; an enterprise's wait for review. The
  // enterprise files marks for its own outlets with evidence and withdraws its pending ones; an
  // operator approves or rejects pending marks and revokes approved ones.
  const MARK_KINDS = ['shutdown', 'force-majeure', 'maintenance', 'calibration', 'fault', 'communication'];
  const MARK_STATES = ['pending', 'approved', 'rejected', 'revoked'];

  function markActions(m, who, act, error) {
    const id = encodeURIComponent(m.id);
    const comment = () => prompt(t('reviewComment')) || '';
    const buttons = [];
    if (who === 'operator' && m.state === 'pending') {
      buttons.push(h('button', { type: 'button', dataset: { act: 'approve' }, onclick: () => act(`/api/marks/${id}/approve`, { comment: comment() }) }, t('approve')), ' ',
        h('button', { type: 'button', dataset: { act: 'reject' }, onclick: () => act(`/api/marks/${id}/reject`, { comment: comment() }) }, t('reject')));
    }
    if (who === 'operator' && m.state === 'approved') {
      buttons.push(h('button', { type: 'button', dataset: { act: 'revoke' }, onclick: () => act(`/api/marks/${id}/revoke`, { comment: comment() }) }, t('revoke')));
    }
    if (who === 'enterprise' && m.state === 'pending') {
      buttons.push(h('button', { type: 'button', dataset: { act: 'withdraw' }, onclick: () => act(`/api/marks/${id}/revoke`, { comment: '' }) }, t('withdraw')));
    }
    if (who !== 'inspector' && (m.state === 'pending' || m.state === 'approved')) {
      const files = fileInput('evidence');
      buttons.push(' ', files.el, h('button', { type: 'button', dataset: { act: 'upload' }, onclick: async () => {
        error.textContent = '';
        try { await upload(`/api/marks/${id}/evidence`, files.input.files); await route(); } catch (e) { error.textContent = e.message; }
      } }, t('addFile')));
    }
    return buttons;
  }

  const marksTable = (id, list, actions) => table(id, ['mn', 'kind', 'from', 'to', 'state', 'filedBy', 'p.comment', 'decision', 'evidence', ''], list.map(m =>
    h('tr', { dataset: { id: m.id, state: m.state }, class: m.overFaultCap ? 'warning' : null },
      h('td', {}, m.mn), h('td', { class: 'nowrap' }, t('mk.' + m.kind)), h('td', { class: 'nowrap' }, time(m.from)), h('td', { class: 'nowrap' }, time(m.to)),
      h('td', { class: 'state nowrap' }, t('ms.' + m.state), m.overFaultCap ? h('span', { class: 'red' }, ' ' + t('overFaultCap')) : null),
      h('td', {}, m.by ?? ''), h('td', {}, m.comment ?? ''),
      h('td', {}, m.decidedBy ? `${m.decidedBy}${m.decisionComment ? '：' + m.decisionComment : ''}` : (m.revokedBy ? `${m.revokedBy}${m.revokeComment ? '：' + m.revokeComment : ''}` : '')),
      h('td', {}, fileLinks(m.evidence)), h('td', { class: 'nowrap' }, actions(m)))));

  // Posts a state change and shows the page again, or says why it was refused.
  const acting = error => async (path, body) => {
    error.textContent = '';
    try { await api(path, { method: 'POST', body: JSON.stringify(body) }); await route(); } catch (e) { error.textContent = e.message; }
  };

  async function marksPage() {
    const who = role();
    const q = hashQuery();
    const chosen = MARK_STATES.includes(q.get('state')) ? q.get('state') : '';
    const [list, outlets] = await Promise.all([api('/api/marks?limit=500' + (chosen ? '&state=' + chosen : '')), outletList()]);
    const error = h('span', { id: 'mark-error', class: 'red' });
    const act = acting(error);
    const now = new Date();
    const files = fileInput('evidence');
    const form = who === 'inspector' ? null : h('form', { id: 'mark-form', class: 'filters' },
      h('label', {}, t('outlet'), outletPicker(outlets)),
      h('label', {}, t('kind'), h('select', { name: 'kind' }, MARK_KINDS.map(k => h('option', { value: k }, t('mk.' + k))))),
      h('label', {}, t('from'), dateTimeInput('from', stamp(new Date(now - 864e5)))),
      h('label', {}, t('to'), dateTimeInput('to', stamp(now))),
      h('label', {}, t('p.comment'), h('input', { name: 'comment', size: 24 })),
      h('span', { class: 'label' }, t('evidence'), files.el),
      h('button', { type: 'submit' }, t('fileMark')));
    form?.addEventListener('submit', async e => {
      e.preventDefault();
      error.textContent = '';
      const f = new FormData(e.target);
      try {
        const mark = await api('/api/marks', { method: 'POST', body: JSON.stringify({ mn: f.get('mn'), kind: f.get('kind'), from: fromDateTime(f.get('from')), to: fromDateTime(f.get('to')), comment: f.get('comment') || undefined }) });
        await upload(`/api/marks/${encodeURIComponent(mark.id)}/evidence`, files.input.files);
        await route();
      } catch (err) { error.textContent = err.message; }
    });
    const filter = h('form', { id: 'mark-filter', class: 'filters' },
      h('label', {}, t('state'), h('select', { name: 'state' }, h('option', { value: '' }, t('all')), MARK_STATES.map(st => h('option', { value: st, selected: st === chosen }, t('ms.' + st))))),
      h('button', { type: 'submit' }, t('search')));
    filter.addEventListener('submit', e => { e.preventDefault(); const f = new URLSearchParams(new FormData(e.target)); if (!f.get('state')) f.delete('state'); location.hash = '#/marks?' + f; });
    show(form, filter, error, marksTable('marks', list, m => markActions(m, who, act, error)));
  }

  // The operators' review queue: enterprises' marks awaiting a decision, answered orders awaiting closing.
  async function reviewPage() {
    if (role() !== 'operator') { show(h('p', { id: 'review-denied' }, t('onlyOperators'))); return; }
    const [marks, orders] = await Promise.all([api('/api/marks?state=pending&limit=500'), api('/api/orders?state=answered&limit=500')]);
    const error = h('span', { id: 'review-error', class: 'red' });
    const act = acting(error);
    show(error, h('h3', {}, `${t('pendingMarks')} (${marks.length})`), marks.length ? marksTable('review-marks', marks, m => markActions(m, 'operator', act, error)) : h('p', {}, t('nothing')),
      h('h3', {}, `${t('answeredOrders')} (${orders.length})`), orders.length ? ordersTable('review-orders', orders, o => orderActions(o, 'operator', act, error)) : h('p', {}, t('nothing')));
  }

  // An enterprise's own page: its outlets with their rate this quarter, what is open for it.
  async function enterpriseHome() {
    const now = new Date();
    const [stations, rates, alerts, marks, orders] = await Promise.all([stationsOnce(), api('/api/rates?by=outlet&limit=100000'),
      api('/api/alerts?state=active&limit=500'), api('/api/marks?state=pending&limit=500'), api('/api/orders?state=open&limit=500')]);
    const rateOf = new Map(rates.map(r => [r.mn, r]));
    const error = h('span', { id: 'home-error', class: 'red' });
    const act = acting(error);
    const outlets = await outletList();
    show(h('div', { id: 'enterprise-home' },
      h('h3', {}, `${t('myOutlets')} · ${stations.map(e => e.name).join('、')}`),
      h('div', { class: 'cards' }, outlets.map(o => h('div', { class: 'card', dataset: { mn: o.mn } },
        h('h3', {}, h('a', { href: '#/outlet/' + encodeURIComponent(o.mn) }, o.name)),
        h('div', { class: 'kv' }, h('span', {}, t('mn')), h('span', {}, o.mn),
          h('span', {}, t('lastSeen')), h('span', { class: o.lastSeen && now - new Date(o.lastSeen) < 3600e3 ? null : 'warn' }, o.lastSeen ? time(o.lastSeen) : '–'),
          h('span', {}, t('rateQuarter')), h('span', { class: rateOf.get(o.mn)?.belowThreshold ? 'bad' : null }, pct(rateOf.get(o.mn)?.effectiveRate)))))),
      error,
      h('h3', {}, `${t('openOrders')} (${orders.length})`), orders.length ? ordersTable('home-orders', orders, o => orderActions(o, 'enterprise', act, error)) : h('p', {}, t('nothing')),
      h('h3', {}, `${t('myMarks')} (${marks.length})`, ' ', h('a', { href: '#/marks', id: 'file-mark' }, t('fileMark'))),
      marks.length ? marksTable('home-marks', marks, m => markActions(m, 'enterprise', act, error)) : h('p', {}, t('nothing')),
      h('h3', {}, `${t('activeAlerts')} (${alerts.length})`),
      alerts.length ? EM.alertRowsTable('home-alerts', alerts, false) : h('p', {}, t('nothing'))));
  }

  // A modal dialog: `build(close)` makes its content; resolves with what close() is given, null when
  // cancelled (Escape or the cancel button); the dialog is removed either way, and `focus` takes the focus.
  const modal = (id, build) => new Promise(resolve => {
    const dialog = h('dialog', { id, class: 'handle' });
    const close = value => { dialog.close(); dialog.remove(); resolve(value); };
    dialog.addEventListener('cancel', () => { dialog.remove(); resolve(null); });
    const { content, focus } = build(close);
    dialog.append(content);
    document.body.append(dialog);
    dialog.showModal();
    focus?.focus();
  });

  // The helpers the pages of other files (alerts.js) are built with.
  const EM = window.EM = {
    h, t, api, show, table, fmt, time, pol, alertText, enumText, hashQuery, role, stationsOnce, picker, downloads, localDate, periodFields, filterHash, apiQuery, pages: {},
    pct, tonnes, progressBar, sizeBars, quarterOf, TOTALLED, lang: () => lang, cardsTable, registryPickers, route,
    codeUnit: code => state.codes.get(code)?.unit ?? '', modal,
  };

  // Routes run one after another, so a slow page cannot overwrite the one asked for after it.
  let routing = Promise.resolve();
  function route() { routing = routing.then(render, render); return routing; }

  async function render() {
    const hash = location.hash || '#/';
    const [path] = hash.slice(1).split('?');
    document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', hash.startsWith(a.getAttribute('href')) && (a.getAttribute('href') !== '#/' || path === '/')));
    state.listeners = [];
    document.body.classList.remove('kiosk');
    let listener;
    try {
      if (path.startsWith('/alerts')) listener = await EM.pages.alerts();
      else if (path.startsWith('/wall')) listener = await EM.pages.wall();
      else if (path.startsWith('/handling')) await EM.pages.handling();
      else if (path.startsWith('/outlet')) listener = await outletPage(decodeURIComponent(path.split('/')[2] || ''));
      else if (path.startsWith('/exceedances')) await exceedancesPage();
      else if (path.startsWith('/cards')) await cardsPage();
      else if (path.startsWith('/publish')) await EM.pages.publish();
      else if (path.startsWith('/data')) await EM.pages.data(decodeURIComponent(path.split('/')[2] || ''));
      else if (path.startsWith('/barometer')) await barometerPage();
      else if (path.startsWith('/orders')) await ordersPage();
      else if (path.startsWith('/marks')) await marksPage();
      else if (path.startsWith('/totals')) await totalsPage();
      else if (path.startsWith('/city/')) await cityPage(decodeURIComponent(path.split('/')[2] || ''));
      else if (path.startsWith('/enterprise/')) await enterprisePage(decodeURIComponent(path.split('/')[2] || ''));
      else if (path.startsWith('/review')) await reviewPage();
      else if (role() === 'enterprise') await enterpriseHome();
      else listener = await EM.pages.overview();
    } catch (e) { show(h('p', { class: 'red' }, e.message)); }
    if (listener) state.listeners = [listener];
    document.body.dataset.ready = path || '/';
  }

  translate();
  ensureSession().then(async session => {
    state.session = session;
    try { (await api('/api/codes')).forEach(c => state.codes.set(c.code, c)); } catch { /* codes stay as they are */ }
    const who = document.getElementById('who');
    if (session.loginRequired) {
      who.replaceChildren(h('span', {}, session.name), ' ', h('button', { type: 'button', id: 'logout', onclick: logout }, t('logout')));
    }
    document.getElementById('nav-review').hidden = role() !== 'operator';
    // An enterprise user sees only the pages its role can use: its own home instead of the province, no barometer (403 for it).
    if (role() === 'enterprise') {
      const home = document.getElementById('nav-overview');
      home.dataset.i18n = 'nav.home'; home.textContent = t('nav.home');
      document.getElementById('nav-barometer').hidden = true;
      document.getElementById('nav-publish').hidden = true;
    }
    window.addEventListener('hashchange', route);
    connect(); route();
  }, e => show(h('p', { class: 'red' }, e.message)));
})();
