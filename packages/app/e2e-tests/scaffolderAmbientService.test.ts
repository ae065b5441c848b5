import { test, expect } from '@playwright/test';
import { meshSection, saveScreenshot, waitForSections } from './meshTab';
import { signInAsGuest } from './signIn';

/**
 * "Service in the ambient mesh" end to end in the dev portal: published next
 * to the portal and registered in the catalog (portal:publish:local), its
 * namespace enrolled with a waypoint, its manifests applied to the sandbox
 * (istio:manifests:apply), whose controllers start the Deployment's pods.
 * Runs after the tests that count the demo components (a new one appears).
 */
test('the ambient-service template creates a component whose Service Mesh tab shows its pods captured and its waypoint', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const name = `hello-${Date.now().toString(36)}`;

  await test.step('the form, filled through the scaffolder UI', async () => {
    await page.goto('/create/templates/default/ambient-service');
    await signInAsGuest(page);
    await expect(
      page.getByRole('heading', { name: 'Service in the ambient mesh' }),
    ).toBeVisible();
    await page.getByRole('textbox', { name: 'Name' }).fill(name);
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(
      page.getByRole('checkbox', { name: 'Waypoint' }),
    ).toBeChecked();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    // Publish: local by default (no git host in the dev portal)
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    // Delivery: the portal's default (apply in app-config.yaml)
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await expect(page.getByRole('row', { name: `Name ${name}` })).toBeVisible();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
  });

  await test.step('the task publishes, enrolls, deploys and links to the tab', async () => {
    await expect(page).toHaveURL(/\/create\/tasks\/[0-9a-f-]+$/);
    // The template's output: its links and the "Mesh" text
    const link = page.getByRole('link', { name: 'Service Mesh tab' });
    await expect(link).toBeVisible({ timeout: 120_000 });
    await expect(
      page.getByRole('heading', { name: 'Mesh', exact: true }),
    ).toBeVisible();
    // The Markdown text breaks its lines: match each one
    const output = page.getByTestId('text-output-box');
    await expect(output).toContainText(`Namespace ${name}:`);
    await expect(output).toContainText('Waypoint: waypoint.');
    await expect(output).toContainText('Service: 3 created.');
    await expect(
      page.getByRole('link', { name: 'Open in catalog' }),
    ).toBeVisible();
    await saveScreenshot(page, 'ambient-service-task-completed');
    await expect(link).toHaveAttribute(
      'href',
      `/catalog/default/component/${name}/mesh`,
    );
    await link.click();
  });

  await test.step("the new component's tab shows its pods captured and the waypoint", async () => {
    await expect(page).toHaveURL(
      new RegExp(`/catalog/default/component/${name}/mesh$`),
    );
    const mesh = meshSection(page, 'Mesh status');
    // Mesh statuses are cached for istio.cacheTtlSeconds; the pods start on
    // the sandbox controllers' ticks
    await expect(async () => {
      await page.reload();
      await waitForSections(page);
      await expect(
        mesh.getByText(`Namespace ${name} is enrolled in ambient mode`, {
          exact: true,
        }),
      ).toBeVisible({ timeout: 1_000 });
      await expect(mesh.getByText('2 of 2', { exact: true })).toBeVisible({
        timeout: 1_000,
      });
      await expect(
        mesh.getByText(`Waypoint ${name}/waypoint is ready`, { exact: true }),
      ).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 90_000, intervals: [5_000] });
    const podRows = mesh
      .getByRole('row')
      .filter({ hasText: new RegExp(`^${name}-`) });
    await expect(podRows).toHaveCount(2);
    for (const row of await podRows.all()) {
      await expect(row).toContainText('Captured by ztunnel');
    }
    await saveScreenshot(page, 'ambient-service-mesh-tab');
  });
});
