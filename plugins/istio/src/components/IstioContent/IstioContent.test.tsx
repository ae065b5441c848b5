import { http, HttpResponse } from 'msw';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import type { TraceQueryKind } from '@ambient-mesh/plugin-istio-common';
import { istioApiRef } from '../../api';
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
import { IstioContent } from './IstioContent';

const entityRef = 'component:default/orders';

function renderTab(entity: Entity = ordersEntity) {
  return renderInTestApp(
    <TestApiProvider apis={[[istioApiRef, testClient()]]}>
      <EntityProvider entity={entity}>
        <IstioContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

function section(name: string): HTMLElement {
  return screen.getByRole('region', { name });
}

describe('IstioContent', () => {
  registerMswTestHooks(server);

  it('shows a progress bar while the mesh status loads', async () => {
    server.use(
      ...entityHandlers({
        mesh: () => new Promise<Response>(() => {}),
      }),
    );
    await renderTab();
    // Progress appears after a short delay, to avoid flashing on fast answers
    expect(
      await within(section('Mesh status')).findByRole('progressbar'),
    ).toBeInTheDocument();
  });

  it('shows the mesh status, signals and traces of an enrolled service', async () => {
    server.use(
      ...entityHandlers({
        mesh: {
          entityRef,
          clusters: [{ cluster: 'sandbox', data: enrolledStatus() }],
        },
        metrics: {
          entityRef,
          clusters: [{ cluster: 'sandbox', data: l7Metrics() }],
        },
        traces: url => ({
          entityRef,
          clusters: [
            {
              cluster: 'sandbox',
              data: someTraces(url.searchParams.get('kind') as TraceQueryKind),
            },
          ],
        }),
      }),
    );
    await renderTab();

    const mesh = section('Mesh status');
    expect(await within(mesh).findByText('2 of 2')).toBeInTheDocument();
    expect(within(mesh).getByText('orders-7d9f-abcde')).toBeInTheDocument();
    expect(
      within(mesh).getByText('Waypoint microservices/waypoint is ready'),
    ).toBeInTheDocument();
    expect(within(mesh).getByText('Grade: Strict')).toBeInTheDocument();
    expect(
      within(mesh).getByText(
        'STRICT from the namespace PeerAuthentication microservices/default',
      ),
    ).toBeInTheDocument();
    expect(
      within(mesh).getByText('100 % of inbound connections use mTLS'),
    ).toBeInTheDocument();
    expect(
      within(mesh).getByText('allow-frontend', { exact: false }),
    ).toBeInTheDocument();
    expect(within(mesh).getByText('waypoint')).toBeInTheDocument();
    expect(
      within(mesh).getByText('Nothing to fix: no problem found'),
    ).toBeInTheDocument();

    const signals = section('Golden signals');
    expect(await within(signals).findByText('12.5/s')).toBeInTheDocument();
    expect(within(signals).getByText('2.00 %')).toBeInTheDocument();
    expect(within(signals).getByText('48 ms')).toBeInTheDocument();
    expect(
      await within(signals).findByRole('img', {
        name: /^Request rate in req\/s over the range: Requests latest 12\.5/,
      }),
    ).toBeInTheDocument();
    expect(within(signals).getByText('frontend')).toBeInTheDocument();
    expect(within(signals).getByText('80.0 %')).toBeInTheDocument();

    const traces = section('Traces');
    const link = await within(traces).findByRole('link', {
      name: /^Open trace 4bf92f3577b34da6a3ce929d0e0e4736/,
    });
    expect(link).toHaveAttribute(
      'href',
      'https://grafana.example.com/explore?trace=4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it('switches the traces between recent, slow and errors', async () => {
    const kinds: string[] = [];
    server.use(
      ...entityHandlers({
        traces: url => {
          const kind = url.searchParams.get('kind') as TraceQueryKind;
          kinds.push(`${kind}:${url.searchParams.get('limit')}`);
          return {
            entityRef,
            clusters: [{ cluster: 'sandbox', data: someTraces(kind) }],
          };
        },
      }),
    );
    await renderTab();
    const traces = section('Traces');
    // The root span shows its method and route; the full name is its title
    expect(
      await within(traces).findByTitle(/GET \/orders \(recent\)/),
    ).toHaveTextContent(/^GET \/orders$/);
    await userEvent.click(within(traces).getByRole('tab', { name: 'Errors' }));
    expect(
      await within(traces).findByTitle(/GET \/orders \(errors\)/),
    ).toBeInTheDocument();
    expect(kinds).toEqual(['recent:20', 'errors:20']);
  });

  it('says Istio emits no spans when no waypoint serves the service', async () => {
    server.use(
      ...entityHandlers({
        traces: {
          entityRef,
          clusters: [
            {
              cluster: 'sandbox',
              data: {
                ...someTraces('recent'),
                traces: [],
                noSpansReason: 'no-waypoint',
              },
            },
          ],
        },
      }),
    );
    await renderTab();
    expect(
      await within(section('Traces')).findByText(
        /Istio emits no spans for this service/,
      ),
    ).toBeInTheDocument();
  });

  it('shows diagnostics most severe first, with a template button prefilled and a copyable YAML fix', async () => {
    server.use(
      ...entityHandlers({
        mesh: {
          entityRef,
          clusters: [{ cluster: 'sandbox', data: notEnrolledStatus() }],
        },
      }),
    );
    await renderTab();
    const mesh = section('Mesh status');
    // One line per diagnostic; the evidence and fix open on demand
    await userEvent.click(
      await within(mesh).findByRole('button', {
        name: 'Evidence and fix of Namespace legacy is not in the mesh',
      }),
    );
    const link = await within(mesh).findByRole('link', {
      name: 'Fix with template onboard-namespace',
    });
    const href = link.getAttribute('href')!;
    const [path, search] = href.split('?');
    expect(path).toBe('/create/templates/default/onboard-namespace');
    expect(JSON.parse(new URLSearchParams(search).get('formData')!)).toEqual({
      cluster: 'sandbox',
      namespace: 'legacy',
      waypoint: true,
    });
    // Severity is spoken before each title, the most severe first
    // Grouped by severity, the most severe first, one line each
    const titles = within(mesh)
      .getAllByRole('heading', { level: 4 })
      .map(h => h.textContent);
    expect(titles[0]).toMatch(/^Error: Namespace legacy is not in the mesh/);
    expect(titles[1]).toMatch(/^Warning: Plaintext accepted/);
    await userEvent.click(
      within(mesh).getByRole('button', {
        name: 'Evidence and fix of Plaintext accepted',
      }),
    );
    expect(
      within(mesh).getByRole('heading', { level: 3, name: 'Diagnostics' }),
    ).toBeInTheDocument();
    expect(within(mesh).getByText('Apply this YAML:')).toBeInTheDocument();
    expect(within(mesh).getByText('0 of 1')).toBeInTheDocument();
    expect(within(mesh).getByText('No waypoint')).toBeInTheDocument();
    expect(within(mesh).getByText('Grade: None')).toBeInTheDocument();
  });

  it('shows the error of one cluster next to the data of another', async () => {
    server.use(
      ...entityHandlers({
        mesh: {
          entityRef,
          clusters: [
            { cluster: 'east', data: enrolledStatus('east') },
            {
              cluster: 'west',
              error: {
                name: 'ServiceUnavailableError',
                message: 'west API server timed out',
              },
            },
          ],
        },
      }),
    );
    await renderTab();
    const mesh = section('Mesh status');
    expect(await within(mesh).findByText('Cluster east')).toBeInTheDocument();
    expect(within(mesh).getByText('2 of 2')).toBeInTheDocument();
    expect(within(mesh).getByText('Cluster west')).toBeInTheDocument();
    expect(
      within(mesh).getByText(
        /^Error: Could not load the mesh status from cluster west: west API server timed out$/,
      ),
    ).toBeInTheDocument();
  });

  it('shows each namespace found from the workloads as its own block', async () => {
    server.use(
      ...entityHandlers({
        mesh: {
          entityRef,
          clusters: [
            {
              cluster: 'east',
              namespace: 'shop',
              data: enrolledStatus('east'),
            },
            {
              cluster: 'east',
              namespace: 'shop-canary',
              error: {
                name: 'NotAllowedError',
                message: 'list pods in namespace shop-canary is forbidden',
              },
            },
          ],
        },
      }),
    );
    await renderTab();
    const mesh = section('Mesh status');
    expect(
      await within(mesh).findByText('Cluster east, namespace shop'),
    ).toBeInTheDocument();
    expect(
      within(mesh).getByText('Cluster east, namespace shop-canary'),
    ).toBeInTheDocument();
    expect(
      within(mesh).getByText(
        /^Error: Could not load the mesh status from cluster east namespace shop-canary: list pods in namespace shop-canary is forbidden$/,
      ),
    ).toBeInTheDocument();
  });

  it('shows a failed section without hiding the others', async () => {
    server.use(
      http.get(`${ORDERS_URL}/metrics`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ServiceUnavailableError',
              message: 'Prometheus is down',
            },
            request: { method: 'GET', url: '/metrics' },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
      ...entityHandlers({
        mesh: {
          entityRef,
          clusters: [{ cluster: 'sandbox', data: enrolledStatus() }],
        },
      }),
    );
    await renderTab();
    expect(
      await within(section('Golden signals')).findByText(
        /^Error: Could not load metrics: Prometheus is down$/,
      ),
    ).toBeInTheDocument();
    expect(
      await within(section('Mesh status')).findByText('2 of 2'),
    ).toBeInTheDocument();
  });

  it('says what to do when no cluster answers', async () => {
    server.use(...entityHandlers({}));
    await renderTab();
    expect(
      await within(section('Mesh status')).findByText(
        'No cluster runs this entity',
      ),
    ).toBeInTheDocument();
    expect(
      await within(section('Golden signals')).findByText(
        'No metrics for this entity',
      ),
    ).toBeInTheDocument();
    expect(
      await within(section('Traces')).findByText('No traces for this entity'),
    ).toBeInTheDocument();
  });

  it('queries metrics again when the rate window or range changes', async () => {
    const queries: string[] = [];
    server.use(
      ...entityHandlers({
        metrics: url => {
          queries.push(url.search);
          return {
            entityRef,
            clusters: [{ cluster: 'sandbox', data: l7Metrics() }],
          };
        },
      }),
    );
    await renderTab();
    const signals = section('Golden signals');
    await within(signals).findByText('12.5/s');
    await userEvent.selectOptions(
      within(signals).getByLabelText('Rate window'),
      '15m',
    );
    await waitFor(() => expect(queries).toContain('?window=15m&range=1h'));
    await userEvent.selectOptions(
      within(signals).getByLabelText('Chart range'),
      '6h',
    );
    await waitFor(() => expect(queries).toContain('?window=15m&range=6h'));
    expect(queries[0]).toBe('?window=5m&range=1h');
  });

  it('reloads every section when asked to refresh', async () => {
    let meshCalls = 0;
    server.use(
      ...entityHandlers({
        mesh: () => {
          meshCalls++;
          return HttpResponse.json({
            entityRef,
            clusters: [{ cluster: 'sandbox', data: enrolledStatus() }],
          });
        },
      }),
    );
    await renderTab();
    await within(section('Mesh status')).findByText('2 of 2');
    await userEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    await waitFor(() => expect(meshCalls).toBe(2));
    expect(
      screen.getByRole('checkbox', { name: 'Auto-refresh every 30 s' }),
    ).not.toBeChecked();
  });

  it('names the missing annotations on an entity without them', async () => {
    await renderTab({
      ...ordersEntity,
      metadata: { name: 'docs', annotations: {} },
    });
    expect(
      screen.getAllByText('backstage.io/kubernetes-id', { exact: false })
        .length,
    ).toBeGreaterThan(0);
    expect(
      screen.getAllByText('backstage.io/kubernetes-label-selector', {
        exact: false,
      }).length,
    ).toBeGreaterThan(0);
  });
});
