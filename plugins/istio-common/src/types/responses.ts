import type { ClusterMeshStatus } from './mesh';
import type { ClusterMetrics } from './metrics';
import type { ClusterTraces } from './traces';

/** Why one section (one cluster, one source) could not be answered. @public */
export interface SectionError {
  /** The error name, e.g. `NotAllowedError`, `ServiceUnavailableError`. */
  name: string;
  message: string;
}

/**
 * The answer for one cluster (and, when the entity names no namespace, one of the
 * namespaces its workloads run in): data, or the error that prevented it. @public
 */
export type ClusterResult<T> =
  | { cluster: string; namespace?: string; data: T; error?: undefined }
  | {
      cluster: string;
      namespace?: string;
      data?: undefined;
      error: SectionError;
    };

/** Response of the mesh route of an entity. @public */
export interface EntityMeshResponse {
  entityRef: string;
  clusters: ClusterResult<ClusterMeshStatus>[];
}

/** Response of the metrics route of an entity. @public */
export interface EntityMetricsResponse {
  entityRef: string;
  clusters: ClusterResult<ClusterMetrics>[];
}

/** Response of the traces route of an entity. @public */
export interface EntityTracesResponse {
  entityRef: string;
  clusters: ClusterResult<ClusterTraces>[];
}

/** Response of the traffic graph route of an entity. @public */
export interface EntityTrafficGraphResponse {
  entityRef: string;
  clusters: ClusterResult<import('./graph').ClusterTrafficGraph>[];
}

/** Response of the trace route of an entity. @public */
export interface EntityTraceResponse {
  entityRef: string;
  clusters: ClusterResult<import('./traceDetail').TraceDetail>[];
}
