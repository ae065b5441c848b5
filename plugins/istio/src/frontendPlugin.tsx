import {
  ApiBlueprint,
  PageBlueprint,
  coreApis,
  createFrontendPlugin,
  createRouteRef,
} from '@backstage/frontend-plugin-api';
import ShareIcon from '@material-ui/icons/Share';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  FormFieldBlueprint,
  createFormField,
} from '@backstage/plugin-scaffolder-react/alpha';
import { IstioClient, istioApiRef } from './api';
import { isIstioAvailable } from './isIstioAvailable';

/** The {@link IstioApi} for the new frontend system. @public */
export const istioApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: istioApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new IstioClient({ discoveryApi, fetchApi }),
    }),
});

/** The Service Mesh tab, on entities with the Kubernetes annotations. @public */
export const istioEntityContent = EntityContentBlueprint.make({
  name: 'mesh',
  params: {
    path: 'mesh',
    title: 'Service Mesh',
    filter: isIstioAvailable,
    loader: () =>
      import('./components/IstioContent').then(m => <m.IstioContent />),
  },
});

/** The mesh summary card of the entity overview page. @public */
export const istioEntityCard = EntityCardBlueprint.make({
  name: 'mesh-summary',
  params: {
    filter: isIstioAvailable,
    loader: () =>
      import('./components/IstioMeshCard').then(m => <m.IstioMeshCard />),
  },
});

/** The route of the fleet overview page (new frontend system). @public */
export const fleetPageRouteRef = createRouteRef();

/** The fleet overview page, in the sidebar as "Mesh fleet". @public */
export const istioFleetPage = PageBlueprint.make({
  name: 'fleet',
  params: {
    path: '/mesh-fleet',
    title: 'Mesh fleet',
    routeRef: fleetPageRouteRef,
    icon: <ShareIcon fontSize="inherit" />,
    noHeader: true,
    loader: () => import('./components/FleetPage').then(m => <m.FleetPage />),
  },
});

/**
 * The templates' namespace picker (`ui:field: IstioNamespacePicker`): the
 * namespaces the user may change, with their mesh state and owner.
 *
 * @public
 */
export const istioNamespacePickerField = FormFieldBlueprint.make({
  name: 'namespace-picker',
  params: {
    field: () =>
      import('./components/NamespacePicker').then(m =>
        createFormField({
          name: 'IstioNamespacePicker',
          component: m.NamespacePicker,
        }),
      ),
  },
});

/**
 * The Istio plugin for the new frontend system: the API, the Service Mesh
 * entity tab and the overview card.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'istio',
  title: 'Service Mesh',
  extensions: [
    istioApi,
    istioEntityContent,
    istioEntityCard,
    istioFleetPage,
    istioNamespacePickerField,
  ],
});
