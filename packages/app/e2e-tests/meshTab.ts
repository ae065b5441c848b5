import { expect, Locator, Page } from '@playwright/test';
import { signInAsGuest } from './signIn';

/** The sections of the Service Mesh tab, each a named `region`. */
export type MeshSectionName = 'Mesh status' | 'Golden signals' | 'Traces';

/** Where the Service Mesh tab of a demo component lives. */
export function meshTabPath(component: string): string {
  return `/catalog/default/component/${component}/mesh`;
}

/**
 * Opens the Service Mesh tab of a demo component, signing in as guest when
 * the sign-in page shows, and waits until every section has loaded.
 */
export async function openMeshTab(page: Page, component: string) {
  await page.goto(meshTabPath(component));
  const enter = page.getByRole('button', { name: 'Enter' });
  const tabLink = page.getByRole('link', { name: 'Service Mesh' });
  await expect(enter.or(tabLink).first()).toBeVisible();
  if (await enter.isVisible()) {
    await signInAsGuest(page);
  }
  await expect(tabLink).toBeVisible();
  await waitForSections(page);
}

/** The region of one section of the tab. */
export function meshSection(page: Page, name: MeshSectionName): Locator {
  return page.getByRole('region', { name, exact: true });
}

/** Waits until the three sections are shown and none of them is loading. */
export async function waitForSections(page: Page) {
  for (const name of ['Mesh status', 'Golden signals', 'Traces'] as const) {
    const section = meshSection(page, name);
    await expect(section).toBeVisible();
    // core-components' Progress marks itself with this test id
    await expect(section.getByTestId('progress')).toHaveCount(0);
  }
}

/**
 * The current value of a golden signal (e.g. "Requests per second"): the
 * paragraph that follows its name in the Golden signals section.
 */
export function signalValue(page: Page, signal: string): Locator {
  return meshSection(page, 'Golden signals')
    .getByText(signal, { exact: true })
    .locator('xpath=following-sibling::*[1]');
}

/** Parses a rate such as `2.42/s`; NaN for `n/a`. */
export function parseRate(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\/s$/.exec(text.trim());
  return match ? Number(match[1]) : Number.NaN;
}

/** Saves a full-page screenshot under test-results/screenshots/. */
export async function saveScreenshot(page: Page, name: string) {
  await page.screenshot({
    path: `test-results/screenshots/${name}.png`,
    fullPage: true,
  });
}
