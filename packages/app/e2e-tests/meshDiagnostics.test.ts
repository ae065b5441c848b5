import { test, expect } from '@playwright/test';
import { meshSection, openMeshTab, saveScreenshot } from './meshTab';

// The seed (packages/mesh-sandbox/src/seed/demoTraffic.ts) brings a VirtualService for a
// service no waypoint serves, an HTTPRoute whose parent Service is missing, and an
// PeerAuthentication whose selector matches no pod.

test('a VirtualService that no waypoint applies shows with the template that deploys one', async ({
  page,
}) => {
  await openMeshTab(page, 'reports');
  const mesh = meshSection(page, 'Mesh status');
  const group = mesh.getByRole('group', {
    name: 'VirtualService reporting/reports',
  });
  await expect(
    group.getByRole('heading', {
      name: 'Warning: VirtualService that no waypoint applies',
    }),
  ).toBeVisible();
  // One line each: the field, evidence and fix open on demand
  await group
    .getByRole('button', {
      name: 'Evidence and fix of VirtualService that no waypoint applies',
    })
    .click();
  await expect(group.getByText('spec.hosts[0]', { exact: true })).toBeVisible();
  const link = group.getByRole('link', {
    name: 'Fix with template onboard-namespace',
  });
  await expect(link).toBeVisible();
  const href = (await link.getAttribute('href')) ?? '';
  expect(
    JSON.parse(new URLSearchParams(href.split('?')[1]).get('formData') ?? '{}'),
  ).toMatchObject({
    namespace: 'reporting',
    waypoint: true,
  });
  const traffic = mesh
    .getByRole('row')
    .filter({ hasText: 'VirtualService' })
    .filter({ hasText: 'reporting/reports' });
  await expect(traffic).toContainText('Nobody');
  await saveScreenshot(page, 'mesh-diagnostics-reports');
});

test('an HTTPRoute whose parent is missing and a policy that selects nothing show with their fixes', async ({
  page,
}) => {
  await openMeshTab(page, 'payments');
  const mesh = meshSection(page, 'Mesh status');

  await test.step('the HTTPRoute, under errors', async () => {
    const errors = mesh.getByRole('region', { name: /^Errors/ });
    const route = errors.getByRole('group', {
      name: 'HTTPRoute microservices/payments-canary',
    });
    await expect(
      route.getByRole('heading', {
        name: 'Error: HTTPRoute parent Service not found',
      }),
    ).toBeVisible();
    await route
      .getByRole('button', {
        name: 'Evidence and fix of HTTPRoute parent Service not found',
      })
      .click();
    await expect(
      route.getByText('spec.parentRefs[0]', { exact: true }),
    ).toBeVisible();
    await expect(route.getByText('Run this command:')).toBeVisible();
    await expect(
      route.getByText(/kubectl get services -n microservices/).first(),
    ).toBeVisible();
    await expect(
      mesh
        .getByRole('row')
        .filter({ hasText: 'microservices/payments-canary' }),
    ).toContainText('HTTPRoute parent Service not found');
  });

  await test.step('the PeerAuthentication, under warnings', async () => {
    const warnings = mesh.getByRole('region', { name: /^Warnings/ });
    const policy = warnings.getByRole('group', {
      name: 'PeerAuthentication microservices/orders-v0-strict',
    });
    await expect(
      policy.getByRole('heading', {
        name: 'Warning: PeerAuthentication selects no workload',
      }),
    ).toBeVisible();
    await policy
      .getByRole('button', {
        name: 'Evidence and fix of PeerAuthentication selects no workload',
      })
      .click();
    await expect(
      policy
        .getByText(
          /kubectl get pods -n microservices -l backstage.io\/kubernetes-id=orders,version=v0/,
        )
        .first(),
    ).toBeVisible();
  });
  await saveScreenshot(page, 'mesh-diagnostics-payments');
});
