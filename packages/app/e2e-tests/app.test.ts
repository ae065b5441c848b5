import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';

const demoComponents = [
  { name: 'frontend', title: 'Storefront frontend' },
  { name: 'orders', title: 'Orders service' },
  { name: 'payments', title: 'Payments service' },
  { name: 'inventory', title: 'Inventory service' },
  { name: 'reports', title: 'Reports service' },
];

test('the catalog lists the demo components', async ({ page }) => {
  await page.goto('/');
  await signInAsGuest(page);

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  const table = page.getByRole('table');
  for (const { name, title } of demoComponents) {
    const link = table.getByRole('link', { name: title, exact: true });
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute(
      'href',
      `/catalog/default/component/${name}`,
    );
  }

  await page.screenshot({
    path: 'test-results/screenshots/catalog.png',
    fullPage: true,
  });
});
