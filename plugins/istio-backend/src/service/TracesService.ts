import { NotFoundError } from '@backstage/errors';
import {
  buildTraceQuery,
  traceDetailFromTempo,
  TraceDetail,
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

interface SearchAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string };
}

/** The first value of one of `keys` among the matched spans' attributes. */
function attributeOf(
  trace: TempoSearchTrace,
  keys: readonly string[],
): string | undefined {
  const sets = trace.spanSets ?? (trace.spanSet ? [trace.spanSet] : []);
  for (const set of sets) {
    for (const span of set.spans ?? []) {
      const found = (span.attributes ?? []).find((a: SearchAttribute) =>
        keys.includes(a.key),
      );
      const value = found?.value.stringValue ?? found?.value.intValue;
      if (value !== undefined && value !== '') return String(value);
    }
  }
  return undefined;
}

/** What a trace search needs: a configured Tempo or an added source. */
type TraceSearcher = Pick<TempoClient, 'search'> & {
  traceLink(traceId: string): string | undefined;
};

function pathOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).pathname;
  } catch {
    return url.startsWith('/') ? url.split('?')[0] : undefined;
  }
}

/**
 * One trace of a Tempo search, summarized for the table. Tempo returns only the span
 * attributes the query fetched (grafana/tempo v2.8.0 `pkg/traceql/engine.go`), keyed
 * without scope; Envoy names them `http.status_code`, `http.method`, `http.url`, or
 * with the OpenTelemetry semantic conventions `http.response.status_code`,
 * `http.request.method`, `url.full` (envoyproxy/envoy `source/common/tracing/common_values.h`).
 */
export function summarizeSearchTrace(
  trace: TempoSearchTrace,
  link?: string,
): TraceSummary {
  const statusCode = attributeOf(trace, [
    'http.status_code',
    'http.response.status_code',
  ]);
  const method = attributeOf(trace, ['http.method', 'http.request.method']);
  const path = pathOf(attributeOf(trace, ['http.url', 'url.full']));
  const startNanos = BigInt(trace.startTimeUnixNano ?? '0');
  return {
    traceId: trace.traceID,
    rootServiceName: trace.rootServiceName ?? '',
    rootTraceName: trace.rootTraceName ?? '',
    start: new Date(Number(startNanos / 1000000n)).toISOString(),
    durationMs: trace.durationMs ?? 0,
    statusCode,
    ...(method ? { method } : {}),
    ...(path ? { path } : {}),
    error: statusCode !== undefined && statusCode.startsWith('5'),
    ...(link ? { link } : {}),
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
    const traces = found.map(t =>
      summarizeSearchTrace(t, tempo.traceLink(t.traceID)),
    );
    if (kind === 'slow') {
      traces.sort((a, b) => b.durationMs - a.durationMs);
    } else {
      traces.sort((a, b) => b.start.localeCompare(a.start));
    }
    return { ...base, traces: traces.slice(0, limit) };
  }

  /** The spans of one trace, from Tempo's `/api/v2/traces/{id}`. */
  async trace(options: {
    target: EntityTarget;
    cluster: string;
    traceId: string;
  }): Promise<TraceDetail> {
    const { target, cluster, traceId } = options;
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
    if (added && !added.traceById) {
      throw new NotFoundError(
        `The traces source '${added.name}' lists traces but does not give one trace by id: add traceById to it to open trace ${traceId}`,
      );
    }
    const tempo = added
      ? {
          name: added.name,
          traceById: (id: string) => added.traceById!(id),
          traceLink: (id: string) => added.traceLink?.(id),
        }
      : new TempoClient(instance as TempoInstance, this.timeoutMs);
    const detail = traceDetailFromTempo(await tempo.traceById(traceId), {
      traceId,
      cluster,
      link: tempo.traceLink(traceId),
    });
    if (!detail) {
      throw new NotFoundError(
        `Tempo '${tempo.name}' has no span of trace ${traceId}`,
      );
    }
    return detail;
  }
}
