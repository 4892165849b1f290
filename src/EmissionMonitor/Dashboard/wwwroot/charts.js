// Charts (uPlot): times in the service's time zone (from /api/session, never the browser's guess) and
// written the page's way (24-hour clock, Chinese dates in Chinese), the dashboard's colours, and a
// caption under every chart that says in words what it draws (how many values, the limit) for people
// who cannot read the plot — the same words a screen reader says.
import { h } from './dom.js';
import { fmt } from './format.js';
import { lang, t } from './i18n.js';

let zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
// The service's time zone, an IANA name from the session.
export const setZone = z => { if (z) zone = z; };
export const timeZone = () => zone;

const ZH_NAMES = {
  MMMM: ['一月', '二月', '三月', '四月', '五月', '六月', '七月', '八月', '九月', '十月', '十一月', '十二月'],
  MMM: ['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'],
  WWWW: ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'], WWW: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
};
// uPlot's US templates in the page's language: 24-hour clock, 年月日 or ISO dates.
const local = tpl => {
  const zh = lang === 'zh';
  return tpl.replace('{h}:{mm}:{ss}{aa}', '{HH}:{mm}:{ss}').replace('{h}:{mm}{aa}', '{HH}:{mm}').replace('{h}{aa}', '{HH}:00')
    .replace('{M}/{D}/{YY}', zh ? '{YYYY}年{M}月{D}日' : '{YYYY}-{MM}-{DD}').replace('{M}/{D}', zh ? '{M}月{D}日' : '{MM}-{DD}');
};

// Seconds since the epoch of a local time the API wrote without an offset (e.g. "2026-12-06T08:00:00"), read in the service's zone.
export const localSeconds = s => {
  const guess = Date.parse(s + 'Z') / 1000;
  const shown = uPlot.tzDate(new Date(guess * 1e3), zone);
  const offset = (Date.UTC(shown.getFullYear(), shown.getMonth(), shown.getDate(), shown.getHours(), shown.getMinutes(), shown.getSeconds()) / 1e3) - guess;
  return guess - offset;
};

const AXIS = { stroke: '#8aa0b4', grid: { stroke: '#243244' } };

// A time chart in `box`: options as uPlot takes them (series, axes, scales) with the time axis and width
// filled in; `caption` (text) goes under it with data-points and data-limit for what it says.
// On the wall (kiosk) the axes are written to be read from 3 m.
export function timeChart(box, options, data, caption) {
  const kiosk = document.body.classList.contains('kiosk');
  const axes = (options.axes ?? [AXIS, AXIS]).map(a => kiosk ? Object.assign({}, a, { font: '18px sans-serif', labelFont: '20px sans-serif', size: 64, labelSize: a.label ? 30 : a.labelSize }) : a);
  const plot = new uPlot(Object.assign({
    width: Math.max(320, box.clientWidth - 10), height: kiosk ? 250 : 220,
    tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), zone),
    fmtDate: tpl => uPlot.fmtDate(local(tpl), lang === 'zh' ? ZH_NAMES : undefined),
    legend: { live: false },
  }, options, { axes }), data, box);
  if (caption) box.after(caption);
  return plot;
}

// The y axis of one unit, titled with it.
export const unitAxis = unit => Object.assign({ label: unit, labelSize: 20 }, AXIS);
export const timeAxis = extra => Object.assign({}, AXIS, extra);

// What a chart of one pollutant draws, in words: "24 个值 · 限值 35".
export function valuesCaption(id, values, limit) {
  const n = values.filter(v => v != null).length;
  return h('p', { class: 'chart-caption', id, dataset: { points: n, limit: limit ?? '' } },
    t('chartValues').replace('{n}', n), limit != null ? ` · ${t('limitMax')} ${fmt(limit, 3)}` : '');
}
