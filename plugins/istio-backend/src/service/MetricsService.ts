import {
  scrapeTargetFacts,
  type ScrapeTargetFacts,
} from '@ambient-mesh/plugin-istio-node';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  buildWaypointQueries,
  buildZtunnelQueries,
  ClusterMetrics,
  gradeHealth,
  HealthGrade,
  HealthThresholds,
  L4Signals,
  MetricSeries,
  PlaintextSource,
  SeriesPoint,
  TrafficBySource,
  validatePromWindow,
} from '@ambient-mesh/plugin-istio-common';
import type {
  IstioMetricsSource,
  PrometheusTarget,
} from '@ambient-mesh/plugin-istio-node';
import { PrometheusClient, InstantSample } from '../clients/PrometheusClient';
import { pickInstance, PrometheusInstance } from '../config/istioConfig';
import { EntityTarget } from './targets';

/** The observed part of the mTLS posture, from ztunnel metrics. */
export interface ObservedMtls {
  share: number | null;
  plaintextSources: PlaintextSource[];
}

/** What ztunnel reports about an entity's inbound connections. */
interface L4View {
  signals: L4Signals;
  traffic: TrafficBySource[];
  plaintext: TrafficBySource[];
  series: SeriesPoint[];
  /** Bytes and mTLS share over the range, for the L4 charts. */
  rangeSeries: Pick<
    MetricSeries,
    'receivedBytesPerSecond' | 'sentBytesPerSecond' | 'mtlsShare'
  >;
}

/** Number of points of a sparkline series. */
const SERIES_POINTS = 60;

const RANGE_PATTERN = /^(\d+)([mhd])$/;
const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86400 };
/** Longest sparkline range: 7 days. */
const MAX_RANGE_SECONDS = 7 * 86400;

/** Parses a sparkline range like `1h`; throws an InputError naming `range`. */
export function parseRange(range: string): number {
  const match = RANGE_PATTERN.exec(range);
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2]] : 0;
  if (!seconds || seconds > MAX_RANGE_SECONDS) {
    throw new InputError(
      `Invalid range "${range}": use a whole number followed by m, h or d, at most 7d, e.g. 1h`,
    );
  }
  return seconds;
}

/**
 * The mTLS share as Prometheus answers `mtls / all`: an empty result when no
 * connection used mTLS. With connections observed, that is a share of 0.
 */
function mtlsShareOf(
  share: number | null,
  connectionsPerSecond: number | null,
): number | null {
  if (share !== null) return share;
  return connectionsPerSecond ? 0 : null;
}

function bySource(samples: InstantSample[]): TrafficBySource[] {
  return samples
    .filter(s => s.value !== null && s.value > 0)
    .map(s => ({
      sourceWorkload: s.labels.source_workload ?? 'unknown',
      sourceNamespace: s.labels.source_workload_namespace ?? 'unknown',
      value: s.value!,
    }))
    .sort((a, b) => b.value - a.value);
}

/**
 * The callers of a ztunnel-captured destination. Behind a waypoint every
 * `reporter="destination"` series names the waypoint as source (istio/ztunnel
 * 1.28.0 `src/proxy/inbound.rs`: the source is looked up by the connection's
 * IP), so the callers come from their own ztunnels (`reporter="source"`), plus
 * the plaintext callers that no ztunnel captures, which only the destination
 * sees. When neither reports anything, the destination's view is all there is.
 */
export function callersOf(
  fromSources: TrafficBySource[],
  plaintext: TrafficBySource[],
  destinationView: TrafficBySource[],
): TrafficBySource[] {
  const merged = new Map<string, TrafficBySource>();
  for (const entry of [...fromSources, ...plaintext]) {
    const key = `${entry.sourceNamespace}/${entry.sourceWorkload}`;
    const known = merged.get(key);
    merged.set(
      key,
      known ? { ...known, value: known.value + entry.value } : entry,
    );
  }
  if (merged.size === 0) return destinationView;
  return [...merged.values()].sort((a, b) => b.value - a.value);
}

/**
 * Denied connections per second. Only the destination ztunnel flags them
 * (istio/ztunnel 1.28.0 src/proxy/inbound.rs record_with_flag; outbound.rs records
 * no flag), so the callers' view cannot tell; no DENY series while connections
 * flow means none was denied.
 */
function deniedOf(
  reporter: 'destination' | 'source',
  connectionsPerSecond: number | null,
  deniedPerSecond: number | null,
): number | null {
  if (reporter === 'source') return null;
  return connectionsPerSecond ? deniedPerSecond ?? 0 : deniedPerSecond;
}

