import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { ClusterTraces } from '@ambient-mesh/plugin-istio-common';
import { TracesTable } from './TracesTable';

// The backend reads method and path from the attributes its TraceQL selects
// (grafana/tempo v2.8.0 pkg/traceql/engine.go returns only fetched attributes)
describe('TracesTable', () => {
  it('shows the method and path of each trace next to its status', async () => {
    const traces: ClusterTraces = {
      cluster: 'sandbox',
      kind: 'recent',
      serviceNames: ['productpage.bookinfo.svc.cluster.local'],
      query: '{}',
      traces: [
        {
          traceId: '2f3e0cee77ae5dc9c17ade3689eb2e54',
          rootServiceName: 'productpage.bookinfo.svc.cluster.local',
          rootTraceName:
            'productpage.bookinfo.svc.cluster.local:9080/productpage',
          start: '2026-12-02T20:00:00.000Z',
          durationMs: 557,
          statusCode: '503',
          method: 'GET',
          path: '/productpage',
          error: true,
        },
      ],
    };
    await renderInTestApp(<TracesTable traces={traces} />);
    expect(screen.getByText('GET /productpage')).toBeInTheDocument();
    expect(screen.getByText('503')).toBeInTheDocument();
  });
});
