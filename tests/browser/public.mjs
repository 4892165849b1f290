// Browser test of the public pages (started by CardDecisionTests): no login, the published lists,
// the language switch, print as one A4 notice per list; the rest of the API stays closed.
// Usage: node public.mjs BASE_URL ENTERPRISE_NAME SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const [base, enterprise, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
const check = (ok, what) => { if (!ok) throw new Error('failed: ' + what); console.log('ok  ' + what); };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', e => { console.error('page error: ' + e.message); process.exitCode = 1; });
  await page.goto(base + '/public/');
  await page.waitForSelector('body[data-ready="public"] section.publication');
  const sections = await page.locator('section.publication').count();
  const quarters = await page.locator('#pick-quarter option').count(), cities = await page.locator('#pick-city option').count();
  check(sections === 1 && quarters >= 2, `one list at a time, chosen by quarter and city (${quarters} quarters, ${cities} lists in the newest)`);
  // Every quarter and city in turn: each one list, its authority, number and data cut-off; no registry id anywhere.
  let found = 0, lists = 0;
  for (const q of await page.$$eval('#pick-quarter option', os => os.map(o => o.value))) {
    await page.selectOption('#pick-quarter', q);
    await page.waitForFunction(v => document.querySelector('#pick-quarter').value === v && document.querySelector('section.publication'), q);
    for (const c of await page.$$eval('#pick-city option', os => os.map(o => o.value))) {
      await page.selectOption('#pick-city', c);
      await page.waitForFunction(v => document.querySelector('#pick-city').value === v, c);
      lists++;
      const text = await page.textContent('#view');
      check(/数据截至 \d{4}-\d{2}-\d{2}/.test(text) && text.includes('发布机关') && text.includes('文号'), `${q} ${c || '全省'}: the issuer, the document number and the data cut-off are shown`);
      check(!/QH-[A-Z]+-\d+/.test(await page.content()) && !/pub-[0-9a-f]{16}/.test(text), `${q} ${c || '全省'}: no internal id is shown`);
      if (text.includes(enterprise)) found++;
    }
  }
  check(found >= 1, `the published enterprise ${enterprise} is listed, without login (in ${found} of ${lists} lists)`);
  check(await page.locator('#login').count() === 0, 'no login is asked');
  await page.selectOption('#pick-quarter', await page.$eval('#pick-quarter option', o => o.value));
  // The search by name: the enterprise's own list finds it, a name nobody has says so.
  const withEnterprise = async () => {
    for (const q of await page.$$eval('#pick-quarter option', os => os.map(o => o.value))) {
      await page.selectOption('#pick-quarter', q);
      for (const c of await page.$$eval('#pick-city option', os => os.map(o => o.value))) {
        await page.selectOption('#pick-city', c);
        if ((await page.textContent('section.publication')).includes(enterprise)) return true;
      }
    }
    return false;
  };
  check(await withEnterprise(), 'a list naming the enterprise is found through the selectors');
  await page.fill('#search', enterprise.slice(0, 2));
  await page.press('#search', 'Enter');
  await page.waitForFunction(n => document.querySelector('table.cards')?.textContent.includes(n), enterprise);
  await page.fill('#search', '不存在的企业名');
  await page.press('#search', 'Enter');
  await page.waitForSelector('#no-match');
  check(true, 'the search by enterprise name keeps the enterprise and says when nothing matches');
  await page.fill('#search', '');
  await page.press('#search', 'Enter');
  check(await page.locator('details.history').count() >= 1, 'an earlier version is kept as history');
  check((await page.textContent('details.rules')).length > 0, 'the rules are explained in words');
  const status = await page.evaluate(async () => [(await fetch('/api/alerts')).status, (await fetch('/api/publications')).status, (await fetch('/api/codes')).status,
    (await fetch('/api/orders')).status, (await fetch('/api/public/publications')).status]);
  check(status.slice(0, 4).every(s => s === 401) && status[4] === 200, `the rest of the API still answers 401 (${status.join(', ')})`);
  await page.screenshot({ path: path.join(shots, 'public.png'), fullPage: true });
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en' && document.querySelector('section.publication h2').textContent.includes('yellow and red cards'));
  check(true, 'the page switches to English');
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await page.emulateMedia({ media: 'print' });
  check(await page.$eval('#print', el => getComputedStyle(el).display) === 'none', 'printing hides the buttons');
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  check(pages >= sections, `printed, each list is a page of its own (${pages} A4 pages for ${sections} list shown)`);
  // A phone in the hand: nothing wider than the screen, names whole.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await phone.goto(base + '/public/');
  await phone.waitForSelector('body[data-ready="public"] section.publication');
  const [scroll, inner] = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  await phone.screenshot({ path: path.join(shots, 'public-phone.png'), fullPage: true });
  check(scroll <= inner, `at 390 px the public page is no wider than the screen (${scroll} ≤ ${inner})`);
} finally {
  await browser.close();
}
