import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/react';
import {
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { ClusterMeshStatus } from '@ambient-mesh/plugin-istio-common';
import { istioApiRef } from '../../api';
import { enrolledStatus, ordersEntity } from '../../__testUtils__/fixtures';
import { entityHandlers, server, testClient } from '../../__testUtils__/server';
import { IstioContent } from './IstioContent';

const entityRef = 'component:default/orders';

/** An enrolled status with the routes of the Service and diagnostics about them. */
function statusWithTraffic(): ClusterMeshStatus {
  const status = enrolledStatus();
  return {
    ...status,
    diagnostics: [
      {
        id: 'virtual-service-needs-waypoint',
        severity: 'warning',
        title: 'VirtualService that no waypoint applies',
        message:
          'VirtualService shop/orders has HTTP routes but no waypoint serves the Service.',
        evidence: [
          'VirtualService shop/orders spec.hosts[0]: orders -> Service shop/orders',
        ],
        fix: {
          kind: 'template',
          templateRef: 'template:default/onboard-namespace',
          values: { namespace: 'shop', cluster: 'sandbox', waypoint: true },
        },
        object: {
          kind: 'VirtualService',
          name: 'orders',
          namespace: 'shop',
          field: 'spec.hosts[0]',
        },
      },
      {
        id: 'route-parent-not-found',
        severity: 'error',
        title: 'HTTPRoute parent Service not found',
        message:
          'HTTPRoute shop/orders-canary attaches to the Service shop/orders-v2, which does not exist.',
        evidence: [
          'HTTPRoute shop/orders-canary spec.parentRefs[0]: Service shop/orders-v2 (not found)',
        ],
        fix: { kind: 'command', command: 'kubectl get services -n shop' },
        object: {
          kind: 'HTTPRoute',
          name: 'orders-canary',
          namespace: 'shop',
          field: 'spec.parentRefs[0]',
        },
      },
      {
        id: 'virtual-service-subset-not-found',
        severity: 'warning',
        title: 'Route to a subset no DestinationRule defines',
        message:
          'VirtualService shop/orders routes to subset v2, which no DestinationRule defines.',
        evidence: [
          'VirtualService shop/orders spec.http[0].route[0].destination.subset: v2',
        ],
        object: {
          kind: 'VirtualService',
          name: 'orders',
          namespace: 'shop',
          field: 'spec.http[0].route[0].destination.subset',
        },
      },
    ],
    traffic: {
      rules: [
        {
          kind: 'VirtualService',
          name: 'orders',
          namespace: 'shop',
          targets: ['orders'],
          enforcer: 'nobody',
          status: 'ignored',
          statusMessage: 'VirtualService that no waypoint applies',
        },
        {
          kind: 'HTTPRoute',
          name: 'orders-canary',
          namespace: 'shop',
          targets: ['Service shop/orders-v2'],
          enforcer: 'nobody',
          status: 'error',
          statusMessage: 'HTTPRoute parent Service not found',
        },
        {
          kind: 'DestinationRule',
          name: 'orders',
          namespace: 'shop',
          targets: ['orders.shop.svc.cluster.local'],
          enforcer: 'waypoint',
          enforcedBy: 'shop/waypoint',
          status: 'ok',
          statusMessage: 'Applied by the waypoint shop/waypoint',
        },
      ],
    },
  };
}

describe('IstioContent traffic management and grouped diagnostics', () => {
  registerMswTestHooks(server);

  async function renderTab(status: ClusterMeshStatus) {
    server.use(
      ...entityHandlers({
        mesh: { entityRef, clusters: [{ cluster: 'sandbox', data: status }] },
      }),
    );
    await renderInTestApp(
      <TestApiProvider apis={[[istioApiRef, testClient()]]}>
        <EntityProvider entity={ordersEntity}>
          <IstioContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    return screen.getByRole('region', { name: 'Mesh status' });
  }

  it('groups diagnostics by severity, then by the object they are about', async () => {
    const mesh = await renderTab(statusWithTraffic());
    const errors = await within(mesh).findByRole('region', {
      name: 'Errors (1)',
    });
    const warnings = within(mesh).getByRole('region', { name: 'Warnings (2)' });
    expect(
      within(errors).getByRole('group', {
        name: 'HTTPRoute shop/orders-canary',
      }),
    ).toBeInTheDocument();
    const vs = within(warnings).getByRole('group', {
      name: 'VirtualService shop/orders',
    });
    expect(
      within(vs)
        .getAllByRole('heading', { level: 4 })
        .map(h => h.textContent),
    ).toEqual([
      'Warning: VirtualService that no waypoint applies',
      'Warning: Route to a subset no DestinationRule defines',
    ]);
    // One line each; the field, evidence and fix open on demand
    await userEvent.click(
      within(vs).getByRole('button', {
        name: 'Evidence and fix of VirtualService that no waypoint applies',
      }),
    );
    expect(within(vs).getByText('spec.hosts[0]')).toBeInTheDocument();
    expect(
      within(vs).getByRole('link', {
        name: 'Fix with template onboard-namespace',
      }),
    ).toBeInTheDocument();
    const route = within(errors).getByRole('group', {
      name: 'HTTPRoute shop/orders-canary',
    });
    await userEvent.click(
      within(route).getByRole('button', { name: /^Evidence and fix of / }),
    );
    expect(
      await within(errors).findByText('kubectl get services -n shop'),
    ).toBeInTheDocument();
  });

  it('lists the routes and DestinationRules that apply, who enforces them and their status', async () => {
    const mesh = await renderTab(statusWithTraffic());
    const card = (
      await within(mesh).findByRole('heading', {
        level: 3,
        name: 'Traffic management',
      })
    ).closest('.MuiCard-root') as HTMLElement;
    const rows = within(card)
      .getAllByRole('row')
      .slice(1)
      .map(r => r.textContent);
    expect(rows).toEqual([
      expect.stringMatching(
        /^VirtualServiceshop\/ordersordersNobody.*VirtualService that no waypoint applies$/,
      ),
      expect.stringMatching(
        /^HTTPRouteshop\/orders-canaryService shop\/orders-v2Nobody.*HTTPRoute parent Service not found$/,
      ),
      expect.stringMatching(
        /^DestinationRuleshop\/ordersorders\.shop\.svc\.cluster\.localWaypoint shop\/waypoint.*Applied by the waypoint shop\/waypoint$/,
      ),
    ]);
  });

  it('says so when no route applies, and hides the part when routes were not read', async () => {
    const mesh = await renderTab({
      ...enrolledStatus(),
      traffic: { rules: [] },
    });
    expect(
      await within(mesh).findByText(
        /No VirtualService, HTTPRoute, GRPCRoute or DestinationRule applies/,
      ),
    ).toBeInTheDocument();
  });
});
