import { test, expect } from '@playwright/test';
import { meshSection, openMeshTab, saveScreenshot } from './meshTab';

const backendUrl = process.env.BACKEND_URL ?? 'http://localhost:7007';

// Runs in the second phase of scripts/e2e.sh: the sandbox with
// SANDBOX_LAYOUT=sail, the guest signed in as the platform admin.
// Sail Operator's defaults (istio-ecosystem/sail-operator api/v1
// ztunnel_types.go and istiocni_types.go): the ZTunnel resource installs
// ztunnel in namespace `ztunnel`, the IstioCNI resource istio-cni in
// `istio-cni`; nothing of them runs in istio-system.

async function guestToken(
  request: import('@playwright/test').APIRequestContext,
) {
  const refresh = await request.get(`${backendUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(refresh.status()).toBe(200);
  return (await refresh.json()).backstageIdentity.token as string;
}

test('@sail the tab finds ztunnel and istio-cni in Sail namespaces: pods captured, no missing-node-agent diagnostic', async ({
  page,
}) => {
  await openMeshTab(page, 'orders');
  const mesh = meshSection(page, 'Mesh status');
  await expect(
    mesh.getByText('Namespace microservices is enrolled in ambient mode', {
      exact: true,
    }),
  ).toBeVisible();
  const podRows = mesh.getByRole('row').filter({ hasText: /^orders-/ });
  await expect(podRows.first()).toBeVisible();
  for (const row of await podRows.all()) {
    await expect(row).toContainText('Captured by ztunnel');
  }
  // What the tab says when it looks for the node agents in istio-system and
  // kube-system only (plugins/istio-node platformDiagnostics)
  await expect(
    mesh.getByRole('heading', { name: /ztunnel is not installed/ }),
  ).toHaveCount(0);
  await expect(
    mesh.getByRole('heading', { name: /istio-cni is not installed/ }),
  ).toHaveCount(0);
  await saveScreenshot(page, 'mesh-sail-layout');
});

test('@sail istio:mesh:check passes ztunnel in namespace ztunnel and istio-cni in istio-cni', async ({
  request,
}) => {
  const token = await guestToken(request);
  const template = {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'sail-mesh-check' },
    spec: {
      type: 'service',
      parameters: [],
      steps: [
        {
          id: 'check',
          name: 'Check the ambient prerequisites',
          action: 'istio:mesh:check',
          input: { cluster: 'sandbox' },
        },
      ],
      output: {
        ready: '${{ steps.check.output.ready }}',
        checks: '${{ steps.check.output.checks }}',
      },
    },
  };
  const response = await request.post(
    `${backendUrl}/api/scaffolder/v2/dry-run`,
    {
      headers: { authorization: `Bearer ${token}` },
      data: { template, values: {}, secrets: {}, directoryContents: [] },
    },
  );
  expect(response.status(), await response.text()).toBe(200);
  const result = await response.json();
  const checks: { id: string; status: string; detail: string }[] =
    result.output.checks;
  const byId = Object.fromEntries(checks.map(c => [c.id, c]));
  expect(byId['ztunnel-ready']).toMatchObject({
    status: 'pass',
    detail: expect.stringMatching(/^ztunnel\/ztunnel: \d+ of \d+ pods ready$/),
  });
  expect(byId['istio-cni-ready']).toMatchObject({
    status: 'pass',
    detail: expect.stringMatching(
      /^istio-cni\/istio-cni-node: \d+ of \d+ pods ready$/,
    ),
  });
  expect(
    checks.filter(c => c.status === 'fail'),
    'failed checks',
  ).toEqual([]);
  expect(result.output.ready).toBe(true);
});
