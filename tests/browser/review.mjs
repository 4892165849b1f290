// Browser test of the enterprise's part and the operators' review queue against a service with
// API users (started by BrowserTests): the enterprise files a mark with a photo, the operator
// approves it from the review queue; the operator issues an order, the enterprise answers it with
// a PDF from its own page, the operator closes it. The enterprise never sees the other enterprise.
// Usage: node review.mjs BASE_URL OPERATOR_TOKEN ENTERPRISE_TOKEN OWN_MN OTHER_MN SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const [base, operatorToken, enterpriseToken, ownMn, otherMn, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
const check = (ok, what) => { if (!ok) throw new Error('failed: ' + what); console.log('ok  ' + what); };
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
const pdf = Buffer.from('%PDF-1.4\n% 整改报告\n', 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const open = async (token, hash) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', e => { console.error('page error: ' + e.message); process.exitCode = 1; });
  page.on('dialog', d => d.accept('情况属实'));
  await page.goto(base + '/?access_token=' + encodeURIComponent(token) + hash);
  return page;
};
const ready = (page, route) => page.waitForSelector(`body[data-ready="${route}"]`);
const go = async (page, hash, route) => { await page.evaluate(h => { location.hash = h; }, hash); await ready(page, route); };
const json = (page, url) => page.evaluate(async u => (await fetch(u, { credentials: 'same-origin' })).json(), url);

