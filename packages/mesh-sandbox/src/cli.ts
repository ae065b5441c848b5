import { mkdirSync, writeFileSync } from 'node:fs';
import {
  DEFAULT_SAIL_OPERATOR_VERSION,
  SAIL_OPERATOR_VERSIONS,
} from './seed/crds';
import { resolve } from 'node:path';
import { z } from 'zod';
import {
  hasPrometheusBinary,
  PROMETHEUS_INSTALL_HINT,
  RunningPrometheus,
  startPrometheus,
} from './prometheus';
import { ISTIO_VERSION } from './istio/controlPlane';
import { GATEWAY_API_VERSION } from './seed/crds';
import { startSandbox } from './startSandbox';

/** Fixed default ports, so app-config.yaml can point at them. */
export const DEFAULT_PORTS = {
  kubernetes: 6443,
  metrics: 9464,
  tempo: 3200,
  admin: 9465,
  prometheus: 9090,
} as const;

const USAGE = `Usage: mesh-sandbox start [options]

Runs the mesh sandbox in the foreground until Ctrl-C.

Options:
  --dir <path>              where to write kubeconfig and endpoints.json (default: <repo>/.sandbox)
  --port <n>                Kubernetes API port (default ${DEFAULT_PORTS.kubernetes})
  --metrics-port <n>        /metrics port (default ${DEFAULT_PORTS.metrics})
  --tempo-port <n>          Tempo API port (default ${DEFAULT_PORTS.tempo})
  --admin-port <n>          admin endpoint port (default ${DEFAULT_PORTS.admin})
  --waypoint-delay-ms <n>   time until a new waypoint is Programmed (default 2000)
  --span-service-name <s>   waypoint (Istio 1.24-1.27) or service (1.28+, default)
  --no-seed                 start with an empty cluster
  --no-gateway-api          do not install the Gateway API CRDs
  --istio-version <v>       Istio of the control plane (default 1.28.6; 1.28.0 reproduces
                            istiod never ready with Gateway API v1.5, istio/istio#59443)
  --gateway-api-version <v> bundle-version of the Gateway API CRDs (default v1.5.0)
  --layout <l>              istio-system (default) or sail: Sail Operator resources with
                            ztunnel in namespace ztunnel and istio-cni in istio-cni
  --ztunnel-api-version <v> v1 (Sail 1.28+, default) or v1alpha1 (Sail before 1.28)
  --sail-operator-version <v>  Sail Operator CRDs to serve: 1.27 or 1.28 (default)
  --prometheus              also run a real Prometheus on :${DEFAULT_PORTS.prometheus} scraping every 5 s
  --prometheus-port <n>     Prometheus port (default ${DEFAULT_PORTS.prometheus})
`;

const argsSchema = z.object({
  dir: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  metricsPort: z.coerce.number().int().min(0).max(65535),
  tempoPort: z.coerce.number().int().min(0).max(65535),
  adminPort: z.coerce.number().int().min(0).max(65535),
  prometheusPort: z.coerce.number().int().min(0).max(65535),
  waypointDelayMs: z.coerce.number().int().min(0),
  spanServiceName: z.enum(['waypoint', 'service']),
  seed: z.boolean(),
  gatewayApi: z.boolean(),
  istioVersion: z.string().regex(/^v?\d+\.\d+\.\d+$/),
  gatewayApiVersion: z.string().regex(/^v\d+\.\d+\.\d+$/),
  layout: z.enum(['istio-system', 'sail']),
  ztunnelApiVersion: z.enum(['v1', 'v1alpha1']),
  sailOperatorVersion: z.enum(SAIL_OPERATOR_VERSIONS),
  prometheus: z.boolean(),
});

