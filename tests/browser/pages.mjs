// Every page of the navigation in both languages on the demo (no API users, so no login): the
// Chinese UI shows no pollutant code and no English enumeration word, no emoji; the English UI
// is English; the overview drills down to a city, an enterprise and an outlet; an Excel download
// opens as a workbook with the expected cells. Screenshots of every page go to SCREENSHOT_DIR
// (docs/screenshots when refreshing docs/dashboard.md).
// Usage: node pages.mjs BASE_URL SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [base, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
const check = (ok, what) => { if (!ok) throw new Error('failed: ' + what); console.log('ok  ' + what); };

// The entries of a zip file (an .xlsx is one), by name: enough of the format to read a workbook.
function unzip(buffer) {
  const files = {};
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip file');
  let at = buffer.readUInt32LE(end + 16);
  for (let i = 0, n = buffer.readUInt16LE(end + 10); i < n; i++) {
    const method = buffer.readUInt16LE(at + 10), size = buffer.readUInt32LE(at + 20), nameLength = buffer.readUInt16LE(at + 28);
    const extra = buffer.readUInt16LE(at + 30), comment = buffer.readUInt16LE(at + 32), local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    const data = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const raw = buffer.subarray(data, data + size);
    files[name] = method === 8 ? zlib.inflateRawSync(raw) : raw;
    at += 46 + nameLength + extra + comment;
  }
  return files;
}
// The rows of the first sheet: inline strings and numbers, in order.
function sheetRows(xlsx) {
  const xml = unzip(xlsx)['xl/worksheets/sheet1.xml'].toString('utf8');
  return [...xml.matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map(r => [...r[1].matchAll(/<c([^>]*)>(.*?)<\/c>/gs)].map(c =>
    c[1].includes('inlineStr') ? (c[2].match(/<t[^>]*>(.*?)<\/t>/s)?.[1] ?? '') : Number(c[2].match(/<v>(.*?)<\/v>/)?.[1])));
}

// Words an enumeration would show untranslated, and pollutant codes: none may appear in the Chinese UI.
const ENUM_WORDS = ['yellow', 'red', 'green', 'hour', 'day', 'active', 'acknowledged', 'cleared', 'pending', 'approved', 'rejected', 'revoked', 'exceedance', 'warning',
  'critical', 'info', 'open', 'answered', 'closed', 'proposed', 'confirmed', 'dismissed', 'ongoing', 'sent', 'done', 'failed', 'timeout', 'queued', 'refused', 'accepted',
  'hourly', 'daily', 'shutdown', 'maintenance', 'calibration', 'fault', 'communication', 'constant', 'zero', 'negative', 'Time', 'max', 'min', 'null', 'undefined', 'NaN',
  'as-sent', 'zs-sent', 'zs-computed', 'hourly-mean', 'province', 'city', 'enterprise', 'outlet'];
const PAGES = ['#/', '#/alerts', '#/handling', '#/publish', '#/documents', '#/data', '#/outlet', '#/exceedances', '#/cards', '#/totals', '#/tax', '#/permits', '#/barometer', '#/orders', '#/marks', '#/manual', '#/review'];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page.on('pageerror', e => { console.error('page error: ' + e.message); process.exitCode = 1; });
  await page.goto(base + '/#/');
  await page.waitForSelector('body[data-ready="/"] #overview');
  const links = await page.$$eval('nav a', as => as.map(a => a.getAttribute('href')));
  check(PAGES.every(p => links.includes(p)), `every page is a #/… link of the navigation (${links.join(' ')})`);

  // Every page at the wall's, a desk's and a phone's size, in both languages: never wider than the
  // screen, no null/undefined/NaN, no emoji; the Chinese UI without codes or English enumeration words,
  // the English one with an English navigation; on the phone a header of one line (≤ 64 px).
  const SIZES = [['wall', 1920, 1080], ['desk', 1440, 900], ['phone', 390, 844]];
  let phone = null;
  for (const [size, width, height] of SIZES) {
    const at = size === 'desk' ? page : await browser.newPage({ viewport: { width, height }, isMobile: size === 'phone', hasTouch: size === 'phone' });
    if (at !== page) at.on('pageerror', e => { console.error('page error: ' + e.message); process.exitCode = 1; });
    for (const lang of ['zh', 'en']) {
      await at.goto(base + '/#/');
      await at.evaluate(l => localStorage.setItem('em.lang', l), lang);
      for (const hash of PAGES) {
        await at.goto(`${base}/?lang=${lang}${hash}`); // a new document each time: the language is read at load
        const route = hash.slice(1) || '/';
        await at.waitForFunction(r => (document.body.dataset.ready || '').startsWith(r === '/outlet' ? '/outlet' : r), route);
        await at.waitForTimeout(150); // charts drawn
        const [scroll, inner, header, text, nav] = await at.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth,
          document.querySelector('header').getBoundingClientRect().height,
          document.body.innerText + '\n' + [...document.querySelectorAll('#view select option')].map(o => o.textContent).join('\n'),
          document.querySelector('header nav').textContent]);
        const name = (hash.slice(2) || 'overview').replace(/\W/g, '') || 'overview';
        await at.screenshot({ path: path.join(shots, size === 'desk' ? `page-${name}-${lang}.png` : `${size}-${name}-${lang}.png`), fullPage: false });
        const where = `${hash} (${lang}, ${width}×${height})`;
        check(scroll <= inner, `${where} is no wider than the screen (${scroll} ≤ ${inner})`);
        const empty = text.match(/\b(null|undefined|NaN)\b/g);
        check(!empty, `${where} shows no null, undefined or NaN${empty ? ': ' + empty.join(' ') : ''}`);
        check(!/\p{Extended_Pictographic}/u.test(text), `${where} shows no emoji`);
        if (size === 'phone') check(header <= 64, `${where} has a header of at most 64 px (${header})`);
        if (lang === 'zh') {
          const codes = text.match(/\b[aw]\d{5}\b/g);
          check(!codes, `${where} names pollutants, no codes${codes ? ': ' + [...new Set(codes)].join(' ') : ''}`);
          const words = ENUM_WORDS.filter(w => new RegExp(`(^|[^A-Za-z-])${w}($|[^A-Za-z-])`).test(text.replace(/EN$/m, '')));
          check(words.length === 0, `${where} shows no English enumeration word${words.length ? ': ' + words.join(' ') : ''}`);
        } else {
          check(!/[\u4e00-\u9fff]/.test(nav.replace('中文', '')), `${where} has an English navigation`);
        }
      }
    }
    if (size === 'phone') phone = at; else if (at !== page) await at.close();
  }
  await phone.click('#menu');
  check(await phone.locator('header nav').isVisible(), 'the phone\'s menu opens the navigation');
  await phone.close();

  // Drill-down from the overview: a prefecture, one of its enterprises, one of its outlets.
  await page.evaluate(() => localStorage.setItem('em.lang', 'zh'));
  await page.goto(base + '/?lang=zh#/');
  await page.waitForSelector('body[data-ready="/"] #overview a.tile');
  const city = await page.$eval('#overview a.tile', a => a.dataset.city);
  await page.click('#overview a.tile');
  await page.waitForSelector('body[data-ready^="/city/"] #city-enterprises');
  await page.screenshot({ path: path.join(shots, 'page-city-zh.png') });
  await page.click('#city-enterprises tbody tr a');
  await page.waitForSelector('body[data-ready^="/enterprise/"] #enterprise-outlets');
  await page.screenshot({ path: path.join(shots, 'page-enterprise-zh.png'), fullPage: true });
  const mn = await page.$eval('#enterprise-outlets tbody tr', tr => tr.dataset.mn);
  const identified = await page.evaluate(() => ({ permit: document.querySelector('#permit-number')?.textContent ?? '', outlet: document.querySelector('#enterprise-outlets tbody tr a').textContent }));
  check(/排污许可证编号 [0-9A-Z]{22}/.test(identified.permit) && /（D[AW]\d{3}）$/.test(identified.outlet),
    `the enterprise page names its permit number and each outlet's code (${identified.permit.trim()}; ${identified.outlet})`);
  await page.click('#enterprise-outlets tbody tr a');
  await page.waitForSelector('body[data-ready^="/outlet"] #outlet-select');
  check(decodeURIComponent(page.url()).endsWith('#/outlet/' + mn), `the overview drills down to ${city}, an enterprise and its outlet ${mn}`);

  // An enterprise with power monitoring: its facilities' timeline shows the treatment stopped an hour a day, and the finding.
  await page.goto(base + '/?lang=zh#/enterprise/QH-HB-003');
  await page.waitForSelector('body[data-ready^="/enterprise/"] #facilities .timeline .seg');
  const facilities = await page.evaluate(() => ({
    rows: [...document.querySelectorAll('#facilities .timeline-row')].map(r => r.dataset.facility),
    stopped: document.querySelectorAll('#facilities .timeline-row[data-facility="treatment-1"] .seg[data-state="stopped"]').length,
    width: document.querySelector('#facilities .timeline .seg').getBoundingClientRect().width,
    findings: [...document.querySelectorAll('#facility-findings tbody tr[data-finding="treatment-off"]')].length,
  }));
  await page.screenshot({ path: path.join(shots, 'page-facilities-zh.png'), fullPage: true });
  check(facilities.rows.join() === 'production-1,treatment-1' && facilities.stopped >= 1 && facilities.width > 0 && facilities.findings >= 1,
    `the enterprise page shows its facilities' states, the treatment stopped an hour a day, and the finding (${JSON.stringify(facilities)})`);

  // An Excel download from the exceedance page opens as a workbook with the table's cells.
  await page.goto(base + '/#/exceedances');
  await page.waitForSelector('body[data-ready="/exceedances"] #exceedances');
  const download = page.waitForEvent('download');
  await page.click('#xlsx button');
  const sheet = sheetRows(fs.readFileSync(await (await download).path()));
  check(sheet[0][0] === '超标记录' && String(sheet[2][0]).startsWith('数据截至'), `the workbook opens with its title and data cut-off (${sheet[0][0]} · ${sheet[2][0]})`);
  const rows = sheet.slice(3); // the header row, then the episodes
  const header = rows[0];
  check(['排口编号(MN)', '污染物编码', '判定依据', '开始', '峰值', '污染物'].every(c => header.includes(c)), `the workbook has the report's columns with Chinese headers (${header.length} columns)`);
  const shownRows = await page.locator('#exceedances tbody tr').count();
  check(rows.length - 1 >= shownRows && rows.length > 1, `the workbook has every episode (${rows.length - 1} rows)`);
  const first = rows[1], peak = first[header.indexOf('峰值')], start = first[header.indexOf('开始')], name = first[header.indexOf('污染物')];
  check(typeof peak === 'number' && typeof start === 'number' && start > 45000 && /[\u4e00-\u9fff]/.test(name),
    `its cells are typed: a number for the peak (${peak}), a date cell for the start (${start}), the pollutant's Chinese name (${name})`);
} finally {
  await browser.close();
}
