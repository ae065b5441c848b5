import { test, expect } from '@playwright/test';
import { meshSection, openMeshTab, saveScreenshot } from './meshTab';

const backendUrl = process.env.BACKEND_URL ?? 'http://localhost:7007';

/**
 * This flow enrolls the `reporting` namespace of the sandbox, so it needs a
 * freshly started stack (scripts/e2e.sh starts one) and runs last.
 */
test.describe.serial('onboarding a component that is not in the mesh', () => {
  test('the diagnostic opens the onboarding template prefilled, and running it enrolls the component', async ({
    page,
    request,
  }) => {
    test.setTimeout(240_000);
    await openMeshTab(page, 'reports');
    const mesh = meshSection(page, 'Mesh status');

    await test.step('the tab says the namespace is not enrolled', async () => {
      await expect(
        mesh.getByRole('heading', { name: /Namespace not in ambient mode/ }),
      ).toBeVisible();
      await expect(
        mesh.getByText('Namespace reporting is not in the mesh', {
          exact: true,
        }),
      ).toBeVisible();
      await expect(mesh.getByText('0 of 1', { exact: true })).toBeVisible();
      await saveScreenshot(page, 'mesh-not-enrolled');
    });

    await test.step('the fix opens the onboarding template prefilled', async () => {
      // The namespace's own diagnostic (other diagnostics name their object);
      // each is one line, its evidence and fix open on demand
      const own = mesh.getByRole('group', { name: 'This service' });
      await own
        .getByRole('button', {
          name: /^Evidence and fix of Namespace not in ambient mode/,
        })
        .click();
      await own
        .getByRole('link', { name: 'Fix with template onboard-namespace' })
        .click();
      await expect(page).toHaveURL(
        /\/create\/templates\/default\/onboard-namespace\?formData=/,
      );
      await expect(
        page.getByRole('heading', {
          name: 'Enroll a namespace in the ambient mesh',
        }),
      ).toBeVisible();
      await expect(
        page.getByRole('textbox', { name: 'Namespace' }),
      ).toHaveValue('reporting');
      // The template's defaults are an empty cluster and a waypoint: these
      // two values come from the diagnostic
      await expect(page.getByRole('textbox', { name: 'Cluster' })).toHaveValue(
        'sandbox',
      );
      await page.getByRole('button', { name: 'Next', exact: true }).click();
      await expect(
        page.getByRole('checkbox', { name: 'Deploy a waypoint' }),
      ).not.toBeChecked();
    });

    let taskId = '';
    await test.step('the template runs through the scaffolder UI', async () => {
      await page.getByRole('button', { name: 'Next', exact: true }).click();
      await expect(
        page.getByRole('checkbox', { name: 'Zero-trust defaults' }),
      ).toBeVisible();
      // Delivery: the portal's default (apply in app-config.yaml)
      await page.getByRole('button', { name: 'Next', exact: true }).click();
      await page.getByRole('button', { name: 'Review', exact: true }).click();
      await expect(
        page.getByRole('row', { name: 'Namespace reporting' }),
      ).toBeVisible();
      await page.getByRole('button', { name: 'Create', exact: true }).click();

      await expect(page).toHaveURL(/\/create\/tasks\/[0-9a-f-]+$/);
      taskId = page.url().split('/').pop()!;
      await expect(page.getByRole('heading', { name: 'Result' })).toBeVisible({
        timeout: 90_000,
      });
      await expect(
        page.getByText(/^Namespace reporting: .*(created|updated)/),
      ).toBeVisible();
      await expect(
        page.getByText(/Finished step Enroll the namespace/).first(),
      ).toBeVisible();
      await saveScreenshot(page, 'onboarding-task-completed');
    });

    await test.step('the scaffolder records the task as completed', async () => {
      const refresh = await request.get(
        `${backendUrl}/api/auth/guest/refresh`,
        {
          headers: { 'x-requested-with': 'XMLHttpRequest' },
        },
      );
      expect(refresh.status()).toBe(200);
      const { backstageIdentity } = await refresh.json();
      const task = await request.get(
        `${backendUrl}/api/scaffolder/v2/tasks/${encodeURIComponent(taskId)}`,
        { headers: { authorization: `Bearer ${backstageIdentity.token}` } },
      );
      expect(task.status()).toBe(200);
      expect((await task.json()).status).toBe('completed');
    });

    await test.step('the reloaded tab shows the component enrolled', async () => {
      // The backend caches a mesh status for istio.cacheTtlSeconds (15 s by
      // default), so a reload right after the task may still show the old one
      await expect(async () => {
        await openMeshTab(page, 'reports');
        await expect(
          mesh.getByText('Namespace reporting is enrolled in ambient mode', {
            exact: true,
          }),
        ).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: 90_000, intervals: [5_000] });
      await expect(mesh.getByText('1 of 1', { exact: true })).toBeVisible();
      await expect(
        mesh.getByRole('row').filter({ hasText: /^reports-/ }),
      ).toContainText('Captured by ztunnel');
      await expect(
        mesh.getByRole('heading', { name: /Namespace not in ambient mode/ }),
      ).toHaveCount(0);
      await expect(
        mesh.getByText(
          /STRICT from the namespace PeerAuthentication reporting\/default/,
        ),
      ).toBeVisible();
      await saveScreenshot(page, 'mesh-after-onboarding');
    });
  });
});
