import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { istioPermissions } from '@ambient-mesh/plugin-istio-common';
import {
  ClusterAccessRegistry,
  findWorkloadNamespaces,
  IstioDiagnosticRule,
  istioClusterAccessExtensionPoint,
  istioDiagnosticRulesExtensionPoint,
  IstioMetricsSource,
  istioMetricsSourcesExtensionPoint,
  IstioTracesSource,
  istioTracesSourcesExtensionPoint,
} from '@ambient-mesh/plugin-istio-node';
import { readIstioBackendConfig } from './config/istioConfig';
import { CachedLoader } from './lib/CachedLoader';
import { EntityAccess } from './service/EntityAccess';
import { KubernetesClusterMeshReader } from './service/KubernetesClusterMeshReader';
import { MeshService } from './service/MeshService';
import { MetricsService } from './service/MetricsService';
import { createRouter } from './service/router';
import { TracesService } from './service/TracesService';

/**
 * The istio backend plugin: the mesh view of catalog entities under
 * `/api/istio`.
 *
 * @public
 */
export const istioPlugin = createBackendPlugin({
  pluginId: 'istio',
  register(env) {
    const clusterAccess = new ClusterAccessRegistry();
    const diagnosticRules: IstioDiagnosticRule[] = [];
    const metricsSources: IstioMetricsSource[] = [];
    const tracesSources: IstioTracesSource[] = [];
    env.registerExtensionPoint(
      istioClusterAccessExtensionPoint,
      clusterAccess.extensionPoint,
    );
    env.registerExtensionPoint(istioDiagnosticRulesExtensionPoint, {
      addDiagnosticRules: (...rules) => diagnosticRules.push(...rules),
    });
    env.registerExtensionPoint(istioMetricsSourcesExtensionPoint, {
      addMetricsSource: source => metricsSources.push(source),
    });
    env.registerExtensionPoint(istioTracesSourcesExtensionPoint, {
      addTracesSource: source => tracesSources.push(source),
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        cache: coreServices.cache,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        logger,
        config,
        cache,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
      }) {
        permissionsRegistry.addPermissions(istioPermissions);

        const settings = readIstioBackendConfig(config);
        const clusters = clusterAccess.build({ config, logger });
        const clusterNames = clusters.listClusters().map(c => c.name);
        if (clusterNames.length === 0) {
          logger.warn(
            'No Kubernetes cluster is configured (kubernetes.clusterLocatorMethods of type config, or istio.localKubeconfig): mesh views will answer 503 until one is added',
          );
        } else {
          logger.info(`Mesh views read clusters: ${clusterNames.join(', ')}`);
        }
        if (settings.prometheus.length + metricsSources.length === 0) {
          logger.warn(
            'No Prometheus is configured under istio.prometheus: mesh views will have no metrics',
          );
        }
        if (settings.tempo.length + tracesSources.length === 0) {
          logger.warn(
            'No Tempo is configured under istio.tempo: mesh views will have no traces',
          );
        }

        const loader = new CachedLoader(cache, settings.cacheTtlMs);
        const metrics = new MetricsService(
          settings.prometheus,
          settings.timeouts.prometheusMs,
          settings.health,
          undefined,
          metricsSources,
        );
        const mesh = new MeshService({
          clusters,
          reader: new KubernetesClusterMeshReader(clusters, {
            requestTimeoutMs: settings.timeouts.kubernetesMs,
            diagnosticRules,
          }),
          metrics,
          loader,
          kubernetesTimeoutMs: settings.timeouts.kubernetesMs,
          namespaces: {
            find: (cluster, labelSelector) =>
              findWorkloadNamespaces(cluster, clusters.getKubeConfig(cluster), {
                labelSelector,
                requestTimeoutMs: settings.timeouts.kubernetesMs,
              }),
          },
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            access: new EntityAccess(catalog, permissions),
            mesh,
            metrics,
            traces: new TracesService(
              settings.tempo,
              settings.timeouts.tempoMs,
              undefined,
              tracesSources,
            ),
            loader,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
