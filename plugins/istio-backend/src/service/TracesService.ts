import { NotFoundError } from '@backstage/errors';
import {
  buildTraceQuery,
  ClusterTraces,
  TraceQueryKind,
  traceServiceNames,
  TraceSummary,
} from '@ambient-mesh/plugin-istio-common';
import type { IstioTracesSource } from '@ambient-mesh/plugin-istio-node';
import { TempoClient, TempoSearchTrace } from '../clients/TempoClient';
import { pickInstance, TempoInstance } from '../config/istioConfig';
import { EntityTarget } from './targets';

/** How far back trace searches look. */
const SEARCH_WINDOW_SECONDS = 3600;
/** Minimum duration of a "slow" trace. */
const SLOW_TRACE_MS = 500;

/** The waypoint serving the entity, which decides whether spans exist. */
export type TraceWaypoint =
  | { kind: 'none' }
  | { kind: 'waypoint'; name: string; namespace: string }
  | { kind: 'unknown' };

function statusCodeOf(trace: TempoSearchTrace): string | undefined {
  for (const set of trace.spanSets ?? []) {
    for (const span of set.spans ?? []) {
      const attribute = span.attributes?.find(
        a => a.key === 'http.status_code',
      );
      const value = attribute?.value.stringValue ?? attribute?.value.intValue;
      if (value) return value;
    }
  }
  return undefined;
}

/** What a trace search needs: a configured Tempo or an added source. */
type TraceSearcher = Pick<TempoClient, 'search'> & {
  traceLink(traceId: string): string | undefined;
};

function toSummary(
  trace: TempoSearchTrace,
  tempo: TraceSearcher,
): TraceSummary {
  const statusCode = statusCodeOf(trace);
  const startNanos = BigInt(trace.startTimeUnixNano ?? '0');
  return {
    traceId: trace.traceID,
    rootServiceName: trace.rootServiceName ?? '',
    rootTraceName: trace.rootTraceName ?? '',
    start: new Date(Number(startNanos / 1000000n)).toISOString(),
    durationMs: trace.durationMs ?? 0,
    statusCode,
    error: statusCode !== undefined && statusCode.startsWith('5'),
    link: tempo.traceLink(trace.traceID),
  };
}

/** Recent, slow and failed traces of an entity, from Tempo. */
export class TracesService {
  constructor(
    private readonly instances: TempoInstance[],
    private readonly timeoutMs: number,
    private readonly now: () => number = () => Date.now(),
    /** Sources added by adopters, picked like configured instances. */
    private readonly sources: IstioTracesSource[] = [],
  ) {}

  async clusterTraces(options: {
    target: EntityTarget;
    cluster: string;
    namespace: string;
    kind: TraceQueryKind;
    limit: number;
    waypoint: TraceWaypoint;
  }): Promise<ClusterTraces> {
    const { target, cluster, namespace, kind, limit, waypoint } = options;
    const serviceNames = traceServiceNames({
      service: target.serviceName,
      namespace,
      waypoint: waypoint.kind === 'waypoint' ? waypoint.name : undefined,
      waypointNamespace:
        waypoint.kind === 'waypoint' ? waypoint.namespace : undefined,
    });
    const query = buildTraceQuery({
      kind,
      serviceNames,
      minDurationMs: SLOW_TRACE_MS,
      // The FQDN scheme comes last; with it, the waypoint's name (shared by
      // every service behind it) only matches spans of this service
      serviceFqdn: serviceNames[serviceNames.length - 1],
    });
    const base = { cluster, kind, serviceNames, query };

    // Only waypoints emit spans: without one there is nothing to search
    if (waypoint.kind === 'none') {
      return { ...base, traces: [], noSpansReason: 'no-waypoint' };
    }

    const instance = pickInstance<TempoInstance | IstioTracesSource>(
      [...this.instances, ...this.sources],
      cluster,
      target.tempo,
      'Tempo',
    );
    if (!instance) {
      throw new NotFoundError(
        `No Tempo is configured for cluster '${cluster}': add one under istio.tempo in app-config.yaml`,
      );
    }
    const added = this.sources.find(source => source === instance);
    const tempo: TraceSearcher = added
      ? {
          search: search => added.search(search),
          traceLink: traceId => added.traceLink?.(traceId),
        }
      : new TempoClient(instance as TempoInstance, this.timeoutMs);
    const end = Math.floor(this.now() / 1000);
    const found = await tempo.search({
      q: query,
      start: end - SEARCH_WINDOW_SECONDS,
      end,
      limit,
    });
    const traces = found.map(t => toSummary(t, tempo));
    if (kind === 'slow') {
      traces.sort((a, b) => b.durationMs - a.durationMs);
    } else {
      traces.sort((a, b) => b.start.localeCompare(a.start));
    }
    return { ...base, traces: traces.slice(0, limit) };
  }
}
