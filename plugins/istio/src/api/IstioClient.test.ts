import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { BASE_URL, server, testClient } from '../__testUtils__/server';
import { enrolledStatus } from '../__testUtils__/fixtures';

describe('IstioClient', () => {
  registerMswTestHooks(server);

  it('reads the mesh status from the istio backend', async () => {
    const body = {
      entityRef: 'component:default/orders',
      clusters: [{ cluster: 'sandbox', data: enrolledStatus() }],
    };
    server.use(
      http.get(`${BASE_URL}/v1/entities/component/default/orders/mesh`, () =>
        HttpResponse.json(body),
      ),
    );
    await expect(
      testClient().getMesh({
        kind: 'Component',
        namespace: 'default',
        name: 'orders',
      }),
    ).resolves.toEqual(body);
  });

  it('encodes every path segment', async () => {
    let seen = '';
    server.use(
      http.get(`${BASE_URL}/v1/entities/*`, ({ request }) => {
        seen = new URL(request.url).pathname;
        return HttpResponse.json({ entityRef: 'x', clusters: [] });
      }),
    );
    await testClient().getMesh({
      kind: 'Component',
      namespace: 'team a/b',
      name: 'orders?x=1#y',
    });
    expect(seen).toBe(
      '/api/istio/v1/entities/component/team%20a%2Fb/orders%3Fx%3D1%23y/mesh',
    );
  });

  it('passes the window and range of metrics, and the kind and limit of traces', async () => {
    const queries: string[] = [];
    server.use(
      http.get(
        `${BASE_URL}/v1/entities/component/default/orders/:resource`,
        ({ request }) => {
          queries.push(new URL(request.url).search);
          return HttpResponse.json({ entityRef: 'x', clusters: [] });
        },
      ),
    );
    const ref = { kind: 'Component', namespace: 'default', name: 'orders' };
    await testClient().getMetrics(ref, { window: '15m', range: '6h' });
    await testClient().getTraces(ref, { kind: 'errors', limit: 20 });
    await testClient().getTraces(ref, { kind: 'slow' });
    expect(queries).toEqual([
      '?window=15m&range=6h',
      '?kind=errors&limit=20',
      '?kind=slow',
    ]);
  });

  it('throws a ResponseError carrying the backend error', async () => {
    server.use(
      http.get(`${BASE_URL}/v1/entities/component/default/orders/mesh`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'no istio.entity.read' },
            request: { method: 'GET', url: '/mesh' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const result = testClient().getMesh({
      kind: 'Component',
      namespace: 'default',
      name: 'orders',
    });
    await expect(result).rejects.toBeInstanceOf(ResponseError);
    await expect(result).rejects.toMatchObject({
      statusCode: 403,
      body: {
        error: { name: 'NotAllowedError', message: 'no istio.entity.read' },
      },
    });
  });
});
