import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  buildTrafficGraphQueries,
  ClusterTrafficGraph,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  mergePeerTraffic,
  PeerTraffic,
  TrafficEdge,
  TrafficNode,
  validatePromWindow,
} from '@ambient-mesh/plugin-istio-common';
import type { IstioMetricsSource } from '@ambient-mesh/plugin-istio-node';
import { PrometheusClient } from '../clients/PrometheusClient';
import { pickInstance, PrometheusInstance } from '../config/istioConfig';
import { EntityTarget } from './targets';

/** Finds the catalog entities of graph nodes, with the caller's credentials. */
export class CatalogNodeLinker {
  constructor(private readonly catalog: CatalogService) {}

  /**
   * Sets `entityRef` on each node whose name is an entity's
   * `backstage.io/kubernetes-id` (or, without one, its name) and whose
   * namespace is the entity's `backstage.io/kubernetes-namespace` (when set).
   * Entities the caller cannot see are not linked.
   */
  async link(
    nodes: TrafficNode[],
    credentials: BackstageCredentials,
  ): Promise<TrafficNode[]> {
    const names = [...new Set(nodes.map(n => n.name))];
    if (names.length === 0) return nodes;
    const { items } = await this.catalog.getEntities(
      {
        filter: [
          { [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: names },
          { 'metadata.name': names },
        ],
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    const matches = (entity: Entity, node: TrafficNode) => {
      const annotations = entity.metadata.annotations ?? {};
      const id = annotations[KUBERNETES_ID_ANNOTATION] ?? entity.metadata.name;
      const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION];
      return id === node.name && (!namespace || namespace === node.namespace);
    };
    return nodes.map(node => {
      const found = items
        .filter(e => matches(e, node))
        // Components first: a node is a workload
        .sort(
          (a, b) =>
            Number(b.kind === 'Component') - Number(a.kind === 'Component'),
        )[0];
      return found ? { ...node, entityRef: stringifyEntityRef(found) } : node;
    });
  }
}

function nodeId(role: TrafficNode['role'], namespace: string, name: string) {
  return `${role}:${namespace}/${name}`;
}

/**
 * The traffic graph of an entity from Prometheus: who calls its service
 * (the waypoint's L7 series, else ztunnel's) and which services its
 * workloads call.
 */
export class GraphService {
  constructor(
    private readonly instances: PrometheusInstance[],
    private readonly timeoutMs: number,
    /** Sources added by adopters, picked like configured instances. */
    private readonly sources: IstioMetricsSource[] = [],
  ) {}

  async clusterGraph(options: {
    target: EntityTarget;
    cluster: string;
    namespace: string;
    window: string;
  }): Promise<ClusterTrafficGraph> {
    const { target, cluster, namespace } = options;
    const window = validatePromWindow(options.window);
    const instance = pickInstance<PrometheusInstance | IstioMetricsSource>(
      [...this.instances, ...this.sources],
      cluster,
      target.prometheus,
      'Prometheus',
    );
    if (!instance) {
      throw new NotFoundError(
        `No Prometheus is configured for cluster '${cluster}': add one under istio.prometheus in app-config.yaml`,
      );
    }
    const added = this.sources.find(source => source === instance);
    const prometheus: Pick<PrometheusClient, 'query'> = added
      ? { query: promql => added.query(promql) }
      : new PrometheusClient(instance as PrometheusInstance, this.timeoutMs);
    const q = buildTrafficGraphQueries(
      { service: target.serviceName, namespace },
      window,
    );
    const [
      inboundRequests,
      inboundErrors,
      inboundConnections,
      inboundBySource,
      outboundRequests,
      outboundErrors,
      outboundConnections,
    ] = await Promise.all([
      prometheus.query(q.inboundRequests),
      prometheus.query(q.inboundErrors),
      prometheus.query(q.inboundConnections),
      prometheus.query(q.inboundConnectionsBySource),
      prometheus.query(q.outboundRequests),
      prometheus.query(q.outboundErrors),
      prometheus.query(q.outboundConnections),
    ]);
    // Behind a waypoint the destination ztunnel names the waypoint as the
    // source of every connection: read the callers' ztunnels instead
    const behindWaypoint = inboundRequests.length > 0;
    const inbound = mergePeerTraffic({
      side: 'inbound',
      requests: inboundRequests,
      errors: inboundErrors,
      connections:
        behindWaypoint || inboundConnections.length === 0
          ? inboundBySource
          : inboundConnections,
    });
    const outbound = mergePeerTraffic({
      side: 'outbound',
      requests: outboundRequests,
      errors: outboundErrors,
      connections: outboundConnections,
    });

    const self: TrafficNode = {
      id: nodeId('self', namespace, target.serviceName),
      role: 'self',
      name: target.serviceName,
      namespace,
      entityRef: target.entityRef,
    };
    const nodes: TrafficNode[] = [self];
    const edges: TrafficEdge[] = [];
    const add = (role: 'caller' | 'callee', peer: PeerTraffic) => {
      const id = nodeId(role, peer.namespace, peer.name);
      nodes.push({ id, role, name: peer.name, namespace: peer.namespace });
      const edge = {
        layer: peer.layer,
        rate: peer.rate,
        errorRatio: peer.errorRatio,
        mtlsShare: peer.mtlsShare,
      };
      edges.push(
        role === 'caller'
          ? { source: id, target: self.id, ...edge }
          : { source: self.id, target: id, ...edge },
      );
    };
    inbound.forEach(p => add('caller', p));
    outbound.forEach(p => add('callee', p));
    return { cluster, window, nodes, edges };
  }
}
