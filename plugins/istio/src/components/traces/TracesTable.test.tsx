import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { someTraces } from '../../__testUtils__/fixtures';
import { compactSpanName, TracesTable } from './TracesTable';

describe('TracesTable', () => {
  it('shortens a root span name to its method and path', () => {
    expect(compactSpanName('GET /orders/42?expand=items')).toBe(
      'GET /orders/42',
    );
    // Envoy names a waypoint's span after the authority and path (istio-ambient.md §6)
    expect(
      compactSpanName('orders.microservices.svc.cluster.local:8080/orders/42'),
    ).toBe('/orders/42');
    expect(compactSpanName('ingress')).toBe('ingress');
  });

  it('shows the selected method and path of the matched span, the full name as its title', async () => {
    const traces = someTraces('recent');
    traces.traces = [
      {
        ...traces.traces[0],
        rootTraceName: 'orders.microservices.svc.cluster.local:8080/orders/42',
        method: 'POST',
        path: '/orders/42',
        statusCode: '503',
        error: true,
      },
    ];
    await renderInTestApp(<TracesTable traces={traces} />);
    const root = screen.getByTitle(
      'frontend.microservices: orders.microservices.svc.cluster.local:8080/orders/42',
    );
    expect(root).toHaveTextContent(/^POST \/orders\/42$/);
    expect(screen.getByText('503')).toBeInTheDocument();
  });
});