/** Parses `start` options; throws naming the bad flag. */
export function parseArgs(argv: string[], repoRoot: string) {
  const raw: Record<string, unknown> = {
    dir: resolve(repoRoot, '.sandbox'),
    port: DEFAULT_PORTS.kubernetes,
    metricsPort: DEFAULT_PORTS.metrics,
    tempoPort: DEFAULT_PORTS.tempo,
    adminPort: DEFAULT_PORTS.admin,
    prometheusPort: DEFAULT_PORTS.prometheus,
    waypointDelayMs: 2000,
    spanServiceName: 'service',
    seed: true,
    gatewayApi: true,
    istioVersion: ISTIO_VERSION,
    gatewayApiVersion: GATEWAY_API_VERSION,
    layout: 'istio-system',
    ztunnelApiVersion: 'v1',
    sailOperatorVersion: DEFAULT_SAIL_OPERATOR_VERSION,
    prometheus: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const camel = flag
      .replace(/^--/, '')
      .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (flag === '--no-seed') raw.seed = false;
    else if (flag === '--no-gateway-api') raw.gatewayApi = false;
    else if (flag === '--prometheus') raw.prometheus = true;
    else if (
      flag.startsWith('--') &&
      camel in raw &&
      typeof raw[camel] !== 'boolean'
    ) {
      const value = argv[++i];
      if (value === undefined)
        throw new Error(`${flag} needs a value\n\n${USAGE}`);
      raw[camel] = camel === 'dir' ? resolve(process.cwd(), value) : value;
    } else {
      throw new Error(`unknown option ${flag}\n\n${USAGE}`);
    }
  }
  const parsed = argsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = `--${String(issue.path[0]).replace(
      /[A-Z]/g,
      c => `-${c.toLowerCase()}`,
    )}`;
    throw new Error(`${flag}: ${issue.message}\n\n${USAGE}`);
  }
  return parsed.data;
}

/** Runs the CLI; resolves when the sandbox stops. */
export async function main(argv: string[], repoRoot: string): Promise<void> {
  const [command, ...rest] = argv;
  if (command !== 'start') {
    process.stdout.write(USAGE);
    process.exitCode = command === undefined || command === '--help' ? 0 : 1;
    return;
  }
  const args = parseArgs(rest, repoRoot);
  const sandbox = await startSandbox({
    ports: {
      kubernetes: args.port,
      metrics: args.metricsPort,
      tempo: args.tempoPort,
      admin: args.adminPort,
    },
    waypointDelayMs: args.waypointDelayMs,
    spanServiceName: args.spanServiceName,
    seed: args.seed,
    gatewayApi: args.gatewayApi,
    istioVersion: args.istioVersion,
    gatewayApiVersion: args.gatewayApiVersion,
    layout: args.layout,
    ztunnelApiVersion: args.ztunnelApiVersion,
    sailOperatorVersion: args.sailOperatorVersion,
  });
  let prometheus: RunningPrometheus | undefined;
  if (args.prometheus) {
    if (hasPrometheusBinary()) {
      prometheus = await startPrometheus({
        scrapeUrl: sandbox.metricsUrl,
        scrapeInterval: '5s',
        port: args.prometheusPort,
      });
    } else {
      process.stdout.write(
        `mesh-sandbox: Prometheus is NOT running: the binary "prometheus" is missing. Install it with: ${PROMETHEUS_INSTALL_HINT}\n`,
      );
    }
  }
  const endpoints = {
    kubernetes: sandbox.kubernetesUrl,
    metrics: sandbox.metricsUrl,
    tempo: sandbox.tempoUrl,
    admin: sandbox.adminUrl,
    ...(prometheus ? { prometheus: prometheus.url } : {}),
  };
  mkdirSync(args.dir, { recursive: true });
  writeFileSync(resolve(args.dir, 'kubeconfig'), sandbox.kubeconfig, {
    mode: 0o600,
  });
  writeFileSync(resolve(args.dir, 'ca.crt'), sandbox.caCert);
  writeFileSync(
    resolve(args.dir, 'endpoints.json'),
    `${JSON.stringify(endpoints, null, 2)}\n`,
  );
  process.stdout.write(
    [
      'mesh-sandbox is running (Ctrl-C stops it)',
      `  kubernetes  ${endpoints.kubernetes}  (kubeconfig: ${resolve(
        args.dir,
        'kubeconfig',
      )}, contexts sandbox-admin / sandbox-readonly)`,
      `  metrics     ${endpoints.metrics}`,
      `  tempo       ${endpoints.tempo}`,
      `  admin       ${endpoints.admin}`,
      ...(prometheus ? [`  prometheus  ${prometheus.url}`] : []),
      `  tokens      admin ${sandbox.tokens.admin}, read-only ${sandbox.tokens.readonly}`,
      `  endpoints   ${resolve(args.dir, 'endpoints.json')}`,
      `  CA          ${resolve(
        args.dir,
        'ca.crt',
      )} (for caFile in app-config.yaml)`,
      '',
    ].join('\n'),
  );
  await new Promise<void>(done => {
    const shutdown = () => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      Promise.all([sandbox.stop(), prometheus?.stop()]).finally(() => done());
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}