/** The queries the metrics need, from a configured Prometheus or an added source. */
interface PromQueries {
  query(promql: string): Promise<InstantSample[]>;
  queryScalar(promql: string): Promise<number | null>;
  queryRange: PrometheusClient['queryRange'];
  activeTargets(): Promise<PrometheusTarget[]>;
}

/** An added metrics source (istioMetricsSourcesExtensionPoint) as PromQueries. */
function sourceQueries(source: IstioMetricsSource): PromQueries {
  return {
    query: promql => source.query(promql),
    queryScalar: async promql => {
      const samples = await source.query(promql);
      return samples.length > 0 ? samples[0].value : null;
    },
    queryRange: (promql, range) => source.queryRange(promql, range),
    // Without a targets API nothing is known of the scrapes, so nothing changes
    activeTargets: async () => (await source.activeTargets?.()) ?? [],
  };
}

/** Golden signals and L4 signals of an entity, from Prometheus. */
export class MetricsService {
  constructor(
    private readonly instances: PrometheusInstance[],
    private readonly timeoutMs: number,
    private readonly thresholds: HealthThresholds,
    private readonly now: () => number = () => Date.now(),
    /** Sources added by adopters, picked like configured instances. */
    private readonly sources: IstioMetricsSource[] = [],
  ) {}

  private client(target: EntityTarget, cluster: string): PromQueries {
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
    if (this.sources.includes(instance as IstioMetricsSource)) {
      return sourceQueries(instance as IstioMetricsSource);
    }
    return new PrometheusClient(instance as PrometheusInstance, this.timeoutMs);
  }

  /** What the entity's Prometheus says about its scrape targets (targets API). */
  async scrapeTargets(
    target: EntityTarget,
    cluster: string,
  ): Promise<ScrapeTargetFacts[]> {
    const targets = await this.client(target, cluster).activeTargets();
    return scrapeTargetFacts(targets);
  }

  /**
   * L4 signals from ztunnel: as the destination's ztunnel reports them, or,
   * when it reports nothing (the destination is not captured), as the
   * callers' ztunnels do.
   */
  private async readL4(
    prometheus: PromQueries,
    target: EntityTarget,
    namespace: string,
    window: string,
    span?: { start: number; end: number; step: number },
  ): Promise<L4View> {
    const read = async (reporter: 'destination' | 'source') => {
      // ztunnel's destination_workload is the pod's controller (e.g. Deployment
      // productpage-v1), not the Service: select by the Service it was addressed to
      const queries = buildZtunnelQueries(
        { namespace, service: target.serviceName, reporter },
        window,
      );
      const [
        connectionsPerSecond,
        receivedBytesPerSecond,
        sentBytesPerSecond,
        mtlsShare,
        deniedPerSecond,
        traffic,
        plaintext,
        callers,
        series,
        receivedSeries,
        sentSeries,
        mtlsSeries,
      ] = await Promise.all([
        prometheus.queryScalar(queries.connectionRate),
        prometheus.queryScalar(queries.receivedBytesRate),
        prometheus.queryScalar(queries.sentBytesRate),
        prometheus.queryScalar(queries.mtlsShare),
        prometheus.queryScalar(queries.deniedRate),
        prometheus.query(queries.trafficBySource),
        prometheus.query(queries.plaintextBySource),
        reporter === 'destination'
          ? prometheus.query(queries.callersBySource)
          : [],
        span ? prometheus.queryRange(queries.connectionRate, span) : [],
        span ? prometheus.queryRange(queries.receivedBytesRate, span) : [],
        span ? prometheus.queryRange(queries.sentBytesRate, span) : [],
        span ? prometheus.queryRange(queries.mtlsShare, span) : [],
      ]);
      const signals: L4Signals = {
        connectionsPerSecond,
        receivedBytesPerSecond,
        sentBytesPerSecond,
        mtlsShare: mtlsShareOf(mtlsShare, connectionsPerSecond),
        deniedPerSecond: deniedOf(
          reporter,
          connectionsPerSecond,
          deniedPerSecond,
        ),
      };
      return {
        signals,
        traffic:
          reporter === 'destination'
            ? callersOf(
                bySource(callers),
                bySource(plaintext),
                bySource(traffic),
              )
            : bySource(traffic),
        plaintext: bySource(plaintext),
        series,
        rangeSeries: {
          receivedBytesPerSecond: receivedSeries,
          sentBytesPerSecond: sentSeries,
          mtlsShare: mtlsSeries,
        },
      };
    };
    const destination = await read('destination');
    if (destination.signals.connectionsPerSecond !== null) {
      return destination;
    }
    return read('source');
  }

