import { randomBytes } from 'node:crypto';
import { ObjectStore } from '../kube/store';
import { EdgeState, edgeState } from './edgeState';
import {
  istioLabels,
  istioRegistry,
  METRICS,
  Peer,
  ztunnelLabels,
} from './istioMetrics';
import { WorkloadMeta } from './workloadMeta';
import { MetricRegistry } from './metricRegistry';
import { SpanStore } from './spanStore';
import { waypointTracing } from '../istio/waypointTracing';
import { Edge, TrafficConfig } from './trafficConfig';

/** How span `service.name` is set: Istio 1.24-1.27 or 1.28+. */
export type SpanServiceNameScheme = 'waypoint' | 'service';

const REQUEST_BYTES = 512;
/** istiod's default sampling percentage (pilot/pkg/features/telemetry.go). */
const PILOT_TRACE_SAMPLING = 1;
const RESPONSE_BYTES = 2048;

interface Accumulator {
  requests: number;
  errors: number;
  denied: number;
}

function gaussian(): number {
  const u = 1 - Math.random();
  const v = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * The traffic generator. Time is sliced on every `advance()` (called on a
 * short timer and before every scrape); each edge gets exactly `rps * dt`
 * requests (fractions carried over), so counters grow at the configured
 * rates. How a slice is counted follows the cluster state at that moment:
 * ztunnel series per captured side, mTLS only when both sides are captured,
 * denied connections when a STRICT destination meets plaintext, and L7
 * waypoint series plus sampled spans only through a ready, bound waypoint.
 */
export class TrafficSimulator {
  readonly metrics: MetricRegistry = istioRegistry();
  private last: number;
  private readonly carry = new Map<Edge, Accumulator>();

  constructor(
    private readonly store: ObjectStore,
    private readonly spans: SpanStore,
    private config: TrafficConfig,
    private spanScheme: SpanServiceNameScheme,
    now = Date.now(),
  ) {
    this.last = now;
  }

  /** Replaces the traffic configuration from now on. */
  configure(config: TrafficConfig): void {
    this.advance();
    this.config = config;
    this.carry.clear();
  }

  get traffic(): TrafficConfig {
    return this.config;
  }

  setSpanScheme(scheme: SpanServiceNameScheme): void {
    this.spanScheme = scheme;
  }

  /** Simulates the traffic between the last call and `now`. */
  advance(now = Date.now()): void {
    const seconds = Math.max(0, (now - this.last) / 1000);
    const sliceStart = this.last;
    this.last = now;
    if (seconds === 0) return;
    for (const edge of this.config.edges) {
      const acc = this.carry.get(edge) ?? { requests: 0, errors: 0, denied: 0 };
      acc.requests += edge.rps * seconds;
      const count = Math.floor(acc.requests);
      acc.requests -= count;
      this.carry.set(edge, acc);
      if (count === 0) continue;
      const state = edgeState(this.store, edge);
      if (!state.active) continue;
      // ztunnel denies at the destination: plaintext into STRICT, or an
      // AuthorizationPolicy (src/state.rs assert_rbac); then nothing is served
      const deniedByPolicy = state.strictDenied || !state.authorization.allowed;
      acc.denied += count * (deniedByPolicy ? 1 : edge.denyRatio);
      const denied = Math.min(count, Math.floor(acc.denied + 1e-9));
      acc.denied -= denied;
      const served = count - denied;
      acc.errors += served * edge.errorRatio;
      const errors = Math.min(served, Math.floor(acc.errors + 1e-9));
      acc.errors -= errors;
      this.recordConnections(edge, state, count, denied);
      if (state.waypoint) {
        // The waypoint answers every request; those whose upstream connection
        // the destination ztunnel denied fail with 503
        this.recordRequests(edge, state, served, errors, sliceStart, now);
        if (denied > 0) {
          this.recordRequests(
            edge,
            state,
            denied,
            denied,
            sliceStart,
            now,
            'UF',
          );
        }
      }
    }
  }

  private peers(state: EdgeState) {
    const peer = (meta: WorkloadMeta, identity: boolean): Peer => ({
      workload: meta.workload,
      namespace: meta.namespace,
      serviceAccount: meta.serviceAccount,
      canonicalName: meta.canonicalName,
      canonicalRevision: meta.canonicalRevision,
      identity,
    });
    return {
      source: peer(state.sourceMeta, state.sourceCaptured),
      destination: peer(state.destinationMeta, true),
      waypoint: state.waypointMeta ? peer(state.waypointMeta, true) : undefined,
    };
  }

  /**
   * ztunnel's TCP series (istio/ztunnel 1.28.0 src/proxy/metrics.rs,
   * inbound.rs, outbound.rs): the opened counter and the byte counters carry
   * `response_flags="-"`; the closed counter carries the result, `DENY` only on
   * the destination side (the source ztunnel records its closed connection
   * without a flag). Through a waypoint, the source ztunnel reports the
   * waypoint as destination and the destination ztunnel the waypoint as source.
   */
  private recordConnections(
    edge: Edge,
    state: EdgeState,
    count: number,
    denied: number,
  ) {
    const { source, destination, waypoint } = this.peers(state);
    const service = {
      name: edge.destination.service,
      namespace: edge.destination.namespace,
    };
    const allowed = count - denied;
    const add = (
      reporter: 'source' | 'destination',
      from: Peer,
      to: Peer,
      mtls: boolean,
      n: number,
      flags: string,
      bytes: boolean,
    ) => {
      if (n === 0) return;
      const opened = ztunnelLabels({
        reporter,
        source: from,
        destination: to,
        service,
        mtls,
      });
      const closed = { ...opened, response_flags: flags };
      this.metrics.inc(METRICS.tcpOpened, opened, n);
      this.metrics.inc(METRICS.tcpClosed, closed, n);
      this.metrics.inc(
        METRICS.tcpReceived,
        opened,
        bytes ? n * REQUEST_BYTES : 0,
      );
      this.metrics.inc(METRICS.tcpSent, opened, bytes ? n * RESPONSE_BYTES : 0);
    };
    if (waypoint) {
      // caller -> waypoint (HBONE from a captured caller; an ingress that is
      // not captured reaches the waypoint without any ztunnel on its side)
      if (state.sourceCaptured) {
        add('source', source, waypoint, true, count, '-', true);
      }
      if (state.destinationCaptured) {
        add('destination', waypoint, destination, true, allowed, '-', true);
        add('destination', waypoint, destination, true, denied, 'DENY', false);
      }
      return;
    }
    const mtls = state.sourceCaptured && state.destinationCaptured;
    if (state.sourceCaptured) {
      add('source', source, destination, mtls, allowed, '-', true);
      add('source', source, destination, mtls, denied, '-', false);
    }
    if (state.destinationCaptured) {
      add('destination', source, destination, mtls, allowed, '-', true);
      add('destination', source, destination, mtls, denied, 'DENY', false);
    }
  }

  private recordRequests(
    edge: Edge,
    state: EdgeState,
    served: number,
    errors: number,
    sliceStart: number,
    sliceEnd: number,
    responseFlags = '-',
  ) {
    if (served === 0) return;
    const { source, destination } = this.peers(state);
    const service = {
      name: edge.destination.service,
      namespace: edge.destination.namespace,
    };
    const base = istioLabels({
      reporter: 'waypoint',
      source,
      destination,
      service,
      protocol: 'http',
      mtls: true,
      responseFlags,
    });
    const sampling = this.samplingPercent(state, service) / 100;
    for (let i = 0; i < served; i += 1) {
      const error = i < errors;
      const code = error ? '503' : '200';
      const labels = { ...base, response_code: code, grpc_response_status: '' };
      const latency = Math.max(
        0.2,
        edge.latencyMs * Math.exp(0.5 * gaussian()) * (error ? 0.5 : 1),
      );
      this.metrics.inc(METRICS.requests, labels, 1);
      this.metrics.observe(METRICS.duration, labels, latency);
      if (Math.random() < sampling) {
        const at = sliceStart + Math.random() * (sliceEnd - sliceStart);
        this.recordSpan(edge, state, code, latency, at);
      }
    }
  }

  /**
   * The share of the waypoint's requests that produce a span: the traffic's forced
   * `samplingPercent`, else what the waypoint's Telemetry resources say
   * (../istio/waypointTracing.ts), else istiod's PILOT_TRACE_SAMPLING default of 1 %
   * (istio/istio 1.28.0 pilot/pkg/features/telemetry.go); 0 with no tracing provider.
   */
  private samplingPercent(
    state: EdgeState,
    service: { name: string; namespace: string },
  ): number {
    if (this.config.samplingPercent !== undefined) {
      return this.config.samplingPercent;
    }
    const tracing = waypointTracing(this.store, state.waypoint!, service);
    if (!tracing.enabled) return 0;
    return tracing.samplingPercent ?? PILOT_TRACE_SAMPLING;
  }

  private recordSpan(
    edge: Edge,
    state: EdgeState,
    code: string,
    latencyMs: number,
    at: number,
  ) {
    const waypoint = state.waypoint!;
    const fqdn = `${edge.destination.service}.${edge.destination.namespace}.svc.cluster.local`;
    const serviceName =
      this.spanScheme === 'waypoint'
        ? `${waypoint.name}.${waypoint.namespace}`
        : fqdn;
    const path = edge.paths[Math.floor(Math.random() * edge.paths.length)];
    const method =
      path.includes('charges') || path.includes('reservations')
        ? 'POST'
        : 'GET';
    const startNs = BigInt(Math.floor(at * 1000)) * 1000n; // ms -> us -> ns
    this.spans.add({
      traceId: randomBytes(16).toString('hex'),
      resource: {
        'service.name': serviceName,
        'k8s.namespace.name': waypoint.namespace,
        'istio.mesh_id': 'cluster.local',
      },
      spans: [
        {
          spanId: randomBytes(8).toString('hex'),
          name: `${fqdn}:8080${path}`,
          kind: 'SPAN_KIND_CLIENT',
          startNs,
          durationNs: BigInt(Math.round(latencyMs * 1e6)),
          error: code.startsWith('5'),
          attributes: {
            'http.method': method,
            'http.url': `http://${fqdn}:8080${path}`,
            'http.status_code': code,
            'http.protocol': 'HTTP/1.1',
            upstream_cluster: `inbound-vip|8080|http|${fqdn}`,
            'upstream_cluster.name': `inbound-vip|8080|http|${fqdn}`,
            'istio.canonical_service': waypoint.name,
            'istio.canonical_revision': 'latest',
            'istio.namespace': waypoint.namespace,
            'istio.mesh_id': 'cluster.local',
            node_id: `waypoint~10.244.0.1~${waypoint.name}.${waypoint.namespace}~${waypoint.namespace}.svc.cluster.local`,
            downstream_cluster: '-',
            'peer.address': '10.244.0.1',
            user_agent: `${edge.source.workload}/1.0`,
            request_size: String(REQUEST_BYTES),
            response_size: String(RESPONSE_BYTES),
            response_flags: '-',
            component: 'proxy',
            'source.workload': edge.source.workload,
            'source.namespace': edge.source.namespace,
          },
        },
      ],
    });
  }
}
