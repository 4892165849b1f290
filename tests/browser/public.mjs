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
  await page.waitForSelector('body[data-ready="public"]');
  const sections = await page.locator('section.publication').count();
  check(sections >= 2, `the public page shows every list, each latest version (${sections})`);
  check(await page.locator('section.publication', { hasText: enterprise }).count() >= 1, `the published enterprise ${enterprise} is listed, without login`);
  check(await page.locator('#login').count() === 0, 'no login is asked');
  check(await page.locator('details.history').count() >= 1, 'an earlier version is kept as history');
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
  check(pages >= sections, `printed, each list is a page of its own (${pages} A4 pages for ${sections} lists)`);
} finally {
  await browser.close();
}
