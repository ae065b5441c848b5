import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
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
  MeshCache,
} from '@ambient-mesh/plugin-istio-node';
import Router from 'express-promise-router';
import { registerIstioReadActions } from './actions/readActions';
import { readIstioBackendConfig } from './config/istioConfig';
import { CachedLoader } from './lib/CachedLoader';
import { EntityAccess } from './service/EntityAccess';
import { KubernetesClusterMeshReader } from './service/KubernetesClusterMeshReader';
import { MeshService } from './service/MeshService';
import { MetricsService } from './service/MetricsService';
import {
  claimedNamespaces,
  CLAIMING_ENTITIES_FILTER,
} from './service/claimedNamespaces';
import { createRouter } from './service/router';
import { CatalogNodeLinker, GraphService } from './service/GraphService';
import { FleetService } from './service/FleetService';
import { FleetHealthReader } from './service/FleetHealthReader';
import { TracesService } from './service/TracesService';
import { NamespaceDirectory } from './service/NamespaceDirectory';
import { createNamespacesRouter } from './service/namespacesRouter';

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
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        actionsRegistry: actionsRegistryServiceRef,
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
        auth,
        scheduler,
        lifecycle,
        actionsRegistry,
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
        const clusterCache =
          settings.clusterCache.enabled && clusterNames.length > 0
            ? new MeshCache({
                kubeConfigOf: name => clusters.getKubeConfig(name),
                requestTimeoutMs: settings.timeouts.kubernetesMs,
                maxNamespaces: settings.clusterCache.maxNamespaces,
                maxObjects: settings.clusterCache.maxObjects,
                onError: message => logger.warn(message),
              })
            : undefined;
        if (clusterCache) {
          lifecycle.addShutdownHook(() => clusterCache.stop());
          // The namespaces catalog entities claim, read with the plugin's own credentials
          const refreshNamespaces = async (): Promise<number> => {
            const { items } = await catalog.getEntities(
              {
                filter: CLAIMING_ENTITIES_FILTER,
                fields: ['kind', 'metadata.annotations'],
              },
              { credentials: await auth.getOwnServiceCredentials() },
            );
            let claimed = 0;
            for (const [cluster, namespaces] of claimedNamespaces(
              items,
              clusterNames,
            )) {
              clusterCache.watch(cluster, namespaces);
              claimed += namespaces.size;
            }
            return claimed;
          };
          await scheduler.scheduleTask({
            id: 'istio-cluster-cache-namespaces',
            frequency: {
              milliseconds: settings.clusterCache.namespaceRefreshMs,
            },
            timeout: { seconds: 60 },
            scope: 'local',
            fn: async () => {
              await refreshNamespaces();
            },
          });
          // Right after start the catalog may still be ingesting: look again soon
          const startup = { tries: 0 };
          const retry = setInterval(() => {
            startup.tries += 1;
            refreshNamespaces().then(
              claimed => {
                if (claimed > 0 || startup.tries >= 24) clearInterval(retry);
              },
              error =>
                logger.warn(
                  `Could not read the namespaces entities claim: ${error}`,
                ),
            );
          }, 5000);
          retry.unref?.();
          lifecycle.addShutdownHook(() => clearInterval(retry));
        }

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
            cache: clusterCache,
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

        const access = new EntityAccess(catalog, permissions, {
          ttlMs: settings.accessTtlMs,
        });
        const protectedNamespaces =
          config.getOptionalStringArray(
            'istio.onboarding.protectedNamespaces',
          ) ?? [];
        httpRouter.use(
          await createRouter({
            httpAuth,
            access,
            mesh,
            metrics,
            traces: new TracesService(
              settings.tempo,
              settings.timeouts.tempoMs,
              undefined,
              tracesSources,
            ),
            graph: new GraphService(
              settings.prometheus,
              settings.timeouts.prometheusMs,
              metricsSources,
            ),
            linker: new CatalogNodeLinker(catalog),
            loader,
            protectedNamespaces,
            fleet: new FleetService({
              catalog,
              permissions,
              mesh,
              protectedNamespaces,
              health: new FleetHealthReader(
                settings.prometheus,
                settings.timeouts.prometheusMs,
                settings.health,
              ),
            }),
          }),
        );
        // The same reads for agents (actions registry, MCP)
        registerIstioReadActions(actionsRegistry, {
          access,
          mesh,
          metrics,
          loader,
          protectedNamespaces,
        });
        // The namespaces a user may change (the templates' namespace picker)
        httpRouter.use(
          createNamespacesRouter({
            httpAuth,
            directory: new NamespaceDirectory({
              clusters,
              catalog,
              auth,
              permissions,
              protectedNamespaces,
              requestTimeoutMs: settings.timeouts.kubernetesMs,
            }),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Size and state of the cluster caches, for operators (any signed-in caller)
        const stats = Router();
        stats.get('/cluster-cache', (_req, res) => {
          res.json({
            enabled: clusterCache !== undefined,
            clusters: clusterCache?.stats() ?? [],
          });
        });
        httpRouter.use(stats);
      },
    });
  },
});
