import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { fetchGatewayApiCrds } from '@ambient-mesh/plugin-istio-node';
import { actorOf, audited, authorizeMeshAdmin } from './authorize';
import { IstioActionDeps } from './deps';
import { ZodImpl, clusterField, parseInput, schemaOf } from './inputs';
import { changeOutputs } from './outputs';
import {
  connect,
  objectResults,
  resolveMode,
  runPlan,
  summarize,
} from './runPlan';
import { modeField } from './inputs';
import { examples } from './meshProvision.examples';

const version = (z: ZodImpl, field: string, example: string) =>
  z.string().regex(/^v\d+\.\d+\.\d+$/, {
    message: `Input "${field}" must be a release tag like "${example}"`,
  });

const input = {
  mode: modeField,
  cluster: clusterField,
  gatewayApiVersion: (z: ZodImpl) =>
    version(z, 'gatewayApiVersion', 'v1.3.0')
      .default('v1.3.0')
      .describe('Gateway API release whose standard CRDs are installed'),
  gatewayApiManifestUrl: (z: ZodImpl) =>
    z
      .string()
      .url()
      .optional()
      .describe(
        'One of the manifest URLs a platform admin allowed in istio.onboarding.gatewayApiManifests.urls (default: the first one); no other URL is downloaded',
      ),
  istioVersion: (z: ZodImpl) =>
    version(z, 'istioVersion', 'v1.27.3')
      .optional()
      .describe(
        "Istio version the Sail Operator installs (default: the operator's default)",
      ),
  collectorService: (z: ZodImpl) =>
    z
      .string()
      .default('otel-collector.observability.svc.cluster.local')
      .describe('FQDN of the OpenTelemetry collector receiving traces'),
  collectorPort: (z: ZodImpl) =>
    z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(4317)
      .describe('OTLP gRPC port of the collector'),
  samplingPercentage: (z: ZodImpl) =>
    z
      .number()
      .min(0)
      .max(100)
      .default(10)
      .describe('Percentage of requests traced mesh-wide'),
};
const inputSchema = schemaOf(input);

/**
 * `istio:mesh:provision`: the ambient control plane through the Sail
 * Operator's resources (Istio, IstioCNI, ZTunnel with profile ambient),
 * the Gateway API CRDs and a tracing Telemetry. Needs the Sail Operator.
 *
 * @public
 */
export function createMeshProvisionAction(deps: IstioActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:provision',
    description:
      "Provisions Istio in ambient mode through the Kubernetes API only: Gateway API CRDs, the Sail Operator's Istio/IstioCNI/ZTunnel (profile ambient, tracing to the OTel collector), a Telemetry with sampling. Requires the Sail Operator. Supports dry run.",
    examples,
    supportsDryRun: true,
    schema: {
      input,
      output: changeOutputs,
    },
    async handler(ctx) {
      const values = parseInput(inputSchema, ctx.input);
      const dryRun = Boolean(ctx.isDryRun);
      const mode = resolveMode(deps, values.mode);
      const { clusterName, planner, applier, signal } = connect(
        deps,
        values.cluster,
        ctx.signal,
      );
      await audited(
        deps.auditor,
        {
          action: 'istio:mesh:provision',
          cluster: clusterName,
          dryRun,
          mode,
          actor: async () => actorOf(await ctx.getInitiatorCredentials()),
        },
        async () => {
          await authorizeMeshAdmin(
            deps.permissions,
            ctx,
            'Provisioning the mesh (istio:mesh:provision)',
          );
          const fetchCrds =
            deps.fetchGatewayApiCrds ??
            ((
              release: string,
              options: { requestedUrl?: string; signal?: AbortSignal },
            ) =>
              fetchGatewayApiCrds(
                release,
                deps.gatewayApiManifests ?? { urls: [] },
                options,
              ));
          const gatewayApiCrds = await fetchCrds(values.gatewayApiVersion, {
            requestedUrl: values.gatewayApiManifestUrl,
            signal,
          });
          const plan = await planner.planMeshProvision({
            gatewayApiVersion: values.gatewayApiVersion,
            gatewayApiCrds,
            istioVersion: values.istioVersion,
            collectorService: values.collectorService,
            collectorPort: values.collectorPort,
            samplingPercentage: values.samplingPercentage,
          });
          await runPlan(ctx, plan, applier(), mode);
          const objects = objectResults(plan, dryRun || mode === 'gitops');
          ctx.output('objects', objects);
          ctx.output('summary', summarize(plan, dryRun, mode));
          return { result: undefined, changes: objects };
        },
      );
    },
  });
}
