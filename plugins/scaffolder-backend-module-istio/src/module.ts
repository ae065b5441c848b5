import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  ClusterAccessRegistry,
  istioScaffolderClusterAccessExtensionPoint,
} from '@ambient-mesh/plugin-istio-node';
import { istioMeshOnboardPermission } from '@ambient-mesh/plugin-istio-common';
import {
  IstioActionDeps,
  createMeshCheckAction,
  createMeshProvisionAction,
  createNamespaceOffboardAction,
  createNamespaceOnboardAction,
  createPolicyApplyAction,
  createWaypointApplyAction,
} from './actions';

/**
 * Every istio:* action, built from the same dependencies.
 *
 * @public
 */
export function createIstioActions(deps: IstioActionDeps) {
  return [
    createMeshCheckAction(deps),
    createMeshProvisionAction(deps),
    createNamespaceOnboardAction(deps),
    createWaypointApplyAction(deps),
    createPolicyApplyAction(deps),
    createNamespaceOffboardAction(deps),
  ];
}

/**
 * Registers the istio:* actions with the scaffolder. Clusters come from
 * `kubernetes.clusterLocatorMethods` (type config) and `istio.localKubeconfig`;
 * scaffolder modules can add auth strategies or replace the cluster access through
 * `istioScaffolderClusterAccessExtensionPoint`.
 *
 * @public
 */
export const scaffolderModuleIstio = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'istio',
  register(reg) {
    const clusterAccess = new ClusterAccessRegistry();
    reg.registerExtensionPoint(
      istioScaffolderClusterAccessExtensionPoint,
      clusterAccess.extensionPoint,
    );
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({
        scaffolder,
        logger,
        config,
        permissions,
        permissionsRegistry,
      }) {
        // Lists istio.mesh.onboard in the scaffolder's permission metadata
        permissionsRegistry.addPermissions([istioMeshOnboardPermission]);
        const timeout = config.getOptionalNumber(
          'istio.onboarding.waypointTimeoutSeconds',
        );
        scaffolder.addActions(
          ...createIstioActions({
            clusters: clusterAccess.build({ config, logger }),
            permissions,
            protectedNamespaces:
              config.getOptionalStringArray(
                'istio.onboarding.protectedNamespaces',
              ) ?? [],
            waypointTimeoutMs:
              timeout !== undefined ? timeout * 1000 : undefined,
          }),
        );
      },
    });
  },
});
