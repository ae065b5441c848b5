import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { NamespacePicker } from './components/NamespacePicker';
import type { JSX } from 'react';
import { coreApis } from '@backstage/frontend-plugin-api';
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { IstioClient, istioApiRef } from './api';
import { fleetRouteRef, rootRouteRef } from './routes';
import type { IstioContentProps } from './components/IstioContent';

/**
 * The Istio plugin for the legacy frontend system.
 *
 * @public
 */
export const istioPlugin = createPlugin({
  id: 'istio',
  apis: [
    createApiFactory({
      api: istioApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new IstioClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    entityContent: rootRouteRef,
    fleet: fleetRouteRef,
  },
});

/**
 * The Service Mesh tab of an entity page (legacy frontend system), e.g.
 * `<EntityLayout.Route path="/mesh" title="Service Mesh" if={isIstioAvailable}>`.
 *
 * @public
 */
export const EntityIstioContent: (props: IstioContentProps) => JSX.Element =
  istioPlugin.provide(
    createRoutableExtension({
      name: 'EntityIstioContent',
      component: () =>
        import('./components/IstioContent').then(m => m.IstioContent),
      mountPoint: rootRouteRef,
    }),
  );

/**
 * The mesh summary card of an entity overview page (legacy frontend system).
 *
 * @public
 */
export const EntityIstioMeshCard: () => JSX.Element = istioPlugin.provide(
  createComponentExtension({
    name: 'EntityIstioMeshCard',
    component: {
      lazy: () =>
        import('./components/IstioMeshCard').then(m => m.IstioMeshCard),
    },
  }),
);

/**
 * The fleet overview page (legacy frontend system), e.g.
 * `<Route path="/mesh-fleet" element={<IstioFleetPage />} />` with a
 * `<SidebarItem to="mesh-fleet" text="Mesh fleet" />`.
 *
 * @public
 */
export const IstioFleetPage = istioPlugin.provide(
  createRoutableExtension({
    name: 'IstioFleetPage',
    component: () => import('./components/FleetPage').then(m => m.FleetPage),
    mountPoint: fleetRouteRef,
  }),
);

/**
 * The templates' namespace picker (legacy frontend system), used as
 * `ui:field: IstioNamespacePicker`; add it under `<ScaffolderFieldExtensions>`
 * of the scaffolder page.
 *
 * @public
 */
export const IstioNamespacePickerFieldExtension = istioPlugin.provide(
  createScaffolderFieldExtension({
    name: 'IstioNamespacePicker',
    component: NamespacePicker,
  }),
);
