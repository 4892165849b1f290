// The dashboard's shared state and domain words: the session, the registry and code catalogue,
// alerts and card reasons in the user's language, downloads, the page registry and the router hook.
import { api } from './api.js';
import { h } from './dom.js';
import { fmt } from './format.js';
import { I18N, lang, t } from './i18n.js';

export const state = { alerts: new Map(), stations: [], listeners: [], session: null, codes: new Map(), checks: null };

// A pollutant by name in the user's language (the catalogue from /api/codes), the code when unknown.
export const pol = code => { const c = code && state.codes.get(code); return c ? (lang === 'zh' ? c.name : c.englishName) : (code ?? ''); };

// An alert in the user's language: its messageKey's template filled with its params (pollutants
// by name, enumerations translated); the server's English sentence when the key is unknown.
const PARAM_PREFIX = { pollutant: 'pol.', level: 'lv.', colour: 'colour.', direction: 'dir.', valueKind: 'vk.' };

export const alertText = a => {
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

export const hashQuery = () => new URLSearchParams(location.hash.split('?')[1] || '');

// The caller's role: with no API users configured everyone is an operator.
export const role = () => { const s = state.session; return !s || !s.loginRequired ? 'operator' : s.role; };

export const stationsOnce = async () => { if (!state.stations.length) state.stations = await api('/api/stations'); return state.stations; };

// The catalogue of checks (GET /api/checks) by code, loaded once; a code's sentence in the user's language.
export const checksOnce = async () => { if (!state.checks) state.checks = new Map((await api('/api/checks')).map(c => [c.code, c])); return state.checks; };
export const checkText = (code, fallback) => { const c = code && state.checks?.get(code); return c ? (lang === 'zh' ? c.zh : c.en) : (fallback ?? code ?? ''); };

// An outlet's name with its national code (DA001) where the registry gives one.
export const outletName = o => o.code ? `${o.name}（${o.code}）` : o.name;

export const outletList = async () => (await stationsOnce()).flatMap(e => e.outlets.map(o => Object.assign({ enterprise: e }, o)));

export const TOTALLED = ['w01018', 'w21003', 'a21026', 'a21002'];

// A card's reasons in the user's language, from the structured items (the strings as a fallback).
export const reasonText = (item, fallback) => {
  const tpl = item && I18N[lang]['r.' + item.kind];
  if (!tpl) return fallback;
  return tpl.replace(/\{(\w+)\}/g, (_, k) => k === 'pollutant' ? pol(item.pollutant) : (k === 'value' || k === 'bound') ? fmt(item[k], 1) : (item[k] ?? ''));
};

export const downloads = (path, name) => h('span', { class: 'downloads' },
  h('a', { id: 'csv', href: path + (path.includes('?') ? '&' : '?') + 'format=csv&lang=' + lang, download: name + '.csv' }, h('button', { type: 'button' }, t('csv'))), ' ',
  h('a', { id: 'xlsx', href: path + (path.includes('?') ? '&' : '?') + 'format=xlsx&lang=' + lang, download: name + '.xlsx' }, h('button', { type: 'button' }, t('xlsx'))));

// A pollutant's unit from the code catalogue.
export const codeUnit = code => state.codes.get(code)?.unit ?? '';

// The pages of other modules, by name (alerts, wall, overview, handling, publish, data).
export const pages = {};

// Renders the page the address names again (set by main.js).
let router = async () => {};

export const route = () => router();

export const setRouter = r => { router = r; };
