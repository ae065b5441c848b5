import { expect, Page } from '@playwright/test';

/** Signs in through the guest provider of the development sign-in page. */
export async function signInAsGuest(page: Page) {
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
}
