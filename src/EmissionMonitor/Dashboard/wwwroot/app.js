'use strict';
// EmissionMonitor dashboard: plain JavaScript over the HTTP API, live through Server-Sent Events.
(() => {
  const params = new URLSearchParams(location.search);
  if (params.get('access_token')) localStorage.setItem('em.token', params.get('access_token'));
  const token = localStorage.getItem('em.token');
  let lang = localStorage.getItem('em.lang') || 'zh';
  const t = key => (I18N[lang] && I18N[lang][key]) || key;
  const view = document.getElementById('view');
  const state = { alerts: new Map(), stations: [], listeners: [] };

  const api = async (path, options = {}) => {
    const headers = Object.assign({ 'Content-Type': 'application/json' }, token ? { Authorization: 'Bearer ' + token } : {});
    const res = await fetch(path, Object.assign({ headers }, options));
    if (!res.ok) throw new Error(path + ': ' + res.status);
    return res.headers.get('content-type')?.includes('json') ? res.json() : res.text();
  };
  const withToken = path => token ? path + (path.includes('?') ? '&' : '?') + 'access_token=' + encodeURIComponent(token) : path;
  const esc = s => String(s ?? '').replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  const pct = v => v == null ? '–' : (v * 100).toFixed(1) + '%';
  const time = s => s ? s.replace('T', ' ').slice(0, 16) : '';
  const pad = n => String(n).padStart(2, '0');
  const localDate = d => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const quarterOf = d => `${d.getFullYear()}Q${Math.floor(d.getMonth() / 3) + 1}`;

  function translate() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
    document.getElementById('lang').textContent = lang === 'zh' ? 'EN' : '中文';
  }
  document.getElementById('lang').onclick = () => { lang = lang === 'zh' ? 'en' : 'zh'; localStorage.setItem('em.lang', lang); translate(); route(); };

  // Live stream: alerts update the board; readings feed the outlet page.
  function connect() {
    const source = new EventSource(withToken('/api/alerts/stream'));
    const live = document.getElementById('live');
    source.onopen = () => { live.classList.add('on'); live.dataset.i18n = 'live.on'; live.textContent = t('live.on'); };
    source.onerror = () => { live.classList.remove('on'); live.dataset.i18n = 'live.off'; live.textContent = t('live.off'); };
    source.addEventListener('alert', e => { const a = JSON.parse(e.data); state.alerts.set(a.id, a); state.listeners.forEach(l => l('alert', a)); });
    source.addEventListener('reading', e => { const r = JSON.parse(e.data); state.listeners.forEach(l => l('reading', r)); });
  }

  async function overview() {
    const now = new Date();
    const [stations, rates, alerts, cards] = await Promise.all([
      api('/api/stations'), api('/api/rates?by=outlet&limit=100000'), api('/api/alerts?state=active&limit=100000'),
      api('/api/cards?quarter=' + quarterOf(now) + '&limit=100000')]);
    const byCity = new Map();
    const row = city => byCity.get(city) || byCity.set(city, { outlets: 0, online: 0, below: 0, exceeding: new Set(), carded: 0 }).get(city);
    for (const e of stations) for (const o of e.outlets) {
      const r = row(e.city); r.outlets++;
      if (o.lastSeen && now - new Date(o.lastSeen) < 3600e3) r.online++;
    }
    for (const r of rates) if (r.belowThreshold) row(r.city).below++;
    for (const a of alerts) if (a.kind === 'exceedance' && a.city) row(a.city).exceeding.add(a.mn);
    for (const c of cards) row(c.city).carded++;
    view.innerHTML = `<div class="cards" id="overview">${[...byCity].sort().map(([city, r]) => `
      <div class="card" data-city="${esc(city)}"><h3>${esc(city)}</h3><div class="kv">
        <span>${t('outlets')}</span><span>${r.outlets}</span>
        <span>${t('online')}</span><span>${r.online}</span>
        <span>${t('below')}</span><span class="${r.below ? 'warn' : ''}">${r.below}</span>
        <span>${t('exceeding')}</span><span class="${r.exceeding.size ? 'bad' : ''}">${r.exceeding.size}</span>
        <span>${t('carded')}</span><span class="${r.carded ? 'bad' : ''}">${r.carded}</span></div></div>`).join('')}</div>`;
  }

  async function alertsPage() {
    const list = await api('/api/alerts?limit=500');
    list.forEach(a => state.alerts.set(a.id, a));
    const render = () => {
      const open = [...state.alerts.values()].filter(a => a.state !== 'cleared').sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
      view.innerHTML = `<table id="alerts"><thead><tr><th>${t('severity')}</th><th>${t('kind')}</th><th>${t('state')}</th><th>${t('mn')}</th><th>${t('city')}</th>
        <th>${t('pollutant')}</th><th>${t('value')}</th><th>${t('limit')}</th><th>${t('raisedAt')}</th><th>${t('message')}</th><th></th></tr></thead><tbody>
        ${open.map(a => `<tr class="${a.severity}${a.fresh ? ' fresh' : ''}" data-id="${a.id}" data-state="${a.state}">
          <td class="nowrap">${t('s.' + a.severity)}</td><td class="nowrap">${t('k.' + a.kind)}</td><td class="state nowrap">${t(a.state)}</td>
          <td><a href="#/outlet/${esc(a.mn)}">${esc(a.mn)}</a></td><td class="nowrap">${esc(a.city)}</td><td>${esc(a.pollutant)}</td>
          <td class="num">${a.value == null ? '' : +a.value.toFixed(3)}</td><td class="num">${a.limit ?? ''}</td><td class="nowrap">${time(a.raisedAt)}</td><td>${esc(a.message)}</td>
          <td class="nowrap">${a.state === 'active' ? `<button data-act="acknowledge">${t('acknowledge')}</button>` : ''} <button data-act="clear">${t('clear')}</button></td></tr>`).join('')}
        </tbody></table>`;
      open.forEach(a => { a.fresh = false; });
    };
    render();
    view.onclick = async e => {
      const act = e.target.dataset?.act; if (!act) return;
      const id = e.target.closest('tr').dataset.id;
      const body = act === 'clear' ? JSON.stringify({ comment: prompt(t('comment')) || '' }) : null;
      const updated = await api(`/api/alerts/${id}/${act}`, { method: 'POST', body });
      state.alerts.set(updated.id, updated); render();
    };
    return (kind, a) => { if (kind === 'alert') { a.fresh = true; render(); } };
  }

  async function outletPage(mn) {
    if (!state.stations.length) state.stations = await api('/api/stations');
    const outlets = state.stations.flatMap(e => e.outlets.map(o => Object.assign({ enterprise: e }, o)));
    const outlet = outlets.find(o => o.mn === mn) || outlets[0];
    if (!outlet) { view.textContent = t('none'); return; }
    const now = new Date();
    const monthStart = localDate(new Date(now.getFullYear(), now.getMonth(), 1));
    const [hourly, realtime, month, quarter] = await Promise.all([
      api(`/api/outlets/${outlet.mn}/readings?cn=2061&from=${localDate(new Date(now - 7 * 864e5))}`),
      api(`/api/outlets/${outlet.mn}/readings?cn=2011&from=${localDate(new Date(now - 864e5))}`),
      api(`/api/rates?mn=${outlet.mn}&from=${monthStart}`), api(`/api/rates?mn=${outlet.mn}`)]);
    const pollutants = Object.keys(outlet.limits);
    view.innerHTML = `<div class="filters"><label>${t('chooseOutlet')}<select id="outlet-select">${outlets.map(o =>
        `<option value="${o.mn}" ${o.mn === outlet.mn ? 'selected' : ''}>${esc(o.enterprise.city)} · ${esc(o.enterprise.name)} · ${esc(o.name)} (${o.mn})</option>`).join('')}</select></label>
      <div class="card"><div class="kv"><span>${t('rateMonth')}</span><span id="rate-month">${pct(month[0]?.effectiveRate)}</span>
      <span>${t('rateQuarter')}</span><span id="rate-quarter">${pct(quarter[0]?.effectiveRate)}</span></div></div></div>
      <div class="charts">${pollutants.map(p => `<div class="chart"><h4>${p} · ${t('hourly')}</h4><div id="h-${p}" class="plot" data-pollutant="${p}"></div></div>
        <div class="chart"><h4>${p} · ${t('realtime')}</h4><div id="r-${p}" class="plot"></div></div>`).join('')}</div>`;
    document.getElementById('outlet-select').onchange = e => { location.hash = '#/outlet/' + e.target.value; };
    const plots = {};
    window.emPlots = plots; // for the browser tests: the chart instances and their data
    const width = () => Math.max(320, Math.min(900, (view.clientWidth / (view.clientWidth > 1100 ? 2 : 1)) - 40));
    for (const p of pollutants) {
      const lim = outlet.limits[p];
      const series = (rows, key) => {
        const pts = rows.filter(r => r.pollutant === p).map(r => [Date.parse(r.period) / 1000, r.zsAvg ?? r.avg ?? r.zsRtd ?? r.rtd]);
        return [pts.map(x => x[0]), pts.map(x => x[1]), pts.map(() => lim.max ?? null), pts.map(() => lim.min ?? null)];
      };
      const opts = realtime => ({ width: width(), height: 220, tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), 'Asia/Shanghai'),
        scales: realtime ? { x: { time: true, range: (u, min, max) => [Math.min(min ?? Infinity, Date.now() / 1e3 - 3600), Math.max(max ?? 0, Date.now() / 1e3)] } } : {},
        series: [{}, { label: p, stroke: '#3fa7ff', width: 1.5 },
        { label: t('limit') + ' max', stroke: '#ff5a5a', dash: [6, 4] }, { label: t('limit') + ' min', stroke: '#ffc940', dash: [6, 4] }],
        axes: [{ stroke: '#8aa0b4', grid: { stroke: '#243244' } }, { stroke: '#8aa0b4', grid: { stroke: '#243244' } }] });
      plots['h' + p] = new uPlot(opts(false), series(hourly, 'avg'), document.getElementById('h-' + p));
      const rt = series(realtime.slice(-720), 'rtd');
      plots['r' + p] = { plot: new uPlot(opts(true), rt, document.getElementById('r-' + p)), data: rt };
    }
    return (kind, r) => {
      if (kind !== 'reading' || r.mn !== outlet.mn || r.cn !== '2011') return;
      const ts = Date.parse(r.dataTime + '+08:00') / 1000;
      for (const p of pollutants) {
        if (r.values[p] == null || !plots['r' + p]) continue;
        const { plot, data } = plots['r' + p]; const lim = outlet.limits[p];
        data[0].push(ts); data[1].push(r.values[p]); data[2].push(lim.max ?? null); data[3].push(lim.min ?? null);
        plot.setData(data);
      }
    };
  }

  async function exceedancesPage() {
    const q = new URLSearchParams(location.hash.split('?')[1] || '');
    const now = new Date();
    const from = q.get('from') || localDate(new Date(now.getFullYear(), Math.floor(now.getMonth() / 3) * 3, 1));
    const to = q.get('to') || localDate(new Date(now.getTime() + 864e5));
    const query = new URLSearchParams({ from, to });
    for (const k of ['city', 'enterprise', 'mn', 'pollutant']) if (q.get(k)) query.set(k, q.get(k));
    const rows = await api('/api/exceedances?limit=2000&' + query);
    view.innerHTML = `<form class="filters" id="exc-filter">
      ${['from', 'to'].map(k => `<label>${t(k)}<input type="date" name="${k}" value="${k === 'from' ? from : to}"></label>`).join('')}
      ${['city', 'enterprise', 'mn', 'pollutant'].map(k => `<label>${t(k)}<input name="${k}" value="${esc(q.get(k) || '')}" size="12"></label>`).join('')}
      <button type="submit">${t('search')}</button> <a id="csv" href="${withToken('/api/exceedances?format=csv&' + query)}" download="exceedances.csv"><button type="button">${t('csv')}</button></a></form>
      <table id="exceedances"><thead><tr><th>${t('city')}</th><th>${t('enterprise')}</th><th>${t('mn')}</th><th>${t('pollutant')}</th><th>${t('basis')}</th>
      <th>${t('start')}</th><th>${t('end')}</th><th>${t('periods')}</th><th>${t('peak')}</th><th>${t('limit')}</th><th>${t('multiple')}</th></tr></thead><tbody>
      ${rows.map(r => `<tr><td>${esc(r.city)}</td><td>${esc(r.enterpriseName)}</td><td>${esc(r.mn)}</td><td>${esc(r.pollutant)}</td><td>${r.basis}</td><td>${time(r.start)}</td>
        <td>${r.ongoing ? t('ongoing') : time(r.end)}</td><td>${r.periods}</td><td>${r.peak}</td><td>${r.limit}</td><td>${r.peakMultiple == null ? '–' : r.peakMultiple.toFixed(2)}</td></tr>`).join('')}
      </tbody></table>`;
    document.getElementById('exc-filter').onsubmit = e => {
      e.preventDefault();
      const f = new URLSearchParams(new FormData(e.target)); [...f.keys()].forEach(k => { if (!f.get(k)) f.delete(k); });
      location.hash = '#/exceedances?' + f;
    };
  }

  async function cardsPage() {
    const q = new URLSearchParams(location.hash.split('?')[1] || '');
    const quarter = q.get('quarter') || quarterOf(new Date());
    const city = q.get('city') || '';
    const rows = await api(`/api/cards?quarter=${quarter}${city ? '&city=' + encodeURIComponent(city) : ''}`);
    if (!state.stations.length) state.stations = await api('/api/stations');
    const cities = [...new Set(state.stations.map(e => e.city))].sort();
    view.innerHTML = `<form class="filters" id="card-filter"><label>${t('quarter')}<input name="quarter" value="${quarter}" size="7"></label>
      <label>${t('city')}<select name="city"><option value="">${t('all')}</option>${cities.map(c => `<option ${c === city ? 'selected' : ''}>${esc(c)}</option>`).join('')}</select></label>
      <button type="submit">${t('search')}</button></form>
      <table id="cards"><thead><tr><th>${t('city')}</th><th>${t('enterprise')}</th><th>${t('card')}</th><th>${t('reasons')}</th><th>${t('lifted')}</th></tr></thead><tbody>
      ${rows.map(r => `<tr><td>${esc(r.city)}</td><td>${esc(r.enterpriseName)}</td><td class="${r.card}">${r.card === 'red' ? '🟥' : '🟨'} ${r.card}</td>
        <td>${r.reasons.map(esc).join('<br>')}</td><td>${r.lifted ? esc(r.lifted.by + ' ' + time(r.lifted.at)) : ''}</td></tr>`).join('')}</tbody></table>`;
    document.getElementById('card-filter').onsubmit = e => { e.preventDefault(); location.hash = '#/cards?' + new URLSearchParams(new FormData(e.target)); };
  }

  // Routes run one after another, so a slow page cannot overwrite the one asked for after it.
  let routing = Promise.resolve();
  function route() { routing = routing.then(render, render); return routing; }

  async function render() {
    const hash = location.hash || '#/';
    const [path] = hash.slice(1).split('?');
    document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', hash.startsWith(a.getAttribute('href')) && (a.getAttribute('href') !== '#/' || path === '/')));
    view.onclick = null;
    state.listeners = [];
    let listener;
    try {
      if (path.startsWith('/alerts')) listener = await alertsPage();
      else if (path.startsWith('/outlet')) listener = await outletPage(decodeURIComponent(path.split('/')[2] || ''));
      else if (path.startsWith('/exceedances')) await exceedancesPage();
      else if (path.startsWith('/cards')) await cardsPage();
      else await overview();
    } catch (e) { view.innerHTML = `<p class="red">${esc(e.message)}</p>`; }
    if (listener) state.listeners = [listener];
    document.body.dataset.ready = path || '/';
  }

  window.addEventListener('hashchange', route);
  translate(); connect(); route();
})();
