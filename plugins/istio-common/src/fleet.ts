import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  ClusterMeshStatus,
  ClusterResult,
  DiagnosticSeverity,
  MtlsGrade,
} from './types';
import type { FleetHealth } from './queries/promql/fleetQueries';

/** One entity in one cluster, as the fleet overview shows it. @public */
export interface FleetClusterSummary {
  cluster: string;
  namespace?: string;
  /** Pods captured by ztunnel out of the entity's pods. */
  capturedPods?: number;
  totalPods?: number;
  /** The namespace is in ambient mode. */
  enrolled?: boolean;
  waypoint?: { name: string; ready: boolean } | null;
  mtlsGrade?: MtlsGrade;
  defaultDeny?: boolean;
  diagnostics?: Record<DiagnosticSeverity, number>;
  /**
   * Health from the golden signals (the waypoint's error ratios), read for the
   * whole page in one Prometheus query; absent when no Prometheus serves the cluster.
   */
  health?: FleetHealth;
  /** Why this cluster could not be read. */
  error?: string;
}

/** One catalog entity of the fleet overview. @public */
export interface FleetEntry {
  entityRef: string;
  title: string;
  owner?: string;
  system?: string;
  clusters: FleetClusterSummary[];
}

/** Response of GET /v1/fleet. @public */
export interface FleetResponse {
  items: FleetEntry[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
  totalItems: number;
}

/** The fleet summary of one cluster's mesh status (the same data as the mesh tab). @public */
export function summarizeClusterMesh(
  result: ClusterResult<ClusterMeshStatus>,
): FleetClusterSummary {
  if (!result.data) {
    return {
      cluster: result.cluster,
      ...(result.namespace ? { namespace: result.namespace } : {}),
      error: result.error?.message,
    };
  }
  const status = result.data;
  const counts = status.enrollment.podCounts as Record<string, number>;
  const totalPods = status.enrollment.pods.length;
  const capturedPods = counts.captured ?? 0;
  const diagnostics: Record<DiagnosticSeverity, number> = {
    error: 0,
    warning: 0,
    info: 0,
  };
  for (const d of status.diagnostics) diagnostics[d.severity] += 1;
  return {
    cluster: result.cluster,
    namespace: status.namespace,
    capturedPods,
    totalPods,
    enrolled: status.enrollment.mode === 'ambient',
    waypoint:
      status.waypoint.kind === 'waypoint'
        ? { name: status.waypoint.name, ready: status.waypoint.ready }
        : null,
    mtlsGrade: status.mtls.grade,
    defaultDeny: status.policies.defaultDeny,
    diagnostics,
  };
}

/** The fleet entry of an entity from its mesh view. @public */
export function fleetEntry(
  entity: Entity,
  clusters: ClusterResult<ClusterMeshStatus>[],
): FleetEntry {
  const spec = (entity.spec ?? {}) as { owner?: unknown; system?: unknown };
  return {
    entityRef: stringifyEntityRef(entity),
    title: entity.metadata.title ?? entity.metadata.name,
    owner: typeof spec.owner === 'string' ? spec.owner : undefined,
    system: typeof spec.system === 'string' ? spec.system : undefined,
    clusters: clusters.map(summarizeClusterMesh),
  };
}
