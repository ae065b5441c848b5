import { test, expect } from '@playwright/test';
import {
  meshSection,
  openMeshTab,
  parseRate,
  saveScreenshot,
  signalValue,
  waitForSections,
} from './meshTab';

// The sandbox's bookinfo-like app (packages/mesh-sandbox/src/seed/bookinfo.ts):
// Deployment productpage-v1 behind Service productpage, as in Istio's bookinfo
// sample; ztunnel labels its series destination_workload="productpage-v1" and
// destination_service_name="productpage" (istio/ztunnel 1.28.0 src/proxy/metrics.rs).
// Its mixed L4/L7 DENY denies every call from microservices at ztunnel
// (istio/istio pilot/pkg/serviceregistry/ambient/authorization.go).
test('a Service whose Deployment is named unlike it shows its pods, L4 traffic and the connections its DENY policy refuses', async ({
  page,
}) => {
  await openMeshTab(page, 'productpage');
  const mesh = meshSection(page, 'Mesh status');

  await test.step('the pods of Deployment productpage-v1 are captured', async () => {
    await expect(
      mesh.getByText('Namespace bookinfo is enrolled in ambient mode', {
        exact: true,
      }),
    ).toBeVisible();
    await expect(
      mesh
        .getByRole('row')
        .filter({ hasText: /^productpage-v1-/ })
        .first(),
    ).toBeVisible();
  });

  // istio/istio pilot/pkg/serviceregistry/ambient/authorization.go (1.28):
  // ztunnel drops the HTTP fields of a DENY rule and enforces what is left,
  // and skips a rule left with no match
  await test.step('the DENY policies say what ztunnel does with their HTTP fields', async () => {
    const errors = mesh.getByRole('region', { name: /^Errors/ });
    const mixed = errors.getByRole('group', {
      name: 'AuthorizationPolicy bookinfo/deny-delete-from-microservices',
    });
    await expect(
      mixed.getByRole('heading', {
        name: 'Error: DENY rules that ztunnel enforces without their HTTP part',
      }),
    ).toBeVisible();
    await mixed
      .getByRole('button', {
        name: 'Evidence and fix of DENY rules that ztunnel enforces without their HTTP part',
      })
      .click();
    // The full message in the opened details (the summary line shows it cut)
    await expect(
      mixed
        .getByRole('paragraph')
        .filter({ hasText: /denies every connection matching the L4 part/ }),
    ).toBeVisible();
    await expect(
      mixed.getByText(
        /bookinfo\/deny-delete-from-microservices rule 1: HTTP fields methods/,
      ),
    ).toBeVisible();

    const l7Only = errors.getByRole('group', {
      name: 'AuthorizationPolicy bookinfo/deny-admin-paths',
    });
    await expect(
      l7Only.getByRole('heading', {
        name: 'Error: DENY rules that ztunnel never fires',
      }),
    ).toBeVisible();
    await l7Only
      .getByRole('button', {
        name: 'Evidence and fix of DENY rules that ztunnel never fires',
      })
      .click();
    await expect(
      l7Only
        .getByRole('paragraph')
        .filter({ hasText: /the policy never denies anything/ }),
    ).toBeVisible();
  });

  await test.step('ztunnel reports connections and denied connections', async () => {
    await meshSection(page, 'Golden signals')
      .getByRole('combobox', { name: 'Rate window' })
      .selectOption('1m');
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh now' }).click();
      await waitForSections(page);
      const connections = parseRate(
        await signalValue(page, 'Connections per second').innerText(),
      );
      expect(connections, 'connections per second').toBeGreaterThan(0);
      const denied = parseRate(
        await signalValue(page, 'Denied connections').innerText(),
      );
      expect(denied, 'denied connections per second').toBeGreaterThan(0);
    }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
  });

  await saveScreenshot(page, 'mesh-bookinfo');
});