try {
  const enterprise = await open(enterpriseToken, '#/');
  await enterprise.waitForSelector('body[data-ready="/"] #enterprise-home');
  const homeText = await enterprise.textContent('#enterprise-home');
  check(homeText.includes(ownMn) && !homeText.includes(otherMn), 'the enterprise home shows its own outlet and not the other enterprise');
  check(await enterprise.isHidden('#nav-review'), 'an enterprise has no review queue in its navigation');
  check(await enterprise.isHidden('#nav-barometer') && (await enterprise.textContent('#nav-overview')) === '本企业', 'an enterprise sees its own home and no barometer in its navigation');

  // Filing a fault mark with a photo.
  await go(enterprise, '#/marks', '/marks');
  await enterprise.selectOption('#mark-form select[name="kind"]', 'fault');
  await enterprise.fill('#mark-form input[name="from"]', '2025-07-01 10:00');
  await enterprise.fill('#mark-form input[name="to"]', '2025-07-01 13:00');
  await enterprise.fill('#mark-form input[name="comment"]', '分析仪故障');
  // A file that is not a PDF, JPEG or PNG: nothing is filed, and the page says why in Chinese.
  await enterprise.setInputFiles('#mark-form input[type="file"]', { name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('not evidence') });
  await enterprise.click('#mark-form button[type="submit"]');
  await enterprise.waitForFunction(() => document.querySelector('#mark-error').textContent.length > 0);
  const refusal = await enterprise.textContent('#mark-error');
  check(refusal.includes('文件类型不支持') && (await json(enterprise, '/api/marks')).length === 0, `a refused file files no mark, said in Chinese (${refusal})`);
  await enterprise.setInputFiles('#mark-form input[type="file"]', { name: '维修照片.png', mimeType: 'image/png', buffer: png });
  await enterprise.click('#mark-form button[type="submit"]');
  await enterprise.waitForSelector('#marks tr[data-state="pending"] a.file');
  check((await enterprise.textContent('#marks tr[data-state="pending"]')).includes('待审核'), 'the enterprise files a mark with evidence: pending, 待审核');
  const [mark] = await json(enterprise, '/api/marks?state=pending');
  check(mark && mark.evidence.length === 1 && mark.evidence[0].contentType === 'image/png', 'the photo is stored with the mark');
  await enterprise.screenshot({ path: path.join(shots, 'marks.png'), fullPage: true });

  // The operator approves it from the review queue.
  const operator = await open(operatorToken, '#/review');
  await operator.waitForSelector(`#review-marks tr[data-id="${mark.id}"]`);
  await operator.screenshot({ path: path.join(shots, 'review.png'), fullPage: true });
  await operator.click(`#review-marks tr[data-id="${mark.id}"] button[data-act="approve"]`);
  await operator.waitForFunction(() => !document.querySelector('#review-marks'));
  const approved = await json(operator, '/api/marks/' + mark.id);
  check(approved.state === 'approved' && approved.decisionComment === '情况属实', 'the operator approves it from the review queue, with a comment');

  // Manual data for the approved fault: refused without its report (said in Chinese); filed with a PDF it
  // is pending, and the operator approves it from the review queue; the hour then counts as manual data.
  await go(enterprise, '#/manual', '/manual');
  await enterprise.selectOption('#manual-form select[name="pollutant"]', 'a21026');
  await enterprise.fill('#manual-form input[name="sampledAt"]', '2025-07-01 10:20');
  await enterprise.fill('#manual-form input[name="value"]', '42.5');
  await enterprise.click('#manual-form button[type="submit"]');
  await enterprise.waitForFunction(() => document.querySelector('#manual-error').textContent.length > 0);
  const manualRefusal = await enterprise.textContent('#manual-error');
  check(manualRefusal.includes('监测报告'), `manual data without its report is refused, said in Chinese (${manualRefusal})`);
  await enterprise.setInputFiles('#manual-form input[type="file"]', { name: '检测报告.pdf', mimeType: 'application/pdf', buffer: pdf });
  await enterprise.click('#manual-form button[type="submit"]');
  await enterprise.waitForSelector('#manual tr[data-state="pending"]');
  const [sample] = await json(enterprise, '/api/manual-data?from=2025-07-01&to=2025-07-02');
  check(sample && sample.state === 'pending' && sample.value === 42.5 && sample.unit === 'mg/m3' && sample.evidenceFiles === 1, 'the enterprise files manual data with its report: pending');
  await enterprise.screenshot({ path: path.join(shots, 'manual.png'), fullPage: true });
  await go(enterprise, '#/', '/');
  await enterprise.waitForSelector(`#home-manual tr[data-id="${sample.id}"] button[data-act="withdraw"]`);
  check(true, 'the enterprise home lists its manual data awaiting review, with withdraw');
  await go(enterprise, '#/manual', '/manual'); // away from home: the later visit reads it anew
  await go(operator, '#/manual', '/manual'); // away and back: the queue is read anew
  await go(operator, '#/review', '/review');
  await operator.click(`#review-manual tr[data-id="${sample.id}"] button[data-act="approve"]`);
  await operator.waitForFunction(() => !document.querySelector('#review-manual'));
  const hours = await json(operator, `/api/hours?from=2025-07-01T10:00&to=2025-07-01T13:00&mn=${ownMn}&pollutant=a21026`);
  check((await json(operator, '/api/manual-data/' + sample.id)).state === 'approved' && hours.length === 3 && hours.every(x => x.reason === 'manual-data'),
    'the operator approves manual data from the review queue; its hours count as manual data');

  // An order to the enterprise, answered with a PDF from its own page, closed by the operator.
  await go(operator, '#/orders', '/orders');
  await operator.selectOption('#order-form select[name="mn"]', ownMn);
  await operator.fill('#order-form textarea[name="text"]', '请说明数据异常原因');
  await operator.click('#order-form button[type="submit"]');
  await operator.waitForSelector('#orders tr[data-state="open"]');
  await go(enterprise, '#/', '/');
  await enterprise.waitForSelector('#home-orders tr[data-state="open"]');
  await enterprise.fill('#home-orders textarea[name="cause"]', '分析仪故障');
  await enterprise.fill('#home-orders textarea[name="measures"]', '已更换并校准');
  await enterprise.setInputFiles('#home-orders input[type="file"]', { name: '整改报告.pdf', mimeType: 'application/pdf', buffer: pdf });
  await enterprise.screenshot({ path: path.join(shots, 'enterprise.png'), fullPage: true });
  await enterprise.click('#home-orders button[data-act="respond"]');
  await enterprise.waitForFunction(() => !document.querySelector('#home-orders'));
  const [order] = await json(enterprise, '/api/orders');
  check(order.state === 'answered' && order.evidence.length === 1 && order.evidence[0].name === '整改报告.pdf', 'the enterprise answers the order with a PDF from its page');
  await go(operator, '#/review', '/review');
  await operator.click(`#review-orders tr[data-id="${order.id}"] button[data-act="close"]`);
  await operator.waitForFunction(() => !document.querySelector('#review-orders'));
  check((await json(operator, '/api/orders/' + order.id)).state === 'closed', 'the operator closes the answered order from the review queue');

  // Its execution reports: the home lists those owed; on the calendar the first one's link downloads the
  // workbook (four sheets), and the row says it was generated, by whom.
  await go(enterprise, '#/orders', '/orders');
  await go(enterprise, '#/', '/');
  await enterprise.waitForSelector('#enterprise-home #home-reports tbody tr[data-kind]');
  check(true, 'the enterprise home lists its execution reports owed, each with its generate link');
  await go(enterprise, '#/permits', '/permits');
  const first = enterprise.locator('#deadlines tbody tr[data-kind]').first();
  const [kind, period] = [await first.getAttribute('data-kind'), await first.getAttribute('data-period')];
  const download = enterprise.waitForEvent('download');
  await first.locator('a.execution-download button').click();
  const workbook = fs.readFileSync(await (await download).path());
  check(workbook.subarray(0, 2).toString() === 'PK' && workbook.includes(Buffer.from('xl/worksheets/sheet4.xml')), `the ${kind} report ${period} downloads as a workbook of four sheets`);
  await go(enterprise, '#/orders', '/orders');
  await go(enterprise, '#/permits', '/permits');
  const state = await enterprise.getAttribute(`#deadlines tr[data-kind="${kind}"][data-period="${period}"]`, 'data-state');
  const text = await enterprise.textContent(`#deadlines tr[data-kind="${kind}"][data-period="${period}"]`);
  check(state === 'generated' && text.includes('已生成') && text.includes('热电厂环保专员'), `the calendar then says it was generated, by whom (${text.trim()})`);
  await go(enterprise, '#/', '/');

  // The other enterprise's outlet and an English page.
  const mine = await json(enterprise, '/api/marks');
  check(mine.every(m => m.mn === ownMn), 'the enterprise lists only its own marks');
  await enterprise.click('#lang');
  await enterprise.waitForFunction(() => document.querySelector('#enterprise-home h3')?.textContent.startsWith('My outlets'));
  check(true, 'the enterprise page speaks English on the switch');
} finally {
  await browser.close();
}
