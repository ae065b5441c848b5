import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  EntityMeshResponse,
  EntityMetricsResponse,
  EntityTraceResponse,
  EntityTracesResponse,
  EntityTrafficGraphResponse,
  TraceQueryKind,
} from '@ambient-mesh/plugin-istio-common';

/**
 * Options of {@link IstioApi.getMetrics}.
 *
 * @public
 */
export interface MetricsQueryOptions {
  /** Rate window of the current values, e.g. `5m`. */
  window: string;
  /** Range of the sparkline series, e.g. `1h`. */
  range: string;
}

/**
 * Options of {@link IstioApi.getTraces}.
 *
 * @public
 */
export interface TracesQueryOptions {
  /** Which traces: the most recent, the slowest, or those with errors. */
  kind: TraceQueryKind;
  /** Maximum number of traces per cluster (the backend applies its own default). */
  limit?: number;
}

/**
 * Reads the mesh status, metrics and traces of a catalog entity from the
 * istio backend plugin. Each response holds one result per cluster, so one
 * cluster can fail while the others answer.
 *
 * @public
 */
export interface IstioApi {
  /** Enrollment, waypoint, mTLS posture, policies and diagnostics per cluster. */
  getMesh(entity: CompoundEntityRef): Promise<EntityMeshResponse>;
  /** Golden signals (or L4 signals), sparkline series and callers per cluster. */
  getMetrics(
    entity: CompoundEntityRef,
    options: MetricsQueryOptions,
  ): Promise<EntityMetricsResponse>;
  /** Recent, slow or failed traces per cluster. */
  getTraces(
    entity: CompoundEntityRef,
    options: TracesQueryOptions,
  ): Promise<EntityTracesResponse>;
  /** Callers, the entity and what it calls, with rates, per cluster. */
  getTrafficGraph?(
    entity: CompoundEntityRef,
    options: { window: string },
  ): Promise<EntityTrafficGraphResponse>;
  /** The spans of one trace, per cluster. */
  getTrace?(
    entity: CompoundEntityRef,
    traceId: string,
  ): Promise<EntityTraceResponse>;
}

/**
 * The reference of the {@link IstioApi}.
 *
 * @public
 */
export const istioApiRef = createApiRef<IstioApi>({
  id: 'plugin.istio.service',
});
