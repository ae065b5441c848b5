import { z } from 'zod';
import { CniController } from './istio/cniController';
import { PolicyStatusController } from './istio/policyController';
import { IstiodReadinessController } from './istio/istiodReadiness';
import { SailOperatorController } from './istio/sailOperator';
import { SidecarInjectorController } from './istio/sidecarInjector';
import { WaypointController } from './istio/waypointController';
import { Controller } from './controllers/controller';
import { WorkloadController } from './controllers/workloads';
import { adminHandler } from './http/admin';
import { Faults } from './http/faults';
import { RequestLog } from './http/requestLog';
import { RunningServer, sendText, serve } from './http/serve';
import { KubeApiServer } from './kube/apiServer';
import { SANDBOX_TOKENS } from './kube/auth';
import { ResourceRegistry } from './kube/registry';
import { ObjectStore } from './kube/store';
import { buildKubeconfig } from './kubeconfig';
import { seedStore } from './seed/seed';
import {
  DEFAULT_SAIL_OPERATOR_VERSION,
  SAIL_OPERATOR_VERSIONS,
} from './seed/crds';
import { SpanStore } from './telemetry/spanStore';
import { TrafficSimulator } from './telemetry/simulator';
import { tempoHandler } from './telemetry/tempoApi';
import { defaultTraffic, trafficSchema } from './telemetry/trafficConfig';
import { generateTls } from './tls';

const port = z.number().int().min(0).max(65535);

/** Options of {@link startSandbox}; every field is optional. */
export const sandboxOptionsSchema = z.object({
  ports: z
    .object({
      kubernetes: port
        .default(0)
        .describe('HTTPS Kubernetes API; 0 picks a free port'),
      metrics: port.default(0).describe('Prometheus exposition at /metrics'),
      tempo: port.default(0).describe('Tempo HTTP API'),
      admin: port
        .default(0)
        .describe('Admin endpoint (faults, request log, traffic)'),
    })
    .default({}),
  seed: z
    .boolean()
    .default(true)
    .describe('Start with the demo platform (false: an empty cluster)'),
  gatewayApi: z
    .boolean()
    .default(true)
    .describe('Seed the Gateway API CRDs (false simulates them missing)'),
  istioVersion: z
    .string()
    .regex(/^v?\d+\.\d+\.\d+$/)
    .optional()
    .describe(
      'Istio version of the seeded control plane (default 1.28.6; 1.28.0 with Gateway API v1.5.0 reproduces istio/istio#59443: istiod never ready)',
    ),
  gatewayApiVersion: z
    .string()
    .regex(/^v\d+\.\d+\.\d+$/)
    .optional()
    .describe('bundle-version of the seeded Gateway API CRDs (default v1.5.0)'),
  layout: z
    .enum(['istio-system', 'sail'])
    .default('istio-system')
    .describe(
      "Control-plane layout: istio-system (Helm) or sail (Sail Operator resources with Sail's defaults: ztunnel in namespace ztunnel, istio-cni in istio-cni)",
    ),
  ztunnelApiVersion: z
    .enum(['v1', 'v1alpha1'])
    .default('v1')
    .describe(
      'The version the ZTunnel CRD serves: v1 (Sail 1.28+) or v1alpha1 (before 1.28)',
    ),
  sailOperatorVersion: z
    .enum(SAIL_OPERATOR_VERSIONS)
    .default(DEFAULT_SAIL_OPERATOR_VERSION)
    .describe(
      'The Sail Operator release whose CRDs are served (1.27: ZTunnel v1alpha1 only; 1.28: ZTunnel v1 and v1alpha1)',
    ),
  waypointDelayMs: z
    .number()
    .int()
    .min(0)
    .default(2000)
    .describe('Time from Gateway creation to Programmed'),
  cniPendingMs: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('Time enrolled pods stay "pending" before "enabled"'),
  traffic: trafficSchema
    .optional()
    .describe('Simulated call graph; the demo graph when absent'),
  spanServiceName: z
    .enum(['waypoint', 'service'])
    .default('service')
    .describe(
      'Span service.name: waypoint (<waypoint>.<ns>, Istio 1.24-1.27) or service (FQDN, 1.28+)',
    ),
  tickMs: z
    .number()
    .int()
    .min(10)
    .default(250)
    .describe('Traffic simulation step'),
  spanCapacity: z
    .number()
    .int()
    .min(1)
    .default(5000)
    .describe('Traces kept (ring buffer)'),
});

/** Options of {@link startSandbox} as accepted from callers. */
export type SandboxOptions = z.input<typeof sandboxOptionsSchema>;

