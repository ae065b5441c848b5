import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { Config } from '@backstage/config';
import {
  ClusterAccessRegistry,
  istioScaffolderClusterAccessExtensionPoint,
  PrometheusCallerSource,
} from '@ambient-mesh/plugin-istio-node';
import {
  istioMeshAdminPermission,
  istioNamespaceManagePermission,
} from '@ambient-mesh/plugin-istio-common';
import {
  IstioActionDeps,
  createMeshCheckAction,
  createMeshProvisionAction,
  createNamespaceOffboardAction,
  createNamespaceOnboardAction,
  createPolicyApplyAction,
  createWaypointApplyAction,
} from './actions';
import { createManifestsApplyAction } from './actions/manifestsApply';

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
    createManifestsApplyAction(deps),
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
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolder,
        logger,
        config,
        permissions,
        permissionsRegistry,
        auth,
        auditor,
        catalog,
      }) {
        // Lists the permissions in the scaffolder's permission metadata
        permissionsRegistry.addPermissions([
          istioNamespaceManagePermission,
          istioMeshAdminPermission,
        ]);
        scaffolder.addActions(
          ...createIstioActions({
            ...readActionConfig(config),
            clusters: clusterAccess.build({ config, logger }),
            permissions,
            auth,
            auditor,
            catalog,
          }),
        );
      },
    });
  },
});

const seconds = (config: Config, key: string) => {
  const value = config.getOptionalNumber(key);
  if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
    throw new Error(`${key} must be a positive number of seconds`);
  }
  return value !== undefined ? value * 1000 : undefined;
};

/** The actions' settings from `istio.onboarding` and `istio.prometheus`. */
export function readActionConfig(config: Config) {
  const manifests = config.getOptionalConfig(
    'istio.onboarding.gatewayApiManifests',
  );
  const prometheus = (
    config.getOptionalConfigArray('istio.prometheus') ?? []
  ).map(c => {
    const token = c.getOptionalString('bearerToken');
    const username = c.getOptionalString('username');
    const password = c.getOptionalString('password');
    const headers: Record<string, string> = {};
    if (token) {
      headers.authorization = `Bearer ${token}`;
    } else if (username && password !== undefined) {
      headers.authorization = `Basic ${Buffer.from(
        `${username}:${password}`,
      ).toString('base64')}`;
    }
    return {
      name: c.getString('name'),
      baseUrl: c.getString('baseUrl'),
      clusters: c.getOptionalStringArray('clusters'),
      headers,
    };
  });
  return {
    protectedNamespaces:
      config.getOptionalStringArray('istio.onboarding.protectedNamespaces') ??
      [],
    rootNamespace: config.getOptionalString('istio.onboarding.rootNamespace'),
    waypointTimeoutMs: seconds(
      config,
      'istio.onboarding.waypointTimeoutSeconds',
    ),
    requestTimeoutMs: seconds(config, 'istio.onboarding.requestTimeoutSeconds'),
    actionTimeoutMs: seconds(config, 'istio.onboarding.deadlineSeconds'),
    gatewayApiManifests: {
      urls: manifests?.getOptionalStringArray('urls') ?? [],
      timeoutMs: manifests ? seconds(manifests, 'timeoutSeconds') : undefined,
      maxBytes: manifests?.getOptionalNumber('maxBytes'),
    },
    allowPrivateJwksUri:
      config.getOptionalBoolean(
        'istio.onboarding.jwks.allowPrivateAddresses',
      ) ?? false,
    defaultMode: readDefaultMode(config),
    callers: new PrometheusCallerSource(prometheus),
  };
}

/** `istio.gitops.defaultMode`: the mode of write actions whose input names none. */
export function readDefaultMode(
  config: Config,
): 'apply' | 'gitops' | undefined {
  const value = config.getOptionalString('istio.gitops.defaultMode');
  if (value === undefined) return undefined;
  if (value !== 'apply' && value !== 'gitops') {
    throw new Error(
      `istio.gitops.defaultMode must be "apply" or "gitops", got "${value}"`,
    );
  }
  return value;
}
