// EmissionMonitor dashboard: plain JavaScript modules over the HTTP API, live through Server-Sent
// Events. This module starts the page: the session, the live stream and the routes. The credential is
// the HttpOnly session cookie set by POST /api/session; no script of the page can read it.
import './pages/alerts.js';
import './pages/handling.js';
import './pages/wall.js';
import './pages/publish.js';
import './pages/data.js';
import './pages/documents.js';
import { api } from './api.js';
import { pages, role, route, setRouter, state } from './core.js';
import { h, show } from './dom.js';
import { lang, setLang, t } from './i18n.js';
import { barometerPage } from './pages/barometer.js';
import { cardsPage } from './pages/cards.js';
import { cityPage } from './pages/city.js';
import { enterpriseHome, enterprisePage } from './pages/enterprise.js';
import { exceedancesPage } from './pages/exceedances.js';
import { manualPage } from './pages/manual.js';
import { marksPage } from './pages/marks.js';
import { ordersPage } from './pages/orders.js';
import { outletPage } from './pages/outlet.js';
import { reviewPage } from './pages/review.js';
import { permitsPage } from './pages/permits.js';
import { taxPage } from './pages/tax.js';
import { totalsPage } from './pages/totals.js';
import { setZone } from './charts.js';

function translate() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  document.getElementById('lang').textContent = lang === 'zh' ? 'EN' : '中文';
}
// On a phone the navigation is a menu: opened by its button, closed when a page is chosen.
const menu = document.getElementById('menu');
menu.addEventListener('click', () => { const open = document.body.classList.toggle('menu-open'); menu.setAttribute('aria-expanded', String(open)); });
window.addEventListener('hashchange', () => { document.body.classList.remove('menu-open'); menu.setAttribute('aria-expanded', 'false'); });
document.getElementById('lang').addEventListener('click', () => { setLang(lang === 'zh' ? 'en' : 'zh'); translate(); route(); });

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

// Routes run one after another, so a slow page cannot overwrite the one asked for after it.
let routing = Promise.resolve();
setRouter(() => { routing = routing.then(render, render); return routing; });

async function render() {
  const hash = location.hash || '#/';
  const [path] = hash.slice(1).split('?');
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', hash.startsWith(a.getAttribute('href')) && (a.getAttribute('href') !== '#/' || path === '/')));
  state.listeners = [];
  document.body.classList.remove('kiosk');
  let listener;
  try {
    if (path.startsWith('/alerts')) listener = await pages.alerts();
    else if (path.startsWith('/wall')) listener = await pages.wall();
    else if (path.startsWith('/handling')) await pages.handling();
    else if (path.startsWith('/outlet')) listener = await outletPage(decodeURIComponent(path.split('/')[2] || ''));
    else if (path.startsWith('/exceedances')) await exceedancesPage();
    else if (path.startsWith('/cards')) await cardsPage();
    else if (path.startsWith('/publish')) await pages.publish();
    else if (path.startsWith('/documents')) await pages.documents();
    else if (path.startsWith('/data')) await pages.data(decodeURIComponent(path.split('/')[2] || ''));
    else if (path.startsWith('/barometer')) await barometerPage();
    else if (path.startsWith('/orders')) await ordersPage();
    else if (path.startsWith('/marks')) await marksPage();
    else if (path.startsWith('/manual')) await manualPage();
    else if (path.startsWith('/totals')) await totalsPage();
    else if (path.startsWith('/tax')) await taxPage(role() === 'enterprise');
    else if (path.startsWith('/permits')) await permitsPage(role() === 'enterprise');
    else if (path.startsWith('/city/')) await cityPage(decodeURIComponent(path.split('/')[2] || ''));
    else if (path.startsWith('/enterprise/')) await enterprisePage(decodeURIComponent(path.split('/')[2] || ''));
    else if (path.startsWith('/review')) await reviewPage();
    else if (role() === 'enterprise') await enterpriseHome();
    else listener = await pages.overview();
  } catch (e) { show(h('p', { class: 'red' }, e.message)); }
  if (listener) state.listeners = [listener];
  document.body.dataset.ready = path || '/';
}

translate();
ensureSession().then(async session => {
  state.session = session;
  setZone(session.timeZone);
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
