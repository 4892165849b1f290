// The HTTP API: JSON requests with the session cookie; a refusal becomes an error said in the user's
// language from the problem's code and params (the English title stays in `detail`).
import { I18N, lang } from './i18n.js';

// A refused request said in the user's language from the problem's code and params; the English
// title (for API users and logs) stays in `detail`.
export class HttpError extends Error {
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

export const api = async (path, options = {}) => {
  // A form (FormData, with files) goes as multipart: the browser sets its type and boundary.
  const headers = options.body instanceof FormData ? {} : { 'Content-Type': 'application/json' };
  const res = await fetch(path, Object.assign({ headers, credentials: 'same-origin' }, options));
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch { /* not a problem body */ }
    throw new HttpError(res.status, problem);
  }
  if (res.status === 204) return null;
  return res.headers.get('content-type')?.includes('json') ? res.json() : res.text();
};
