import { fireEvent, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { coreApis } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { FleetResponse, fleetEntry } from '@ambient-mesh/plugin-istio-common';
import { BASE_URL, server } from '../../__testUtils__/server';
import {
  enrolledStatus,
  notEnrolledStatus,
} from '../../__testUtils__/fixtures';
import { FleetPage } from './FleetPage';

const component = (name: string, owner: string, system?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner, ...(system ? { system } : {}) },
});

/** The fleet answer, built with the summary the backend uses. */
const ordersEntry = fleetEntry(component('orders', 'team-commerce', 'shop'), [
  { cluster: 'sandbox', data: enrolledStatus() },
]);
// The health the backend adds from Prometheus (FleetHealthReader)
ordersEntry.clusters[0].health = {
  grade: 'degraded',
  rps: 20,
  errorRatio5xx: 0.05,
  errorRatio4xx: 0,
};
const fleet: FleetResponse = {
  items: [
    ordersEntry,
    fleetEntry(component('ledger', 'team-finance', 'payments'), [
      { cluster: 'sandbox', data: notEnrolledStatus() },
    ]),
  ],
  totalItems: 2,
};

describe('FleetPage', () => {
  registerMswTestHooks(server);

  async function render(answer: FleetResponse = fleet) {
    const requests: string[] = [];
    server.use(
      http.get(`${BASE_URL}/v1/fleet`, ({ request }) => {
        requests.push(request.url);
        return HttpResponse.json(answer);
      }),
    );
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            coreApis.discovery,
            mockApis.discovery({ baseUrl: 'http://backend.test' }),
          ],
          [coreApis.fetch, new MockFetchApi()],
        ]}
      >
        <FleetPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    return requests;
  }

  it('shows every component per cluster with its grade, from one request', async () => {
    const requests = await render();
    const orders = await screen.findByRole('link', { name: 'orders' });
    expect(orders.getAttribute('href')).toBe(
      '/catalog/default/component/orders/mesh',
    );
    expect(screen.getByRole('link', { name: 'ledger' })).toBeInTheDocument();
    const ordersRow = orders.closest('tr')!;
    expect(
      within(ordersRow).getByText(enrolledStatus().mtls.grade),
    ).toBeInTheDocument();
    expect(requests).toHaveLength(1);
  });

  it('shows the health grade and the error ratios behind it', async () => {
    await render();
    const row = (await screen.findByRole('link', { name: 'orders' })).closest(
      'tr',
    )!;
    expect(within(row).getByText('degraded')).toBeInTheDocument();
    expect(
      within(row).getByText('5.0 % 5xx, 0.0 % 4xx of 20.0 req/s'),
    ).toBeInTheDocument();
    const ledger = screen.getByRole('link', { name: 'ledger' }).closest('tr')!;
    // No Prometheus answer for ledger: no grade
    expect(within(ledger).getAllByText('-').length).toBeGreaterThan(0);
  });

  it('shows 50 entities from one backend request', async () => {
    const items = Array.from({ length: 50 }, (_, i) =>
      fleetEntry(component(`svc-${i}`, 'team-commerce'), [
        { cluster: 'sandbox', data: enrolledStatus() },
      ]),
    );
    const requests = await render({ items, totalItems: 50 });
    await screen.findByRole('link', { name: 'svc-0' });
    expect(screen.getByRole('link', { name: 'svc-49' })).toBeInTheDocument();
    expect(screen.getByText('Components (50)')).toBeInTheDocument();
    expect(requests).toHaveLength(1);
  });

  it('filters by owner', async () => {
    await render();
    await screen.findByRole('link', { name: 'orders' });
    fireEvent.mouseDown(
      within(screen.getAllByTestId('select')[0]).getByRole('button'),
    );
    fireEvent.click(
      await screen.findByRole('option', { name: 'team-finance' }),
    );
    expect(
      await screen.findByRole('link', { name: 'ledger' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'orders' })).toBeNull();
  });
});
