import { randomBytes } from 'node:crypto';
import { ObjectStore } from '../kube/store';
import { EdgeState, edgeState } from './edgeState';
import { istioLabels, istioRegistry, METRICS, Peer } from './istioMetrics';
import { MetricRegistry } from './metricRegistry';
import { SpanStore } from './spanStore';
import { Edge, TrafficConfig } from './trafficConfig';

/** How span `service.name` is set: Istio 1.24-1.27 or 1.28+. */
export type SpanServiceNameScheme = 'waypoint' | 'service';

const REQUEST_BYTES = 512;
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
      acc.denied += count * (state.strictDenied ? 1 : edge.denyRatio);
      const denied = Math.min(count, Math.floor(acc.denied + 1e-9));
      acc.denied -= denied;
      const served = count - denied;
      acc.errors += served * edge.errorRatio;
      const errors = Math.min(served, Math.floor(acc.errors + 1e-9));
      acc.errors -= errors;
      this.recordConnections(edge, state, count, denied);
      if (state.waypoint && served > 0) {
        this.recordRequests(edge, state, served, errors, sliceStart, now);
      }
    }
  }

  private peers(edge: Edge, state: EdgeState) {
    const source: Peer = {
      workload: edge.source.workload,
      namespace: edge.source.namespace,
      serviceAccount: state.sourceServiceAccount,
      identity: state.sourceCaptured,
    };
    const destination: Peer = {
      workload: edge.destination.service,
      namespace: edge.destination.namespace,
      serviceAccount: state.destinationServiceAccount,
      identity: state.destinationCaptured,
    };
    return { source, destination };
  }

  private recordConnections(
    edge: Edge,
    state: EdgeState,
    count: number,
    denied: number,
  ) {
    const { source, destination } = this.peers(edge, state);
    const service = {
      name: edge.destination.service,
      namespace: edge.destination.namespace,
    };
    const mtls = state.sourceCaptured && state.destinationCaptured;
    const allowed = count - denied;
    const add = (
      reporter: 'source' | 'destination',
      dest: Peer,
      n: number,
      flags: string,
    ) => {
      if (n === 0) return;
      const labels = istioLabels({
        reporter,
        source,
        destination: dest,
        service,
        protocol: 'tcp',
        mtls,
        responseFlags: flags,
      });
      const opened = { ...labels, response_flags: '-' };
      this.metrics.inc(METRICS.tcpOpened, opened, n);
      this.metrics.inc(METRICS.tcpClosed, labels, n);
      this.metrics.inc(
        METRICS.tcpReceived,
        opened,
        flags === 'DENY' ? 0 : n * REQUEST_BYTES,
      );
      this.metrics.inc(
        METRICS.tcpSent,
        opened,
        flags === 'DENY' ? 0 : n * RESPONSE_BYTES,
      );
    };
    if (state.sourceCaptured) {
      const via = state.waypoint
        ? {
            workload: state.waypoint.name,
            namespace: state.waypoint.namespace,
            serviceAccount: state.waypoint.name,
            identity: true,
          }
        : destination;
      add('source', via, allowed, '-');
      add('source', via, denied, 'DENY');
    }
    if (state.destinationCaptured) {
      add('destination', destination, allowed, '-');
      add('destination', destination, denied, 'DENY');
    }
  }

  private recordRequests(
    edge: Edge,
    state: EdgeState,
    served: number,
    errors: number,
    sliceStart: number,
    sliceEnd: number,
  ) {
    const { source, destination } = this.peers(edge, state);
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
    });
    const sampling = this.config.samplingPercent / 100;
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
