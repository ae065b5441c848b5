import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { InputError } from '@backstage/errors';
import { IstioActionDeps } from './deps';
import { authorizeMeshAdmin } from './authorize';
import {
  ZodImpl,
  clusterField,
  dnsLabel,
  parseInput,
  schemaOf,
} from './inputs';
import { connect } from './runPlan';
import { examples } from './meshCheck.examples';

export const input = {
  cluster: clusterField,
  istioNamespace: (z: ZodImpl) =>
    dnsLabel(z, 'istioNamespace', 'istio-system')
      .default('istio-system')
      .describe(
        'Namespace of the control plane (ConfigMap istio, or istio-<rev> for a revisioned istiod)',
      ),
  failOnError: (z: ZodImpl) =>
    z
      .boolean()
      .default(false)
      .describe('Fail the step when a check fails (default: only report)'),
};
const inputSchema = schemaOf(input);

/**
 * `istio:mesh:check`: reports whether a cluster is ready for ambient mode.
 * Reads only.
 *
 * @public
 */
export function createMeshCheckAction(deps: IstioActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:check',
    description:
      "Checks the ambient prerequisites of a cluster (Gateway API CRDs, istiod's version against their bundle, istiod with ambient, ztunnel and istio-cni in istio-system, kube-system or Sail's ztunnel/istio-cni namespaces, GatewayClass istio-waypoint, tracing provider, Cilium chaining) and reports each as pass/fail with the fix. Reads only.",
    examples,
    supportsDryRun: true,
    schema: {
      input,
      output: {
        ready: (z: ZodImpl) =>
          z.boolean().describe('True when no check failed'),
        checks: (z: ZodImpl) =>
          z
            .array(
              z.object({
                id: z.string(),
                title: z.string(),
                status: z.enum(['pass', 'fail', 'skip']),
                detail: z.string(),
                fix: z.string().optional(),
              }),
            )
            .describe(
              'Each prerequisite with its status, what was found and the fix',
            ),
        summary: (z: ZodImpl) => z.string().describe('One line'),
      },
    },
    async handler(ctx) {
      const values = parseInput(inputSchema, ctx.input);
      // The report reads the control plane's namespaces: admins only.
      await authorizeMeshAdmin(
        deps.permissions,
        ctx,
        'Checking the mesh of a cluster (istio:mesh:check)',
      );
      const { planner } = connect(deps, values.cluster, ctx.signal);
      const report = await planner.checkMesh({
        istioNamespace: values.istioNamespace,
      });
      for (const check of report.checks) {
        const line = `${check.status.toUpperCase()} ${check.title}: ${
          check.detail
        }${check.fix ? ` -> fix: ${check.fix}` : ''}`;
        if (check.status === 'fail') ctx.logger.warn(line);
        else ctx.logger.info(line);
      }
      const failed = report.checks.filter(c => c.status === 'fail');
      const summary = report.ready
        ? `cluster ${report.cluster} is ready for ambient mode`
        : `cluster ${report.cluster}: ${failed.length} check(s) failed (${failed
            .map(c => c.id)
            .join(', ')})`;
      ctx.output('ready', report.ready);
      ctx.output('checks', report.checks as any);
      ctx.output('summary', summary);
      if (!report.ready && values.failOnError) {
        throw new InputError(
          `${summary}. Fixes: ${failed
            .map(c => `${c.id}: ${c.fix}`)
            .join('; ')}`,
        );
      }
    },
  });
}
