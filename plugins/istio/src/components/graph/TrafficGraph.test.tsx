import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { ClusterTrafficGraph } from '@ambient-mesh/plugin-istio-common';
import { expectNoAxeViolation } from '../../__testUtils__/axe';
import { edgeLabel, TrafficGraph } from './TrafficGraph';

const graph: ClusterTrafficGraph = {
  cluster: 'sandbox',
  window: '5m',
  nodes: [
    {
      id: 'self:microservices/orders',
      role: 'self',
      name: 'orders',
      namespace: 'microservices',
      entityRef: 'component:default/orders',
    },
    {
      id: 'caller:microservices/frontend',
      role: 'caller',
      name: 'frontend',
      namespace: 'microservices',
      entityRef: 'component:default/frontend',
    },
    {
      id: 'caller:legacy/batch',
      role: 'caller',
      name: 'batch',
      namespace: 'legacy',
    },
    {
      id: 'callee:microservices/payments',
      role: 'callee',
      name: 'payments',
      namespace: 'microservices',
    },
  ],
  edges: [
    {
      source: 'caller:microservices/frontend',
      target: 'self:microservices/orders',
      layer: 'L7',
      rate: 20,
      errorRatio: 0.05,
      mtlsShare: 1,
    },
    {
      source: 'caller:legacy/batch',
      target: 'self:microservices/orders',
      layer: 'L7',
      rate: 1.5,
      errorRatio: 0,
      mtlsShare: 0,
    },
    {
      source: 'self:microservices/orders',
      target: 'callee:microservices/payments',
      layer: 'L4',
      rate: 3,
      errorRatio: null,
      mtlsShare: 1,
    },
  ],
};

describe('TrafficGraph', () => {
  it('labels each edge with its rate, 5xx ratio and mTLS', () => {
    expect(edgeLabel(graph.edges[0])).toBe('20.0 req/s · 5.00 % 5xx · mTLS');
    expect(edgeLabel(graph.edges[1])).toBe('1.50 req/s · 0 % 5xx · plaintext');
    expect(edgeLabel(graph.edges[2])).toBe('3.00 conn/s · mTLS');
  });

  it('draws callers, the service and what it calls, linking nodes to their catalog entities', async () => {
    await renderInTestApp(<TrafficGraph graph={graph} />, {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    const svg = screen.getByRole('group', {
      name: 'Traffic graph: 2 callers, 1 called services',
    });
    expect(
      within(svg).getByText('20.0 req/s · 5.00 % 5xx · mTLS'),
    ).toBeInTheDocument();
    expect(within(svg).getByText('payments')).toBeInTheDocument();
    const link = within(svg).getByRole('link', { name: /^frontend/ });
    expect(link).toHaveAttribute('href', '/catalog/default/component/frontend');
    // A node without a catalog entity is not a link
    expect(within(svg).queryByRole('link', { name: /^batch/ })).toBeNull();
    expect(within(svg).getAllByTestId('istio-graph-edge')).toHaveLength(3);
    await expectNoAxeViolation(screen.getByTestId('istio-traffic-graph'));
  });
});
