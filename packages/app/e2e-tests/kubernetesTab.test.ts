import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';

const backendUrl = process.env.BACKEND_URL ?? 'http://localhost:7007';

/**
 * The Kubernetes plugin's own tab reads the same cluster entry as the
 * Service Mesh tab (kubernetes.clusterLocatorMethods in app-config.yaml):
 * the sandbox, reached over TLS with the CA file it writes at start.
 */
test('the Kubernetes tab of a demo component lists its pods on the sandbox cluster', async ({
  page,
  request,
}) => {
  await test.step('the Kubernetes backend answers without errors', async () => {
    const refresh = await request.get(`${backendUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const { backstageIdentity } = await refresh.json();
    const auth = { authorization: `Bearer ${backstageIdentity.token}` };
    const entity = await request.get(
      `${backendUrl}/api/catalog/entities/by-name/component/default/frontend`,
      { headers: auth },
    );
    expect(entity.status()).toBe(200);
    // The body @backstage/plugin-kubernetes-react's KubernetesBackendClient sends
    const objects = await request.post(
      `${backendUrl}/api/kubernetes/services/frontend`,
      { headers: auth, data: { entity: await entity.json() } },
    );
    expect(objects.status()).toBe(200);
    const { items } = await objects.json();
    expect(items.map((i: any) => i.cluster.name)).toEqual(['sandbox']);
    expect(items[0].errors).toEqual([]);
    const pods = items[0].resources.find((r: any) => r.type === 'pods');
    const names = pods.resources.map((p: any) => p.metadata.name);
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^frontend-/);
  });

  await test.step('the tab shows the cluster and the pods', async () => {
    await page.goto('/catalog/default/component/frontend/kubernetes');
    await signInAsGuest(page);
    await expect(page.getByText('sandbox', { exact: true })).toBeVisible();
    await expect(page.getByText('2 pods', { exact: true })).toBeVisible();
    await expect(
      page.getByText('No pods with errors', { exact: true }),
    ).toBeVisible();
    await expect(
      page.getByText('There was a problem retrieving Kubernetes objects'),
    ).toHaveCount(0);
    // The cluster's accordion holds the Deployment, whose accordion holds
    // its pods (the Deployment's name itself opens a drawer: open the
    // accordion on its expand button)
    await page.getByText('sandbox', { exact: true }).click();
    const deployment = page
      .getByRole('button', { expanded: false })
      .filter({ hasText: 'Deployment' })
      .filter({ hasText: 'frontend' });
    const box = (await deployment.boundingBox())!;
    await deployment.click({ position: { x: box.width - 24, y: 24 } });
    await expect(
      page.getByRole('cell', { name: /^frontend-[a-z0-9]+-[a-z0-9]+$/ }),
    ).toHaveCount(2);
    await page.screenshot({
      path: 'test-results/screenshots/kubernetes-tab.png',
      fullPage: true,
    });
  });
});
