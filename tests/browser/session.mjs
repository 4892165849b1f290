// Browser test of the dashboard's login against a service with API users (started by BrowserTests).
// Usage: node session.mjs BASE_URL TOKEN
import { chromium } from 'playwright-core';

const [base, token] = process.argv.slice(2);
const check = (ok, what) => { if (!ok) throw new Error('failed: ' + what); console.log('ok  ' + what); };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', e => { console.error('page error: ' + e.message); process.exitCode = 1; });

  await page.goto(base + '/#/alerts');
  await page.waitForSelector('body[data-ready="login"] #login');
  check(true, 'without a session the dashboard asks for a token');
  await page.fill('#login input[name="token"]', 'not-the-token');
  await page.click('#login button[type="submit"]');
  await page.waitForFunction(() => document.getElementById('login-error').textContent.length > 0);
  check(true, 'a wrong token is refused');
  await page.fill('#login input[name="token"]', token);
  await page.click('#login button[type="submit"]');
  await page.waitForSelector('body[data-ready="/alerts"] #alerts');
  await page.waitForSelector('#live.on');
  check(true, 'the right token opens the alert board, live');

  const cookies = await page.context().cookies();
  const session = cookies.find(c => c.name === 'em_session');
  check(session && session.httpOnly && session.sameSite === 'Strict', 'the credential is an HttpOnly, SameSite=Strict cookie');
  check(await page.evaluate(() => document.cookie.includes('em_session') || Object.keys(localStorage).some(k => localStorage.getItem(k).includes('token'))) === false,
    'no script of the page can read the credential');

  // A token given once in the URL becomes the cookie and leaves the address bar.
  const second = await browser.newPage();
  await second.goto(base + '/?access_token=' + encodeURIComponent(token) + '#/');
  await second.waitForSelector('body[data-ready="/"] #overview');
  check(!second.url().includes('access_token'), 'a token in the URL is taken once and removed from it');

  await page.click('#logout');
  await page.waitForSelector('body[data-ready="login"] #login');
  check(true, 'logging out ends the session');
} finally {
  await browser.close();
}
