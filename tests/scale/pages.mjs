// Page-load timing of the dashboard against a running service (tests/scale/pages.sh starts one on
// a generated province): each page of the navigation and the drill-down loaded as a new document
// five times; the time from navigation start until the page says it is ready (body[data-ready]).
// Prints a Markdown table of the median and worst in ms.
// Usage: node pages.mjs BASE_URL
import { chromium } from '../browser/node_modules/playwright-core/index.mjs';

const [base] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const stations = await (await fetch(base + '/api/stations')).json();
  const e = stations[0], o = e.outlets[0];
  const pages = ['#/', '#/alerts', '#/outlet/' + o.mn, '#/exceedances', '#/cards', '#/totals', '#/barometer', '#/orders', '#/marks', '#/review',
    '#/city/' + encodeURIComponent(e.city), '#/enterprise/' + encodeURIComponent(e.id)];
  console.log('| page (500 outlets) | median ms | worst ms |');
  console.log('|---|---:|---:|');
  for (const hash of pages) {
    const times = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(`${base}/?run=${i}${hash}`);
      const route = hash.slice(1).split('?')[0]; // as the page reads it from location.hash (percent-encoded)
      await page.waitForFunction(r => document.body.dataset.ready === r, route, { timeout: 60000 });
      times.push(await page.evaluate(() => performance.now()));
    }
    times.sort((a, b) => a - b);
    console.log(`| \`${decodeURIComponent(hash)}\` | ${Math.round(times[2])} | ${Math.round(times[4])} |`);
  }
} finally {
  await browser.close();
}
