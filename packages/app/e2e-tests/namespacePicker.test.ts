import { test, expect } from '@playwright/test';
import { saveScreenshot } from './meshTab';
import { signInAsGuest } from './signIn';

/**
 * The templates' namespace picker lists the namespaces the guest (a
 * developer of team-commerce) may change: those team-commerce's entities
 * claim in examples/components.yaml, not team-finance's or the platform's.
 */
test("the namespace picker of a template shows the guest's namespaces with their mesh state and owner", async ({
  page,
}) => {
  await page.goto('/create/templates/default/mesh-policy');
  await signInAsGuest(page);
  await expect(page.getByRole('textbox', { name: 'Namespace' })).toBeVisible();
  const choices = page.getByRole('list', {
    name: 'Namespaces you may change',
  });
  await expect(choices.getByRole('button')).toHaveCount(3);
  const names = await choices
    .getByRole('button')
    .evaluateAll(items =>
      items.map(i => i.querySelector('span')?.textContent ?? ''),
    );
  expect(names).toEqual(['bookinfo', 'microservices', 'reporting']);
  // microservices: enrolled by the sandbox's seed, with its waypoint
  await expect(
    choices.getByRole('button', { name: /^microservices/ }),
  ).toContainText(
    /ambient, waypoint waypoint, (no )?default deny · owner team-commerce/,
  );
  await choices.getByRole('button', { name: /^bookinfo/ }).click();
  await expect(page.getByRole('textbox', { name: 'Namespace' })).toHaveValue(
    'bookinfo',
  );
  await saveScreenshot(page, 'namespace-picker');
});
