// Time from clicking the Service Mesh tab to the mesh status, in Chromium
// (playwright-core, Debian's /usr/bin/chromium), against the portal that
// scripts/bench/tab.sh starts. Prints the median of BENCH_TAB_RUNS clicks.
import { chromium } from 'playwright-core';

const PORTAL = 'http://localhost:3000';
const RUNS = Number(process.env.BENCH_TAB_RUNS ?? 5);
const COMPONENT = process.env.BENCH_TAB_COMPONENT ?? 'orders';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 900 },
  });
  await page.goto(`${PORTAL}/catalog/default/component/${COMPONENT}`);
  const enter = page.getByRole('button', { name: 'Enter' });
  const overview = page.getByRole('link', { name: 'Service Mesh' });
  await enter.or(overview).first().waitFor({ timeout: 120_000 });
  if (await enter.isVisible()) await enter.click();
  await overview.waitFor({ timeout: 60_000 });
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.waitForURL(u => !u.pathname.endsWith('/mesh'));
    const start = performance.now();
    await page.getByRole('link', { name: 'Service Mesh' }).click();
    const status = page.getByRole('region', {
      name: 'Mesh status',
      exact: true,
    });
    await status.waitFor({ timeout: 60_000 });
    await status
      .getByTestId('progress')
      .waitFor({ state: 'detached', timeout: 60_000 });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `bench | tab click to mesh status in Chromium (${COMPONENT}) | median ${median.toFixed(
      0,
    )} ms of ${RUNS} (${times
      .map(t => t.toFixed(0))
      .join(', ')} ms) | - | goal none set | info`,
  );
} finally {
  await browser.close();
}
