import { test, expect, Locator, Page, TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { meshSection, openMeshTab } from './meshTab';

/** Runs axe inside the tab's own components and expects no violation at all. */
async function expectNoAxeViolation(
  page: Page,
  testInfo: TestInfo,
  state: string,
) {
  const results = await new AxeBuilder({ page })
    .include('[data-testid="istio-tab"]')
    .analyze();
  await testInfo.attach(`axe-${state}.json`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: 'application/json',
  });
  const found = results.violations.map(
    v =>
      `${v.id} (${v.impact}): ${v.help} at ${v.nodes
        .map(n => n.target.join(' '))
        .join('; ')}`,
  );
  // eslint-disable-next-line no-console
  console.log(
    `axe ${state}: ${results.passes.length} rules passed, ${results.violations.length} violated`,
  );
  expect(found).toEqual([]);
}

async function shot(page: Page, name: string, fullPage = false) {
  await page.screenshot({
    path: `test-results/screenshots/${name}.png`,
    fullPage,
  });
}

type Theme = 'light' | 'dark';
const THEMES: Theme[] = ['light', 'dark'];

/**
 * Opens the Service Mesh tab in a theme: the app keeps the chosen theme in
 * localStorage under `theme` (as its settings page sets it), and marks the
 * body with the theme's mode.
 */
async function openMeshTabIn(page: Page, theme: Theme, component: string) {
  if (theme === 'dark') {
    await page.addInitScript(() =>
      window.localStorage.setItem('theme', 'dark'),
    );
  }
  await openMeshTab(page, component);
  await expect(page.locator('body')).toHaveAttribute('data-theme-mode', theme);
}

/** Relative luminance (WCAG 2) of a CSS rgb()/rgba() colour. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const [lr, lg, lb] = [r, g, b].map(c => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
}

/**
 * Expects an element to be drawn in the theme's colours: light text (or SVG
 * fill) in the dark theme, dark text in the light one.
 */
async function expectInkOf(target: Locator, theme: Theme) {
  const ink = await target.evaluate(el => {
    const style = getComputedStyle(el);
    return el instanceof SVGElement ? style.fill : style.color;
  });
  if (theme === 'dark') {
    expect(luminance(ink), `ink ${ink}`).toBeGreaterThan(0.5);
  } else {
    expect(luminance(ink), `ink ${ink}`).toBeLessThan(0.2);
  }
}

for (const theme of THEMES) {
  test(`the first screen at 1440x900 shows the summary strip and the top diagnostics (${theme} theme)`, async ({
    page,
  }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await openMeshTabIn(page, theme, 'orders');
    const summary = page.getByRole('navigation', { name: 'Mesh summary' });
    await expect(summary).toBeInViewport({ ratio: 1 });
    for (const fact of [
      /^OK: Enrollment: \d+\/\d+ pods captured$/,
      /^OK: Waypoint: waypoint ready$/,
      /mTLS: (Strict|Partial|None|Unknown)$/,
      /Default deny: (on|off)$/,
      /Health: /,
      /Diagnostics: /,
    ]) {
      await expect(summary.getByRole('link', { name: fact })).toBeVisible();
    }
    // The top of the diagnostics is on the first screen too
    const diagnostics = page.locator('#istio-diagnostics');
    await expect(
      diagnostics.getByRole('heading', { name: 'Diagnostics', exact: true }),
    ).toBeInViewport();
    await shot(page, `summary-1440x900-${theme}`);
    await expectNoAxeViolation(page, testInfo, `summary-${theme}`);

    // A chip jumps to its section
    await summary.getByRole('link', { name: /Default deny/ }).click();
    await expect(page.locator('#istio-policies')).toBeInViewport();
  });
}

