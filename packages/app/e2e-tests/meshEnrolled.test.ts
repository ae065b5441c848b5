import { test, expect } from '@playwright/test';
import {
  meshSection,
  openMeshTab,
  parseRate,
  saveScreenshot,
  signalValue,
  waitForSections,
} from './meshTab';

test('an enrolled component shows captured pods, a ready waypoint, its mTLS posture, traffic and traces', async ({
  page,
}) => {
  await openMeshTab(page, 'orders');
  const mesh = meshSection(page, 'Mesh status');

  await test.step('every pod is captured by ztunnel', async () => {
    await expect(
      mesh.getByText('Namespace microservices is enrolled in ambient mode', {
        exact: true,
      }),
    ).toBeVisible();
    const summary = mesh.getByText(/pods captured by ztunnel/);
    const [, captured, total] =
      /(\d+) of (\d+)/.exec(await summary.innerText()) ?? [];
    expect(Number(total)).toBeGreaterThan(0);
    expect(Number(captured)).toBe(Number(total));
    const podRows = mesh.getByRole('row').filter({ hasText: /^orders-/ });
    await expect(podRows).toHaveCount(Number(total));
    for (const row of await podRows.all()) {
      await expect(row).toContainText('Captured by ztunnel');
    }
  });

  await test.step('the waypoint is ready and bound to the service', async () => {
    await expect(
      mesh.getByText('Waypoint microservices/waypoint is ready', {
        exact: true,
      }),
    ).toBeVisible();
    await expect(
      mesh.getByText('orders: bound', { exact: false }),
    ).toBeVisible();
  });

  await test.step('the mTLS posture shows a grade and the configured mode', async () => {
    await expect(
      mesh.getByRole('heading', { name: 'mTLS posture' }),
    ).toBeVisible();
    await expect(
      mesh.getByText(/^(OK|Warning|Error|Info): Grade: (Strict|Partial|None)$/),
    ).toBeVisible();
    await expect(mesh.getByText(/PeerAuthentication/).first()).toBeVisible();
  });

  await test.step('Prometheus reports requests, mTLS is observed and traces are listed', async () => {
    // The shortest rate window has data after a few scrapes of the sandbox
    await meshSection(page, 'Golden signals')
      .getByRole('combobox', { name: 'Rate window' })
      .selectOption('1m');
    const traces = meshSection(page, 'Traces');
    await expect(traces.getByRole('tab', { name: 'Recent' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh now' }).click();
      await waitForSections(page);
      const rps = parseRate(
        await signalValue(page, 'Requests per second').innerText(),
      );
      expect(rps, 'requests per second').toBeGreaterThan(0);
      await expect(
        mesh.getByText(/of inbound connections use mTLS$/),
      ).toBeVisible({ timeout: 1_000 });
      await expect(
        traces
          .getByRole('button', {
            name: /^Show the spans of trace\s*[0-9a-f]{8}\s*[0-9a-f]*$/,
          })
          .or(traces.getByRole('cell', { name: /^[0-9a-f]{16}$/ }))
          .first(),
      ).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
    await expect(
      meshSection(page, 'Golden signals').getByRole('heading', {
        name: 'Requests',
      }),
    ).toBeVisible();
  });

  await saveScreenshot(page, 'mesh-enrolled');
});
