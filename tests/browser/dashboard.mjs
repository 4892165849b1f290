// Browser test of the dashboard against a running service (started by the .NET test BrowserTests).
// Usage: node dashboard.mjs BASE_URL GATEWAY_PORT MN PASSWORD POLLUTANT SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';

const [base, gatewayPort, mn, password, pollutant, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });

// HJ 212 Appendix A CRC and a real-time frame above the limit, sent over the TCP link.
function crc(text) {
  let reg = 0xffff;
  for (const b of Buffer.from(text, 'utf8')) {
    reg = (reg >> 8) ^ b;
    for (let j = 0; j < 8; j++) { const lsb = reg & 1; reg >>= 1; if (lsb) reg ^= 0xa001; }
  }
  return reg.toString(16).toUpperCase().padStart(4, '0');
}
function localStamp(date) {
  const d = new Date(date.getTime() + 8 * 3600e3); // Asia/Shanghai
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${p(d.getUTCMilliseconds(), 3)}`;
}
// An hourly record three days old (before the demo's history) above the limit: it raises an
// exceedance alert that the simulator's own traffic will not clear during the test.
function sendExceeding(value) {
  const hour = new Date(Math.floor((Date.now() - 72 * 3600e3) / 3600e3) * 3600e3);
  const stamp = localStamp(hour).slice(0, 14);
  const qn = localStamp(new Date());
  const segment = `QN=${qn};ST=31;CN=2061;PW=${password};MN=${mn};Flag=4;CP=&&DataTime=${stamp};${pollutant}-Avg=${value},${pollutant}-Flag=N&&`;
  const frame = `##${String(Buffer.byteLength(segment)).padStart(4, '0')}${segment}${crc(segment)}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(gatewayPort), '127.0.0.1', () => socket.end(frame, resolve));
    socket.on('error', reject);
  });
}
const check = (ok, what) => { if (!ok) throw new Error('failed: ' + what); console.log('ok  ' + what); };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', '--disable-quic'], // playwright gives every launch a fresh, empty profile of its own
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page.on('pageerror', e => { console.error('page error: ' + e.message); process.exitCode = 1; });

  // Alert board: a new alert arrives live, without reload, and can be acknowledged.
  await page.goto(base + '/#/alerts');
  await page.waitForSelector('body[data-ready="/alerts"]');
  await page.waitForSelector('#live.on');
  // An exceedance of this outlet and pollutant may already be open from the demo's history: one open
  // alert per outlet, pollutant and kind, so clear it first through the API as an operator would.
  const open = await (await fetch(`${base}/api/alerts?state=active&limit=100000`)).json();
  for (const a of open.filter(a => a.mn === mn && a.pollutant === pollutant && a.kind === 'exceedance')) {
    await fetch(`${base}/api/alerts/${a.id}/clear`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"comment":"test"}' });
  }
  await page.evaluate(() => { window.emMarker = 'same page'; }); // a reload would lose it
  check(await page.locator('#alerts tbody tr', { hasText: '9999.5' }).count() === 0, 'the test alert is not on the board yet');
  await sendExceeding(9999.5);
  const row = page.locator(`#alerts tbody tr[data-state="active"]`, { hasText: '9999.5' });
  await row.waitFor({ timeout: 15000 });
  check(await page.evaluate(() => window.emMarker) === 'same page', 'the alert board receives a new alert without reload');
  check(await row.locator('td.pollutant').textContent() === '二氧化硫', 'the board names the pollutant (二氧化硫), not its code');
  const said = await row.locator('td.message').textContent();
  check(said.includes('超过限值') && !said.includes('beyond limit'), `the alert is said in Chinese from its messageKey (${said})`);
  // Acknowledging asks what was checked and the verdict (核实结论); without a comment it is refused.
  await row.locator('button[data-act="acknowledge"]').click();
  await page.waitForSelector('dialog#handle[open]');
  await page.click('#handle button[data-do="acknowledge"]');
  await page.waitForFunction(() => (document.getElementById('handle-error')?.textContent || '').includes('请填写说明'));
  check(await page.locator('dialog#handle[open]').count() === 1, 'acknowledging without a comment is refused and the dialog stays');
  await page.fill('#handle textarea[name="comment"]', '已电话核实，企业确认脱硫故障');
  await page.selectOption('#handle select[name="verdict"]', 'real');
  await page.screenshot({ path: path.join(shots, 'alert-handle.png') });
  await page.click('#handle button[data-do="acknowledge"]');
  const acked = page.locator('#alerts tbody tr[data-state="acknowledged"]', { hasText: '9999.5' });
  await acked.waitFor({ timeout: 10000 });
  const step = await acked.locator('td.last-step').textContent();
  check(step.includes('确认') && step.includes('已电话核实') && step.includes('属实'), `the board shows the last step, its comment and verdict in Chinese (${step})`);
  check((await acked.locator('td.enterprise').textContent()).length > 0, 'the board names the enterprise');

  // Dispose (what was done), then an order made from the alert: the board shows the order.
  await acked.locator('button[data-act="handle"]').click();
  await page.waitForSelector('dialog#handle[open]');
  check(await page.locator('#handle ol.history li').count() === 2, 'the dialog lists the alert\'s history (raised, acknowledged)');
  await page.fill('#handle textarea[name="comment"]', '企业已停炉检修');
  await page.click('#handle button[data-do="dispose"]');
  await page.waitForFunction(() => !document.querySelector('dialog#handle[open]'));
  await acked.locator('td.last-step', { hasText: '企业已停炉检修' }).waitFor({ timeout: 10000 });
  await acked.locator('button[data-act="handle"]').click();
  await page.waitForSelector('dialog#handle[open]');
  await page.click('#handle button[data-do="order"]');
  await acked.locator('td.last-step a.order-link').waitFor({ timeout: 10000 });
  check(true, 'disposing and making an order are recorded on the board');
  await page.screenshot({ path: path.join(shots, 'alerts.png') });

  // The handling figures: the acknowledged and disposed alert is counted for its city.
  await page.goto(base + '/#/handling');
  await page.waitForSelector('body[data-ready="/handling"] #handling-groups');
  check(await page.locator('#handling tbody tr').count() > 0, 'the handling page lists figures by city and kind');
  await page.screenshot({ path: path.join(shots, 'handling.png') });

  // The data query: the outlet's hourly values with their flags, and each hour's validity with totals equal to report hours.
  await page.goto(`${base}/#/data/${mn}?cn=2061`);
  await page.waitForSelector('body[data-ready^="/data"] #data-table');
  const dataRows = await page.locator('#data-table tbody tr[data-period]').count();
  check(dataRows > 0, `the data query lists ${dataRows} hours of ${mn}`);
  const flagCell = await page.locator('#data-table tbody tr[data-period] td:nth-child(4)').first().textContent();
  check(/（[NFMSDCTB]）$/.test(flagCell), `flags are named in the user's language (${flagCell})`);
  const shownTotals = await page.$$eval('#validity-totals [data-state]', els => Object.fromEntries(els.map(e => [e.dataset.state, Number(e.dataset.count)])));
  const hoursRows = await (await fetch(`${base}/api/hours?mn=${mn}&from=${await page.$eval('#data-filter input[name="from"]', i => i.value)}&to=${await page.$eval('#data-filter input[name="to"]', i => i.value)}&limit=1000000`)).json();
  const counted = s => hoursRows.filter(x => x.state === s).length;
  check(['valid', 'invalid', 'missing', 'excused', 'exempt'].every(s => shownTotals[s] === counted(s)), `the validity view's totals equal report hours (${JSON.stringify(shownTotals)})`);
  await page.screenshot({ path: path.join(shots, 'data.png'), fullPage: true });

  // Decisions in the page: a proposed card confirmed through its button and a comment, then the quarter published after an explicit confirmation.
  const quarterNow = (() => { const d = new Date(Date.now() + 8 * 3600e3); return `${d.getUTCFullYear()}Q${Math.floor(d.getUTCMonth() / 3) + 1}`; })();
  await page.goto(`${base}/#/cards?quarter=${quarterNow}`);
  await page.waitForSelector('body[data-ready="/cards"] #cards');
  const confirmButton = page.locator('#cards button[data-action="confirm"]').first();
  if (await confirmButton.count()) {
    const enterpriseId = await confirmButton.evaluate(b => b.closest('tr').dataset.enterprise);
    await confirmButton.click();
    await page.waitForSelector('dialog#decide[open]');
    await page.fill('#decide textarea[name="comment"]', '经核实，予以认定');
    await page.click('#decide button[data-do="ok"]');
    await page.waitForFunction(e => [...document.querySelectorAll('#cards tbody tr')].some(r => r.dataset.enterprise === e && r.textContent.includes('已确认')), enterpriseId, { timeout: 10000 });
    check(true, 'a card is confirmed through its button with a comment');
  }
  await page.goto(`${base}/#/publish?quarter=${quarterNow}`);
  await page.waitForSelector('body[data-ready="/publish"] #publish-cards');
  let asked = '';
  page.once('dialog', d => { asked = d.message(); d.accept(); });
  await page.click('button[data-action="publish"]');
  await page.waitForSelector('#publish-earlier tbody tr:not(.empty)', { timeout: 10000 });
  check(asked.includes(quarterNow), `publishing a quarter that has not ended asks first (${asked})`);

  // The wall (kiosk): every key figure readable from 3 m and live — a cleared critical alert is gone from its count without reload.
  const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  wall.on('pageerror', e => { console.error('page error: ' + e.message); process.exitCode = 1; });
  await wall.goto(base + '/#/wall?rotate=0');
  await wall.waitForSelector('body[data-ready="/wall"] [data-kpi="alerts-critical"]');
  const kpis = await wall.$$eval('[data-kpi]', els => els.map(e => e.dataset.kpi));
  check(['rate', 'online', 'alerts-critical', 'alerts-warning', 'alerts-info', 'cards-red', 'cards-yellow'].every(k => kpis.includes(k)), `the wall carries every key figure (${kpis.join(' ')})`);
  check(await wall.locator('header').isHidden(), 'the kiosk shows no navigation');
  const px = await wall.evaluate(() => Math.min(...[...document.querySelectorAll('[data-kpi]')].map(e => parseFloat(getComputedStyle(e).fontSize))));
  check(px >= 48, `the wall's key figures are at least 48 px at 1920×1080 (${px} px)`);
  const critical = () => wall.evaluate(() => Number(document.querySelector('[data-kpi="alerts-critical"]').textContent.replace(/[^0-9]/g, '')));
  const before = await critical();
  const ours = (await (await fetch(`${base}/api/alerts?state=open&severity=critical&limit=100000`)).json()).find(a => a.value === 9999.5);
  await fetch(`${base}/api/alerts/${ours.id}/clear`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"comment":"test"}' });
  await wall.waitForFunction(b => Number(document.querySelector('[data-kpi="alerts-critical"]').textContent.replace(/[^0-9]/g, '')) === b - 1, before, { timeout: 10000 });
  check(true, `the wall's critical count follows a cleared alert without reload (${before} → ${before - 1})`);
  await wall.screenshot({ path: path.join(shots, 'wall.png') });
  await wall.close();

  // Outlet page: hourly charts with data points against the limit.
  await page.goto(base + '/#/outlet/' + mn);
  await page.waitForSelector('body[data-ready^="/outlet"]');
  await page.waitForSelector(`#h-${pollutant} canvas`);
  // The caption under the chart says what it draws; it must agree with the API's hourly values.
  const caption = page.locator(`#hc-${pollutant}`);
  const points = Number(await caption.getAttribute('data-points'));
  const hourlyApi = await page.evaluate(async ([m, p]) => {
    const d = new Date(Date.now() - 7 * 864e5), two = n => String(n).padStart(2, '0');
    const rows = (await (await fetch(`/api/outlets/${m}/readings?cn=2061&from=${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}&limit=100000`)).json()).filter(r => r.pollutant === p);
    const zs = rows.some(r => r.zsAvg != null);
    return rows.filter(r => (zs ? r.zsAvg : r.avg) != null).length;
  }, [mn, pollutant]);
  check(points >= 24 && points === hourlyApi, `the outlet's hourly ${pollutant} chart draws ${points} values, as many as the API gives (${hourlyApi})`);
  const limit = Number(await caption.getAttribute('data-limit'));
  check(limit > 0 && (await caption.textContent()).includes(String(limit).slice(0, 2)), `the chart draws the limit ${limit} and says so in words`);
  await page.screenshot({ path: path.join(shots, 'outlet.png'), fullPage: true });

  // Commands: one sent from the outlet page to the (simulated) terminal finishes live, with its result.
  await page.selectOption('#cmd-select', 'get-rtd-interval');
  await page.click('#cmd-form button[type="submit"]');
  await page.waitForSelector('#commands tbody tr:first-child[data-state="sent"], #commands tbody tr:first-child[data-state="accepted"], #commands tbody tr:first-child[data-state="done"]', { timeout: 10000 });
  await page.waitForSelector('#commands tbody tr:first-child[data-state="done"]', { timeout: 30000 });
  const result = await page.locator('#commands tbody tr:first-child td.result').textContent();
  check(/^\d+ s$/.test(result), `a command sent from the outlet page ends done without reload, with the terminal's interval (${result})`);
  await page.screenshot({ path: path.join(shots, 'outlet-commands.png'), fullPage: true });

  // Exceedance history: filter and CSV download.
  await page.goto(base + '/#/exceedances');
  await page.waitForSelector('body[data-ready="/exceedances"]');
  const all = await page.locator('#exceedances tbody tr').count();
  check(all > 0, `the exceedance history lists ${all} episodes`);
  await page.selectOption('#exc-filter select[name="mn"]', mn);
  await page.click('#exc-filter button[type="submit"]');
  await page.waitForFunction(m => location.hash.includes('mn=' + m) && document.body.dataset.ready === '/exceedances', mn);
  await page.waitForFunction(m => [...document.querySelectorAll('#exceedances tbody tr')].every(r => r.children[2].textContent.startsWith(m)), mn);
  const filtered = await page.locator('#exceedances tbody tr').count();
  check(filtered <= all, `filtering by MN keeps ${filtered} of ${all} episodes, all of ${mn}`);
  const download = page.waitForEvent('download');
  await page.click('#csv button');
  const file = await (await download).path();
  const csv = fs.readFileSync(file);
  const csvHeader = csv.toString('utf8', 3).split('\r\n')[0];
  check(csv[0] === 0xef && csv[1] === 0xbb && csv[2] === 0xbf && csvHeader.startsWith('市/州,企业名称,企业编号,排污许可证编号,排口名称,排放口编码,排口编号(MN),污染物,污染物编码,浓度单位,判定依据'),
    `the CSV download has a BOM and the page's language: names beside codes, Chinese headers (${csvHeader.slice(0, 40)}…)`);
  check(csv.toString('utf8').split('\r\n').filter(l => l.length).length === filtered + 1, 'the CSV has the filtered rows');
  await page.screenshot({ path: path.join(shots, 'exceedances.png') });

  // Province overview and cards, in Chinese and English.
  await page.goto(base + '/#/');
  await page.waitForSelector('body[data-ready="/"] .card');
  check(await page.locator('#overview .card').count() === 8, 'the overview shows the eight prefectures');
  await page.screenshot({ path: path.join(shots, 'overview.png') });
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('nav a').textContent === 'Province');
  check(true, 'the labels switch to English');
  await page.click('#lang');
  await page.goto(base + '/#/cards');
  await page.waitForSelector('body[data-ready="/cards"] #cards');
  await page.screenshot({ path: path.join(shots, 'cards.png') });
  check(true, 'the card list renders');

  // The city target barometer: a card per prefecture and the province, a bar per pollutant in its level's colour.
  await page.goto(base + '/#/barometer');
  await page.waitForSelector('body[data-ready="/barometer"] #barometer .card');
  check(await page.locator('#barometer .card').count() === 9, 'the barometer shows the province and the eight prefectures');
  const levels = await page.$$eval('#barometer .bar-row', rows => rows.map(r => r.dataset.level));
  check(levels.length === 36 && levels.every(l => ['green', 'yellow', 'red'].includes(l)), `each city has a bar per pollutant with its level (${[...new Set(levels)].join(', ')})`);
  const width = await page.$eval('#barometer .bar-row .fill', el => getComputedStyle(el).width);
  check(parseFloat(width) >= 0, `the bars are drawn (${width})`);
  await page.screenshot({ path: path.join(shots, 'barometer.png'), fullPage: true });

  // Supervision orders: an operator issues one from the page, then closes it with a comment.
  await page.goto(base + '/#/orders');
  await page.waitForSelector('body[data-ready="/orders"] #order-form');
  await page.fill('#order-form textarea[name="text"]', '请说明超标原因（浏览器测试）');
  await page.click('#order-form button[type="submit"]');
  const issued = page.locator('#orders tbody tr[data-state="open"]', { hasText: '请说明超标原因（浏览器测试）' });
  await issued.waitFor({ timeout: 10000 });
  check(true, 'an operator issues a supervision order from the page');
  page.once('dialog', d => d.accept('现场核查完成'));
  await issued.locator('button[data-act="close"]').click();
  await page.locator('#orders tbody tr[data-state="closed"]', { hasText: '请说明超标原因（浏览器测试）' }).waitFor({ timeout: 10000 });
  check(true, 'and closes it with a comment');
  await page.screenshot({ path: path.join(shots, 'orders.png') });

  // Hostile input through the URL: the quarter is text at most, never markup; the page forbids inline script.
  const response = await page.goto(base + '/#/cards?quarter=' + encodeURIComponent('2026Q1"><img src=x onerror="window.pwned=1">'));
  const csp = (await fetch(base + '/')).headers.get('content-security-policy') || '';
  check(csp.includes("script-src 'self'") && csp.includes("frame-ancestors 'none'"), 'the page is served with a strict Content-Security-Policy');
  await page.waitForSelector('body[data-ready="/cards"] #cards');
  check(await page.locator('#view img').count() === 0 && await page.evaluate(() => window.pwned) === undefined, 'a quarter with markup in the URL injects nothing');
  check(response === null || response.ok(), 'the hostile URL still serves the page');
} finally {
  await browser.close();
}