for (const theme of THEMES) {
  test(`charts show axes, a legend and the values under the pointer (${theme} theme)`, async ({
    page,
  }, testInfo) => {
    await openMeshTabIn(page, theme, 'orders');
    const signals = meshSection(page, 'Golden signals');
    await signals
      .getByRole('combobox', { name: 'Rate window' })
      .selectOption('1m');
    await signals
      .getByRole('combobox', { name: 'Chart range' })
      .selectOption('15m');
    const chart = signals.getByRole('img', { name: /^Request rate in req\/s/ });
    await chart.scrollIntoViewIfNeeded();
    await expect(
      signals.getByRole('list', { name: 'Legend of Latency' }),
    ).toContainText('p99');
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    const tooltip = signals.getByRole('tooltip');
    await expect(tooltip).toBeVisible();
    await expect(tooltip).toContainText(/Requests: \d+(\.\d+)? req\/s/);
    await expectInkOf(tooltip, theme);
    await shot(page, `chart-tooltip-${theme}`);
    await expectNoAxeViolation(page, testInfo, `chart-tooltip-${theme}`);
  });

  test(`the traffic graph shows the callers of orders and what it calls, with rates (${theme} theme)`, async ({
    page,
  }, testInfo) => {
    await openMeshTabIn(page, theme, 'orders');
    const section = page.getByRole('region', {
      name: 'Traffic graph',
      exact: true,
    });
    const graph = section.getByTestId('istio-traffic-graph');
    await expect(graph).toBeVisible();
    await graph.scrollIntoViewIfNeeded();
    // The demo's frontend calls orders
    const frontend = graph.getByText('frontend', { exact: true });
    await expect(frontend).toBeVisible();
    await expect(
      graph.getByText(/^\d+(\.\d+)? (req|conn)\/s · /).first(),
    ).toBeVisible();
    await expect(
      graph.getByRole('link', { name: /^frontend/ }),
    ).toHaveAttribute('href', '/catalog/default/component/frontend');
    await expectInkOf(frontend, theme);
    await shot(page, `traffic-graph-${theme}`);
    await expectNoAxeViolation(page, testInfo, `traffic-graph-${theme}`);
  });

  test(`a click on a trace opens its spans as a waterfall (${theme} theme)`, async ({
    page,
  }, testInfo) => {
    await openMeshTabIn(page, theme, 'orders');
    const traces = meshSection(page, 'Traces');
    const open = traces
      .getByRole('button', { name: /^Show the spans of trace/ })
      .first();
    await open.click();
    const waterfall = traces.getByRole('region', { name: /^Spans of trace / });
    await expect(waterfall).toBeVisible();
    await expect(
      waterfall.getByRole('heading', {
        name: /^Trace [0-9a-f]{16}: \d+ spans?, /,
      }),
    ).toBeVisible();
    const rows = waterfall.getByRole('listitem');
    expect(await rows.count()).toBeGreaterThan(0);
    await expect(rows.first()).toContainText('orders');
    await rows.first().getByRole('button').click();
    await expect(waterfall.getByText('http.status_code')).toBeVisible();
    await expectInkOf(rows.first().getByRole('button'), theme);
    await waterfall.scrollIntoViewIfNeeded();
    await shot(page, `trace-waterfall-${theme}`);
    await expectNoAxeViolation(page, testInfo, `trace-waterfall-${theme}`);
  });
}

test('the signals of reports tell the truth about its waypoint, with no axe violation', async ({
  page,
}, testInfo) => {
  await openMeshTab(page, 'reports');
  const summary = page.getByRole('navigation', { name: 'Mesh summary' });
  const waypoint = await summary
    .getByRole('link', { name: /Waypoint: / })
    .innerText();
  const signals = meshSection(page, 'Golden signals');
  // The onboarding test may have deployed a waypoint for reports already
  if (/none \(L4 only\)/.test(waypoint)) {
    await expect(
      signals.getByText(
        /^No waypoint serves this service, so only L4 signals exist/,
      ),
    ).toBeVisible();
  } else {
    await expect(
      signals
        .getByText(
          /serves this service, but it has reported no request over the last/,
        )
        .or(signals.getByRole('img', { name: /^Request rate in req\/s/ })),
    ).toBeVisible();
    await expect(
      signals.getByText(/^No waypoint serves this service/),
    ).toHaveCount(0);
  }
  await shot(page, 'reports-signals', true);
  await expectNoAxeViolation(page, testInfo, 'reports');
});
