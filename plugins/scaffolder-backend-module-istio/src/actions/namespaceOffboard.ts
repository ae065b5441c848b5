import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { IstioActionDeps } from './deps';
import { actorOf, audited, authorizeNamespaceChange } from './authorize';
import {
  ZodImpl,
  clusterField,
  dnsLabel,
  parseInput,
  schemaOf,
} from './inputs';
import { changeOutputs } from './outputs';
import {
  connect,
  objectResults,
  resolveMode,
  runPlan,
  summarize,
} from './runPlan';
import { modeField } from './inputs';
import { examples } from './namespaceOffboard.examples';

export const input = {
  mode: modeField,
  cluster: clusterField,
  namespace: (z: ZodImpl) =>
    dnsLabel(z, 'namespace', 'reporting').describe(
      'The namespace to take out of the mesh',
    ),
};
const inputSchema = schemaOf(input);

/**
 * `istio:namespace:offboard`: removes what the istio:* actions applied in a
 * namespace (labels, waypoint, policies), keeping what others made.
 *
 * @public
 */
export function createNamespaceOffboardAction(deps: IstioActionDeps) {
  return createTemplateAction({
    id: 'istio:namespace:offboard',
    description:
      'Takes a namespace out of the ambient mesh: deletes the objects only onboarding made, removes its labels and fields from shared ones. Supports dry run.',
    examples,
    supportsDryRun: true,
    schema: {
      input,
      output: {
        namespace: (z: ZodImpl) => z.string().describe('The namespace'),
        ...changeOutputs,
      },
    },
    async handler(ctx) {
      const values = parseInput(inputSchema, ctx.input);
      const dryRun = Boolean(ctx.isDryRun);
      const mode = resolveMode(deps, values.mode);
      const { client, clusterName, planner, applier } = connect(
        deps,
        values.cluster,
        ctx.signal,
      );
      const target = { cluster: clusterName, namespace: values.namespace };
      await audited(
        deps.auditor,
        {
          action: 'istio:namespace:offboard',
          ...target,
          dryRun,
          mode,
          actor: async () => actorOf(await ctx.getInitiatorCredentials()),
        },
        async () => {
          await authorizeNamespaceChange(deps, ctx, client, target);
          const plan = await planner.planNamespaceOffboard({
            namespace: values.namespace,
          });
          await runPlan(ctx, plan, applier(), mode);
          const objects = objectResults(plan, dryRun || mode === 'gitops');
          ctx.output('namespace', values.namespace);
          ctx.output('objects', objects);
          ctx.output('summary', summarize(plan, dryRun, mode));
          return { result: undefined, changes: objects };
        },
      );
    },
  });
}
