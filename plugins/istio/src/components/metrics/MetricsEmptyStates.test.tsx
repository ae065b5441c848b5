import { screen } from '@testing-library/react';
import { http } from 'msw';
import {
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import type {
  ClusterMeshStatus,
  ClusterMetrics,
  EntityTracesResponse,
} from '@ambient-mesh/plugin-istio-common';
import { istioApiRef } from '../../api';
import { expectNoAxeViolation } from '../../__testUtils__/axe';
import {
  enrolledStatus,
  l7Metrics,
  notEnrolledStatus,
  ordersEntity,
  someTraces,
} from '../../__testUtils__/fixtures';
import {
  entityHandlers,
  ORDERS_URL,
  server,
  testClient,
} from '../../__testUtils__/server';
import { IstioContent } from '../IstioContent/IstioContent';

const entityRef = 'component:default/orders';

function l4Metrics(): ClusterMetrics {
  const base = l7Metrics();
  return {
    ...base,
    source: 'ztunnel',
    layer: 'L4',
    golden: undefined,
    health: 'unknown',
    series: {
      connectionsPerSecond: [
        { t: 0, v: 1 },
        { t: 60, v: 2 },
      ],
    },
  };
}

async function renderWith(
  mesh: ClusterMeshStatus,
  metrics:
    | { data: ClusterMetrics }
    | { error: { name: string; message: string } },
  traces?: EntityTracesResponse,
) {
  server.use(
    ...entityHandlers({
      traces,
      mesh: { entityRef, clusters: [{ cluster: 'sandbox', data: mesh }] },
      metrics: {
        entityRef,
        clusters: [{ cluster: 'sandbox', ...metrics }] as any,
      },
      graph: {
        entityRef,
        clusters: [
          {
            cluster: 'sandbox',
            ...metrics,
            ...('data' in metrics
              ? {
                  data: {
                    cluster: 'sandbox',
                    window: '5m',
                    nodes: [],
                    edges: [],
                  },
                }
              : {}),
          },
        ] as any,
      },
    }),
  );
  await renderInTestApp(
    <TestApiProvider apis={[[istioApiRef, testClient()]]}>
      <EntityProvider entity={ordersEntity}>
        <IstioContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('empty states of the signals', () => {
  registerMswTestHooks(server);

  it('says only L4 signals exist when no waypoint serves the service', async () => {
    await renderWith(notEnrolledStatus(), { data: l4Metrics() });
    expect(
      await screen.findByText(
        /^No waypoint serves this service, so only L4 signals exist/,
      ),
    ).toBeInTheDocument();
    await expectNoAxeViolation(screen.getByTestId('istio-tab'));
  });

  it('says the waypoint has reported no request yet when it exists but there is no traffic', async () => {
    await renderWith(enrolledStatus(), { data: l4Metrics() });
    expect(
      await screen.findByText(
        /^Waypoint microservices\/waypoint serves this service, but it has reported no request over the last 5m yet/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/No waypoint serves this service/)).toBeNull();
    // The graph says there is no traffic instead of drawing an empty picture
    expect(
      await screen.findByText(
        /^No traffic to or from this service over the last 5m/,
      ),
    ).toBeInTheDocument();
    await expectNoAxeViolation(screen.getByTestId('istio-tab'));
  });

  it('says no caller and no trace was seen yet when the waypoint reports no request', async () => {
    await renderWith(
      enrolledStatus(),
      { data: { ...l4Metrics(), traffic: [] } },
      {
        entityRef,
        clusters: [
          { cluster: 'sandbox', data: { ...someTraces('recent'), traces: [] } },
        ],
      },
    );
    expect(
      await screen.findByText(/^No caller seen over the last 5m/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        /^No trace found for orders\.microservices or orders\. Traces are sampled/,
      ),
    ).toBeInTheDocument();
    await expectNoAxeViolation(screen.getByTestId('istio-tab'));
  });

  it('says, each under its section, that no cluster runs the entity or reports its signals', async () => {
    server.use(...entityHandlers({}));
    await renderInTestApp(
      <TestApiProvider apis={[[istioApiRef, testClient()]]}>
        <EntityProvider entity={ordersEntity}>
          <IstioContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    for (const title of [
      'No cluster runs this entity',
      'No metrics for this entity',
      'No traffic graph',
      'No traces for this entity',
    ]) {
      // core-components titles an EmptyState h5; under the h2 sections it is an h3
      expect(
        await screen.findByRole('heading', { level: 3, name: title }),
      ).toBeInTheDocument();
    }
    await expectNoAxeViolation(screen.getByTestId('istio-tab'));
  });

  it('says Prometheus is not configured, with the config key to add', async () => {
    await renderWith(enrolledStatus(), {
      error: {
        name: 'NotFoundError',
        message:
          "No Prometheus is configured for cluster 'sandbox': add one under istio.prometheus in app-config.yaml",
      },
    });
    expect(
      (await screen.findAllByText('Prometheus is not configured')).length,
    ).toBe(2);
    expect(
      screen.getAllByText(
        /Add an instance under istio\.prometheus in app-config\.yaml/,
      ).length,
    ).toBe(2);
    await expectNoAxeViolation(screen.getByTestId('istio-tab'));
  });

  it('says Prometheus is not reachable, and that the mesh status does not depend on it', async () => {
    await renderWith(enrolledStatus(), {
      error: {
        name: 'ServiceUnavailableError',
        message: "Prometheus 'local' at http://127.0.0.1:9 is unreachable",
      },
    });
    expect(
      (await screen.findAllByText('Prometheus is not reachable')).length,
    ).toBe(2);
    expect(
      screen.getAllByText(
        /could not be read: Prometheus 'local' at http:\/\/127\.0\.0\.1:9 is unreachable\. The mesh status above does not depend on it/,
      ).length,
    ).toBe(2);
    expect(await screen.findByText('2 of 2')).toBeInTheDocument();
    await expectNoAxeViolation(screen.getByTestId('istio-tab'));
  });

  it('shows skeletons of a fixed height while loading', async () => {
    server.use(
      ...entityHandlers({ mesh: () => new Promise<Response>(() => {}) }),
    );
    await renderInTestApp(
      <TestApiProvider apis={[[istioApiRef, testClient()]]}>
        <EntityProvider entity={ordersEntity}>
          <IstioContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    const skeletons = await screen.findAllByTestId('istio-skeleton');
    // The summary strip and the mesh status hold their place
    expect(skeletons.length).toBeGreaterThanOrEqual(2);
    expect(
      screen.getByRole('navigation', { name: 'Mesh summary' }),
    ).toBeInTheDocument();
    // core-components' Progress shows itself after a short delay
    expect(
      await screen.findByRole('progressbar', {
        name: 'Loading the mesh status',
      }),
    ).toBeInTheDocument();
    await expectNoAxeViolation(screen.getByTestId('istio-tab'));
  });

  it('shows a named progress bar and skeletons in every section while nothing has answered', async () => {
    server.use(
      http.get(`${ORDERS_URL}/*`, () => new Promise<Response>(() => {})),
    );
    await renderInTestApp(
      <TestApiProvider apis={[[istioApiRef, testClient()]]}>
        <EntityProvider entity={ordersEntity}>
          <IstioContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    for (const what of [
      'the mesh status',
      'metrics',
      'the traffic graph',
      'traces',
    ]) {
      expect(
        await screen.findByRole('progressbar', { name: `Loading ${what}` }),
      ).toBeInTheDocument();
    }
    expect(
      screen.getAllByTestId('istio-skeleton').length,
    ).toBeGreaterThanOrEqual(4);
    await expectNoAxeViolation(screen.getByTestId('istio-tab'));
  });
});