/** A running sandbox. */
export interface Sandbox {
  /** HTTPS URL of the Kubernetes API server. */
  kubernetesUrl: string;
  /** URL of the Prometheus exposition (ends in /metrics). */
  metricsUrl: string;
  /** Base URL of the Tempo-compatible API. */
  tempoUrl: string;
  /** Base URL of the admin endpoint. */
  adminUrl: string;
  /** Kubeconfig YAML with contexts `sandbox-admin` (current) and `sandbox-readonly`. */
  kubeconfig: string;
  /** PEM of the CA that signed the API server's certificate. */
  caCert: string;
  tokens: typeof SANDBOX_TOKENS;
  requestLog: RequestLog;
  faults: Faults;
  /** The object store behind the API server (for assertions and direct setup). */
  store: ObjectStore;
  traffic: TrafficSimulator;
  spans: SpanStore;
  /** Ends every open watch (clients watch again from their last resourceVersion). */
  closeWatches(): void;
  stop(): Promise<void>;
}

/** Waits until the controllers stop writing (the seed's pods exist and are captured). */
async function settle(store: ObjectStore, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  let version = store.currentVersion();
  while (quietRounds < 3 && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 5));
    const now = store.currentVersion();
    quietRounds = now === version ? quietRounds + 1 : 0;
    version = now;
  }
}

/**
 * Starts the mesh sandbox: a Kubernetes API server over HTTPS, the Istio
 * imitation controllers, the traffic generator with its /metrics endpoint,
 * the Tempo API and the admin endpoint, all on 127.0.0.1.
 */
export async function startSandbox(
  input: SandboxOptions = {},
): Promise<Sandbox> {
  const options = sandboxOptionsSchema.parse(input);
  const store = new ObjectStore();
  const registry = new ResourceRegistry(store);
  const log = new RequestLog();
  const faults = new Faults();
  const spans = new SpanStore(options.spanCapacity);
  if (options.seed)
    seedStore(store, registry, {
      gatewayApi: options.gatewayApi,
      istioVersion: options.istioVersion,
      gatewayApiVersion: options.gatewayApiVersion,
      layout: options.layout,
      ztunnelApiVersion: options.ztunnelApiVersion,
      sailOperatorVersion: options.sailOperatorVersion,
    });

  const controllers: Controller[] = [
    new WorkloadController(store),
    new CniController(store, options.cniPendingMs),
    new WaypointController(store, options.waypointDelayMs),
    new PolicyStatusController(store),
    new SailOperatorController(store, registry),
    new IstiodReadinessController(store),
    new SidecarInjectorController(store),
  ];
  controllers.forEach(c => c.start());
  await settle(store);

  const simulator = new TrafficSimulator(
    store,
    spans,
    options.traffic ?? trafficSchema.parse(defaultTraffic()),
    options.spanServiceName,
  );
  const ticker = setInterval(() => simulator.advance(), options.tickMs);
  ticker.unref();

  const servers: RunningServer[] = [];
  const stop = async () => {
    clearInterval(ticker);
    controllers.forEach(c => c.stop());
    await Promise.all(servers.map(s => s.close()));
  };
  try {
    const tls = generateTls();
    const api = new KubeApiServer(store, registry);
    const kube = await api.listen({
      port: options.ports.kubernetes,
      tls,
      log,
      faults,
    });
    servers.push(kube);
    const metrics = await serve({
      name: 'metrics',
      port: options.ports.metrics,
      log,
      faults,
      handler: (req, res) => {
        if (new URL(req.url ?? '/', 'http://m').pathname !== '/metrics') {
          sendText(res, 404, 'not found; metrics are at /metrics');
          return;
        }
        simulator.advance();
        sendText(
          res,
          200,
          simulator.metrics.render(),
          'text/plain; version=0.0.4; charset=utf-8',
        );
      },
    });
    servers.push(metrics);
    const tempo = await serve({
      name: 'tempo',
      port: options.ports.tempo,
      log,
      faults,
      handler: tempoHandler(spans),
    });
    servers.push(tempo);
    const admin = await serve({
      name: 'admin',
      port: options.ports.admin,
      log,
      handler: adminHandler({ faults, log, simulator }),
    });
    servers.push(admin);
    return {
      kubernetesUrl: kube.url,
      metricsUrl: `${metrics.url}/metrics`,
      tempoUrl: tempo.url,
      adminUrl: admin.url,
      kubeconfig: buildKubeconfig(kube.url, tls.caCert),
      caCert: tls.caCert,
      tokens: SANDBOX_TOKENS,
      requestLog: log,
      faults,
      store,
      traffic: simulator,
      spans,
      closeWatches: () => api.closeWatches(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
