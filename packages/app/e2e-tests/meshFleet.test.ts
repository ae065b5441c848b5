import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';
import { saveScreenshot } from './meshTab';

/** The link of a component to its Service Mesh tab. */
const tabLink = (page: import('@playwright/test').Page, name: string) =>
  page.locator(`a[href$="/catalog/default/component/${name}/mesh"]`);

const DEMO_COMPONENTS = [
  'frontend',
  'orders',
  'payments',
  'inventory',
  'productpage',
  'ledger',
  'traefik',
];

test('the fleet page lists the demo components with their grades, filters them and links to their tab', async ({
  page,
}) => {
  const fleetRequests: string[] = [];
  page.on('request', r => {
    if (r.url().includes('/api/istio/v1/fleet')) fleetRequests.push(r.url());
  });
  await page.goto('/mesh-fleet');
  const enter = page.getByRole('button', { name: 'Enter' });
  const heading = page.getByRole('heading', { name: 'Service Mesh fleet' });
  await expect(enter.or(heading).first()).toBeVisible();
  if (await enter.isVisible()) await signInAsGuest(page);
  await expect(page.getByRole('link', { name: 'Mesh fleet' })).toBeVisible();

  await test.step('every demo component shows, with an mTLS grade', async () => {
    for (const name of DEMO_COMPONENTS) {
      const link = tabLink(page, name);
      await expect(link).toBeVisible({ timeout: 60_000 });
      const row = page.getByRole('row').filter({ has: link });
      await expect(row.first()).toContainText(/strict|partial|none|unknown/);
    }
    // Health from the golden signals, read from Prometheus for the whole page
    const health = page
      .getByRole('row')
      .filter({ has: tabLink(page, 'orders') })
      .first()
      .getByRole('cell')
      .nth(8);
    await expect(health).toContainText(
      /^(healthy|degraded|failure|no-traffic|unknown)/,
    );
    // The whole fleet came from one backend request
    expect(fleetRequests).toHaveLength(1);
    await saveScreenshot(page, 'mesh-fleet');
  });

  await test.step('the owner filter keeps team-finance only', async () => {
    await page.getByTestId('select').nth(0).getByRole('button').click();
    await page
      .getByRole('option', { name: 'team-finance', exact: true })
      .click();
    await expect(tabLink(page, 'ledger')).toBeVisible();
    await expect(tabLink(page, 'orders')).toHaveCount(0);
    await saveScreenshot(page, 'mesh-fleet-owner-filter');
    await page.getByTestId('select').nth(0).getByRole('button').click();
    await page.getByRole('option', { name: 'All', exact: true }).click();
  });

  await test.step('the grade filter keeps rows of that grade only', async () => {
    const gradeCell = page
      .getByRole('row')
      .filter({ has: tabLink(page, 'orders') })
      .first()
      .getByRole('cell')
      .nth(6);
    const grade = (await gradeCell.innerText()).trim();
    await page.getByTestId('select').nth(3).getByRole('button').click();
    await page.getByRole('option', { name: grade, exact: true }).click();
    const rows = page.getByRole('row').filter({ has: page.getByRole('link') });
    await expect(tabLink(page, 'orders')).toBeVisible();
    for (const row of await rows.all()) {
      await expect(row.getByRole('cell').nth(6)).toHaveText(grade);
    }
  });

  await test.step('a component links to its Service Mesh tab', async () => {
    await tabLink(page, 'orders').click();
    await expect(page).toHaveURL(
      /\/catalog\/default\/component\/orders\/mesh$/,
    );
  });
});
