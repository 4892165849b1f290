'use strict';
// The public's page of the published yellow/red lists and rates: no login, text only (every value
// reaches the page through textContent), Chinese by default with an English switch.
(() => {
  let lang = localStorage.getItem('em.lang') || 'zh';
  const L = {
    zh: { title: '重点排污单位红黄牌名单及自动监控数据有效传输率公布', print: '打印', province: '全省', quarter: q => `${q.slice(0, 4)}年第${q.slice(5)}季度`,
      heading: (q, c) => `${q} ${c} 红黄牌企业名单`, version: v => `第${v}版`, published: '公布时间', enterprise: '企业名称', city: '市（州）', card: '牌',
      reasons: '原因', rectifyBy: '整改期限', rate: '有效传输率', lifted: '解除', red: '红牌', yellow: '黄牌', none: '本期无红黄牌企业。',
      cities: '各市（州）自动监控数据有效传输率', below: '低于', updates: '更新', liftedOn: (d, n) => `${d}：${n} 已解除`, history: '历史版本', empty: '尚无公布。',
      csv: '下载 CSV', xlsx: '下载 Excel' },
    en: { title: 'Published yellow/red lists and effective transmission rates', print: 'Print', province: 'Province', quarter: q => `${q.slice(0, 4)} Q${q.slice(5)}`,
      heading: (q, c) => `${c}: yellow and red cards, ${q}`, version: v => `version ${v}`, published: 'Published', enterprise: 'Enterprise', city: 'City', card: 'Card',
      reasons: 'Reasons', rectifyBy: 'Rectify by', rate: 'Effective rate', lifted: 'Lifted', red: 'red', yellow: 'yellow', none: 'No enterprise is carded in this list.',
      cities: 'Effective transmission rates of the cities', below: 'below', updates: 'Updates', liftedOn: (d, n) => `${d}: ${n} lifted`, history: 'Earlier versions', empty: 'Nothing is published yet.',
      csv: 'Download CSV', xlsx: 'Download Excel' },
  };
  const t = () => L[lang];
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v != null && v !== false) el.setAttribute(k, String(v));
    for (const c of children.flat(Infinity)) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
    return el;
  }
  const pct = v => v == null ? '–' : (v * 100).toFixed(1) + '%';
  const day = s => s ? String(s).slice(0, 10) : '';

  function publication(p, earlier) {
    const city = p.city ?? t().province;
    const id = encodeURIComponent(p.id);
    const cards = p.cards.length === 0 ? h('p', {}, t().none) : h('table', { class: 'cards' },
      h('thead', {}, h('tr', {}, [t().city, t().enterprise, t().card, t().reasons, t().rectifyBy, t().rate, t().lifted].map(k => h('th', {}, k)))),
      h('tbody', {}, p.cards.map(c => h('tr', { 'data-enterprise': c.enterprise },
        h('td', {}, c.city), h('td', {}, c.enterpriseName), h('td', { class: c.card }, t()[c.card] || c.card),
        h('td', {}, c.reasons.map((r, i) => [i ? h('br') : null, r[lang]])), h('td', {}, c.rectifyBy),
        h('td', { class: 'num' }, pct(c.effectiveRate)), h('td', {}, c.lifted ? day(c.lifted.at) : '')))));
    const rates = h('table', { class: 'rates' },
      h('thead', {}, h('tr', {}, [t().city, t().rate].map(k => h('th', {}, k)))),
      h('tbody', {}, p.cities.map(c => h('tr', {}, h('td', {}, c.city),
        h('td', { class: 'num' + (c.belowThreshold ? ' red' : '') }, pct(c.effectiveRate), c.belowThreshold ? ` (${t().below} ${pct(p.rateThreshold)})` : '')))));
    const updates = p.updates.length === 0 ? null : [h('h3', {}, t().updates), h('ul', { class: 'updates' }, p.updates.map(u => h('li', {}, t().liftedOn(day(u.at), u.enterpriseName))))];
    return h('section', { class: 'publication', 'data-id': p.id, 'data-version': p.version },
      h('h2', {}, t().heading(t().quarter(p.quarter), city)),
      h('p', { class: 'meta' }, `${t().version(p.version)} · ${t().published} ${day(p.publishedAt)}`),
      cards, h('h3', {}, t().cities), rates, updates,
      h('p', { class: 'downloads' },
        h('a', { href: `/api/public/publications/${id}?format=csv&lang=${lang}`, download: '' }, t().csv),
        h('a', { href: `/api/public/publications/${id}?format=xlsx&lang=${lang}`, download: '', class: 'xlsx' }, t().xlsx)),
      earlier.length ? h('details', { class: 'history' }, h('summary', {}, t().history),
        earlier.map(e => h('div', { class: 'earlier', 'data-version': e.version }, h('h4', {}, `${t().version(e.version)} · ${t().published} ${day(e.publishedAt)}`),
          h('p', {}, e.cards.map(c => `${c.enterpriseName} (${t()[c.card] || c.card})`).join('；') || t().none)))) : null);
  }

  async function render() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.getElementById('title').textContent = t().title;
    document.title = t().title;
    document.getElementById('lang').textContent = lang === 'zh' ? 'EN' : '中文';
    document.getElementById('print').textContent = t().print;
    const view = document.getElementById('view');
    try {
      const res = await fetch('/api/public/publications');
      if (!res.ok) throw new Error(String(res.status));
      const all = await res.json();
      const groups = new Map();
      for (const p of all) { const k = p.quarter + '|' + (p.city ?? ''); (groups.get(k) || groups.set(k, []).get(k)).push(p); }
      const sections = [...groups.values()]
        .sort((a, b) => b[0].quarter.localeCompare(a[0].quarter) || (a[0].city ?? '').localeCompare(b[0].city ?? ''))
        .map(list => { list.sort((a, b) => b.version - a.version); return publication(list[0], list.slice(1)); });
      view.replaceChildren(...(sections.length ? sections : [h('p', {}, t().empty)]));
    } catch (e) { view.replaceChildren(h('p', { class: 'red' }, String(e.message))); }
    document.body.dataset.ready = 'public';
  }

  document.getElementById('lang').addEventListener('click', () => { lang = lang === 'zh' ? 'en' : 'zh'; localStorage.setItem('em.lang', lang); render(); });
  document.getElementById('print').addEventListener('click', () => window.print());
  render();
})();