  /** The share of inbound connections that used mTLS, and who sent plaintext. */
  async observedMtls(
    target: EntityTarget,
    cluster: string,
    namespace: string,
    window: string,
  ): Promise<ObservedMtls> {
    const prometheus = this.client(target, cluster);
    const valid = validatePromWindow(window);
    // As readL4 chooses: the destination's ztunnel, else the callers'; both
    // asked at once, with only the queries the posture needs
    const read = async (reporter: 'destination' | 'source') => {
      const queries = buildZtunnelQueries(
        { namespace, workloads: [target.serviceName], reporter },
        valid,
      );
      const [connectionsPerSecond, mtlsShare, plaintext] = await Promise.all([
        prometheus.queryScalar(queries.connectionRate),
        prometheus.queryScalar(queries.mtlsShare),
        prometheus.query(queries.plaintextBySource),
      ]);
      return {
        connectionsPerSecond,
        share: mtlsShareOf(mtlsShare, connectionsPerSecond),
        plaintext: bySource(plaintext),
      };
    };
    const [destination, source] = await Promise.all([
      read('destination'),
      read('source'),
    ]);
    const l4 = destination.connectionsPerSecond !== null ? destination : source;
    return {
      share: l4.share,
      plaintextSources: l4.plaintext.map(s => ({
        sourceWorkload: s.sourceWorkload,
        sourceNamespace: s.sourceNamespace,
        connectionsPerSecond: s.value,
      })),
    };
  }

  /**
   * L7 signals when a waypoint reports requests for the service, else L4
   * signals from ztunnel. The queries run in parallel.
   */
  async clusterMetrics(options: {
    target: EntityTarget;
    cluster: string;
    namespace: string;
    window: string;
    range: string;
  }): Promise<ClusterMetrics> {
    const { target, cluster, namespace } = options;
    const window = validatePromWindow(options.window);
    const rangeSeconds = parseRange(options.range);
    const stepSeconds = Math.max(1, Math.round(rangeSeconds / SERIES_POINTS));
    const end = Math.floor(this.now() / 1000);
    const span = { start: end - rangeSeconds, end, step: stepSeconds };

    const prometheus = this.client(target, cluster);
    const l7 = buildWaypointQueries(
      { service: target.serviceName, namespace },
      window,
    );

    const [
      requests,
      errorRatio5xx,
      errorRatio4xx,
      p50Ms,
      p95Ms,
      p99Ms,
      l7Traffic,
      rpsSeries,
      errorSeries,
      p95Series,
      l4,
      error4xxSeries,
      p50Series,
      p99Series,
    ] = await Promise.all([
      prometheus.query(l7.requestRate),
      prometheus.queryScalar(l7.errorRatio5xx),
      prometheus.queryScalar(l7.errorRatio4xx),
      prometheus.queryScalar(l7.latencyP50),
      prometheus.queryScalar(l7.latencyP95),
      prometheus.queryScalar(l7.latencyP99),
      prometheus.query(l7.trafficBySource),
      prometheus.queryRange(l7.requestRate, span),
      prometheus.queryRange(l7.errorRatio5xx, span),
      prometheus.queryRange(l7.latencyP95, span),
      this.readL4(prometheus, target, namespace, window, span),
      prometheus.queryRange(l7.errorRatio4xx, span),
      prometheus.queryRange(l7.latencyP50, span),
      prometheus.queryRange(l7.latencyP99, span),
    ]);

    const base = {
      cluster,
      window,
      rangeSeconds,
      stepSeconds,
      l4: l4.signals,
    };

    // A waypoint reports the service only when it serves it
    if (requests.length > 0) {
      const rps = requests[0].value;
      const golden = {
        rps,
        // No 5xx series at all means a ratio of 0, not unknown
        errorRatio5xx: rps ? errorRatio5xx ?? 0 : errorRatio5xx,
        errorRatio4xx: rps ? errorRatio4xx ?? 0 : errorRatio4xx,
        p50Ms,
        p95Ms,
        p99Ms,
      };
      return {
        ...base,
        source: 'waypoint',
        layer: 'L7',
        golden,
        series: {
          rps: rpsSeries,
          errorRatio5xx: errorSeries,
          p95Ms: p95Series,
          errorRatio4xx: error4xxSeries,
          p50Ms: p50Series,
          p99Ms: p99Series,
          connectionsPerSecond: l4.series,
          ...l4.rangeSeries,
        },
        traffic: bySource(l7Traffic),
        health: gradeHealth(golden, this.thresholds),
      };
    }

    // ztunnel sees connections, not responses: no error ratio to grade
    const health: HealthGrade =
      l4.signals.connectionsPerSecond === 0 ? 'no-traffic' : 'unknown';
    return {
      ...base,
      source: 'ztunnel',
      layer: 'L4',
      series: { connectionsPerSecond: l4.series, ...l4.rangeSeries },
      traffic: l4.traffic,
      health,
    };
  }
}
