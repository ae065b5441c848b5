import { screen } from '@testing-library/react';
import {
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityIstioContent, EntityIstioMeshCard, istioPlugin } from './plugin';
import { istioApiRef } from './api';
import { Route, Routes } from 'react-router-dom';
import {
  enrolledStatus,
  notEnrolledStatus,
  ordersEntity,
} from './__testUtils__/fixtures';
import { entityHandlers, server, testClient } from './__testUtils__/server';

const entityRef = 'component:default/orders';

describe('istio plugin for the legacy frontend system', () => {
  registerMswTestHooks(server);

  it('is the istio plugin and provides the istio API', () => {
    expect(istioPlugin.getId()).toBe('istio');
    const apiIds = [...istioPlugin.getApis()].map(f => f.api.id);
    expect(apiIds).toEqual(['plugin.istio.service']);
  });

  it('renders the Service Mesh tab', async () => {
    server.use(
      ...entityHandlers({
        mesh: {
          entityRef,
          clusters: [{ cluster: 'sandbox', data: enrolledStatus() }],
        },
      }),
    );
    await renderInTestApp(
      <TestApiProvider apis={[[istioApiRef, testClient()]]}>
        <EntityProvider entity={ordersEntity}>
          <Routes>
            <Route path="/mesh" element={<EntityIstioContent />} />
          </Routes>
        </EntityProvider>
      </TestApiProvider>,
      { routeEntries: ['/mesh'] },
    );
    expect(
      await screen.findByRole('heading', { name: 'Mesh status' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('2 of 2')).toBeInTheDocument();
  });

  it('summarizes a service outside the mesh on the overview card, worst diagnostic first', async () => {
    server.use(
      ...entityHandlers({
        mesh: {
          entityRef,
          clusters: [{ cluster: 'sandbox', data: notEnrolledStatus() }],
        },
      }),
    );
    await renderInTestApp(
      <TestApiProvider apis={[[istioApiRef, testClient()]]}>
        <EntityProvider entity={ordersEntity}>
          <EntityIstioMeshCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('Not fully in the mesh: 0/1 pods captured'),
    ).toBeInTheDocument();
    expect(screen.getByText('No waypoint (L4 only)')).toBeInTheDocument();
    expect(screen.getByText('mTLS: None')).toBeInTheDocument();
    expect(
      screen.getByText('Namespace legacy is not in the mesh (and 1 more)'),
    ).toBeInTheDocument();
  });
});
