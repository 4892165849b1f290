// Numbers, percentages, tonnes, dates and times as the pages show them.
import { lang } from './i18n.js';

export const pct = v => v == null ? '–' : (v * 100).toFixed(1) + '%';

export const time = s => s ? String(s).replace('T', ' ').slice(0, 16) : '';

export const pad = n => String(n).padStart(2, '0');

export const localDate = d => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

export const quarterOf = d => `${d.getFullYear()}Q${Math.floor(d.getMonth() / 3) + 1}`;

export const stamp = d => `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`;

// Numbers and tonnes in the user's locale; badges and bars drawn with CSS (no emoji, no glyph boxes).
export const fmt = (v, digits = 1) => v == null || Number.isNaN(v) ? '–' : Number(v).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

export const tonnes = kg => kg == null ? '–' : fmt(kg / 1000, 1);
