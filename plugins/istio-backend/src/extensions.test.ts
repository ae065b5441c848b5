import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EntityMeshResponse,
  EntityMetricsResponse,
  EntityTracesResponse,
} from '@ambient-mesh/plugin-istio-common';
import {
  ClusterClientFactory,
  istioClusterAccessExtensionPoint,
  istioDiagnosticRulesExtensionPoint,
  istioMetricsSourcesExtensionPoint,
  istioTracesSourcesExtensionPoint,
} from '@ambient-mesh/plugin-istio-node';
import {
  KUBECONFIG_CONTEXTS,
  Sandbox,
  startSandbox,
} from '@ambient-mesh/mesh-sandbox';
import { KubeConfig } from '@kubernetes/client-node';
import request from 'supertest';
import { componentEntity } from './__testUtils__/fixtures';
import { istioPlugin } from './plugin';

jest.setTimeout(60_000);

/** What an adopter's own module gives the istio backend plugin. */
function adopterModule(
  sandbox: Sandbox,
  seen: { promql: string[]; targetReads: number },
) {
  return createBackendModule({
    pluginId: 'istio',
    moduleId: 'acme-checks',
    register(reg) {
      reg.registerInit({
        deps: {
          clusterAccess: istioClusterAccessExtensionPoint,
          rules: istioDiagnosticRulesExtensionPoint,
          metrics: istioMetricsSourcesExtensionPoint,
          traces: istioTracesSourcesExtensionPoint,
        },
        async init({ clusterAccess, rules, metrics, traces }) {
          // A cluster reached in a way of the adopter's own
          const factory: ClusterClientFactory = {
            listClusters: () => [
              { name: 'acme-prod', url: sandbox.kubernetesUrl },
            ],
            getKubeConfig: () => {
              const kc = new KubeConfig();
              kc.loadFromString(sandbox.kubeconfig);
              kc.setCurrentContext(KUBECONFIG_CONTEXTS.readonly);
              return kc;
            },
          };
          clusterAccess.setClusterClientFactory(factory);
          rules.addDiagnosticRules(
            {
              name: 'acme/team-label',
              check: ({ snapshot }) =>
                snapshot.pods
                  .filter(pod => !pod.metadata?.labels?.team)
                  .slice(0, 1)
                  .map(() => ({
                    id: 'acme/team-label',
                    severity: 'warning',
                    title: 'Pods without a team label',
                    message: `Pods in ${snapshot.namespace} have no team label`,
                    evidence: snapshot.pods.map(p => p.metadata!.name!),
                  })),
            },
            {
              name: 'acme/broken',
              check: () => {
                throw new Error('lookup service unreachable');
              },
            },
          );
          metrics.addMetricsSource({
            name: 'acme-metrics',
            async query(promql) {
              seen.promql.push(promql);
              return [{ labels: {}, value: 1 }];
            },
            async queryRange() {
              return [];
            },
            async activeTargets() {
              seen.targetReads += 1;
              return [];
            },
          });
          traces.addTracesSource({
            name: 'acme-traces',
            async search() {
              return [
                {
                  traceID: 'abc123',
                  rootServiceName: 'orders',
                  durationMs: 12,
                },
              ];
            },
            // The OTLP JSON of Tempo's /api/v2/traces/{id} (grafana/tempo v2.8.0
            // pkg/tempopb/tempo.proto TraceByIDResponse), ids in base64
            async traceById() {
              return {
                trace: {
                  resourceSpans: [
                    {
                      resource: {
                        attributes: [
                          {
                            key: 'service.name',
                            value: { stringValue: 'orders' },
                          },
                        ],
                      },
                      scopeSpans: [
                        {
                          spans: [
                            {
                              traceId: 'AAAAAAAAAAAAAAAAAAq8Eg==',
                              spanId: 'AAAAAAAAAAE=',
                              name: 'orders.microservices.svc.cluster.local:80/*',
                              kind: 'SPAN_KIND_SERVER',
                              startTimeUnixNano: '1700000000000000000',
                              endTimeUnixNano: '1700000000012000000',
                            },
                          ],
                        },
                      ],
                    },
                  ],
                },
              };
            },
            traceLink: id => `https://traces.acme.example/${id}`,
          });
        },
      });
    },
  });
}

describe('extension points of the istio backend plugin, in a backend with an adopter module', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 0, tickMs: 1000 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('answers with the added cluster access, diagnostic rules, metrics and traces sources', async () => {
    const seen = { promql: [] as string[], targetReads: 0 };
    const { server } = await startTestBackend({
      features: [
        istioPlugin,
        adopterModule(sandbox, seen),
        mockServices.rootConfig.factory({
          data: { istio: { cacheTtlSeconds: 0 } },
        }),
        catalogServiceMock.factory({
          entities: [
            componentEntity('orders', 'microservices', {
              'istio.ambient-mesh.io/prometheus': 'acme-metrics',
              'istio.ambient-mesh.io/tempo': 'acme-traces',
            }),
          ],
        }),
        mockServices.permissions.factory(),
      ],
    });
    const path = (rest: string) =>
      `/api/istio/v1/entities/component/default/orders/${rest}`;
    const user = { Authorization: mockCredentials.user.header() };

    const mesh = await request(server).get(path('mesh')).set(user);
    expect(mesh.status).toBe(200);
    const [result] = (mesh.body as EntityMeshResponse).clusters;
    expect(result.cluster).toBe('acme-prod');
    const diagnostics = result.data!.diagnostics;
    expect(diagnostics.find(d => d.id === 'acme/team-label')).toMatchObject({
      severity: 'warning',
      message: 'Pods in microservices have no team label',
    });
    expect(
      diagnostics.find(d => d.id === 'diagnostic-rule-failed/acme/broken'),
    ).toMatchObject({
      severity: 'warning',
      title: 'Diagnostic rule acme/broken failed',
    });
    expect(diagnostics.find(d => d.id === 'acme/broken')).toBeUndefined();
    // The scrape targets come from the added source too
    expect(seen.targetReads).toBeGreaterThan(0);

    const metrics = await request(server).get(path('metrics')).set(user);
    expect(metrics.status).toBe(200);
    const [clusterMetrics] = (metrics.body as EntityMetricsResponse).clusters;
    expect(clusterMetrics.error).toBeUndefined();
    expect(seen.promql.length).toBeGreaterThan(0);
    expect(seen.promql.join('\n')).toContain(
      'destination_workload_namespace="microservices"',
    );

    const promqlBeforeGraph = seen.promql.length;
    const graph = await request(server).get(path('graph')).set(user);
    expect(graph.status).toBe(200);
    expect(graph.body.clusters[0].error).toBeUndefined();
    expect(seen.promql.length).toBeGreaterThan(promqlBeforeGraph);

    const traces = await request(server).get(path('traces')).set(user);
    expect(traces.status).toBe(200);
    const [clusterTraces] = (traces.body as EntityTracesResponse).clusters;
    expect(clusterTraces.data!.traces).toMatchObject([
      { traceId: 'abc123', link: 'https://traces.acme.example/abc123' },
    ]);

    const trace = await request(server)
      .get(path('traces/00000000000000000000000000abc123'))
      .set(user);
    expect(trace.status).toBe(200);
    const [detail] = trace.body.clusters;
    expect(detail.error).toBeUndefined();
    expect(detail.data).toMatchObject({
      link: 'https://traces.acme.example/00000000000000000000000000abc123',
      spans: [{ serviceName: 'orders', kind: 'SERVER', durationMs: 12 }],
    });
  });
});
