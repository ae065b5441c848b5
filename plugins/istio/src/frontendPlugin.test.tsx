import { screen, within } from '@testing-library/react';
import {
  ApiBlueprint,
  coreExtensionData,
  type ExtensionDefinition,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { registerMswTestHooks } from '@backstage/test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import istioPlugin, { istioApi, istioEntityCard, istioEntityContent } from '.';
import { istioApiRef } from './api';
import { enrolledStatus, ordersEntity } from './__testUtils__/fixtures';
import { entityHandlers, server, testClient } from './__testUtils__/server';

const withoutAnnotations = {
  ...ordersEntity,
  metadata: { name: 'docs', annotations: {} },
};

async function renderExtension(extension: ExtensionDefinition<any>) {
  const tester = createExtensionTester(extension);
  renderInTestApp(
    <EntityProvider entity={ordersEntity}>
      {tester.reactElement()}
    </EntityProvider>,
    { apis: [[istioApiRef, testClient()]] },
  );
  return tester;
}

describe('istio plugin for the new frontend system', () => {
  registerMswTestHooks(server);

  beforeEach(() => {
    server.use(
      ...entityHandlers({
        mesh: {
          entityRef: 'component:default/orders',
          clusters: [{ cluster: 'sandbox', data: enrolledStatus() }],
        },
      }),
    );
  });

  it('is the istio plugin and provides the istio API', () => {
    expect(istioPlugin.pluginId).toBe('istio');
    // The extension ids users configure under app.extensions
    expect(istioPlugin.getExtension('api:istio')).toMatchObject({
      kind: 'api',
    });
    expect(istioPlugin.getExtension('entity-content:istio/mesh')).toMatchObject(
      { kind: 'entity-content', name: 'mesh' },
    );
    expect(
      istioPlugin.getExtension('entity-card:istio/mesh-summary'),
    ).toMatchObject({ kind: 'entity-card', name: 'mesh-summary' });
    const factory = createExtensionTester(istioApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe('plugin.istio.service');
    expect(Object.keys(factory.deps).sort()).toEqual([
      'discoveryApi',
      'fetchApi',
    ]);
  });

  it('adds a "Service Mesh" tab at mesh on entities with the Kubernetes annotations', async () => {
    const tester = createExtensionTester(istioEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('mesh');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Service Mesh',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(ordersEntity)).toBe(true);
    expect(filter(withoutAnnotations)).toBe(false);

    await renderExtension(istioEntityContent);
    const mesh = await screen.findByRole('region', { name: 'Mesh status' });
    expect(await within(mesh).findByText('2 of 2')).toBeInTheDocument();
  });

  it('adds the mesh summary card on entities with the Kubernetes annotations', async () => {
    const tester = createExtensionTester(istioEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(ordersEntity)).toBe(true);
    expect(filter(withoutAnnotations)).toBe(false);

    await renderExtension(istioEntityCard);
    expect(
      await screen.findByText('In the mesh: 2/2 pods captured'),
    ).toBeInTheDocument();
    expect(screen.getByText('Waypoint waypoint ready')).toBeInTheDocument();
    expect(screen.getByText('mTLS: Strict')).toBeInTheDocument();
    expect(screen.getByText('No problem found')).toBeInTheDocument();
  });
});
